//! Progress and forecast of a target [T3], by a method stated in words: the share of the year
//! that past years had reached by the same month (seasonal adjustment), with the spread of those
//! shares as the interval; years beyond the current one follow the recent average growth.

/// Monthly values of one year, January first; `None` where nothing was reported.
pub type Year = [Option<i64>; 12];

/// A forecast with its interval and the method in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// Expected total (scaled like the inputs).
    pub value: i64,
    /// Lower end of the interval.
    pub low: i64,
    /// Upper end of the interval.
    pub high: i64,
    /// How it was computed, in Chinese.
    pub method: String,
}

fn total(y: &Year) -> Option<i64> {
    y.iter().copied().collect::<Option<Vec<i64>>>().map(|v| v.iter().sum())
}

fn upto(y: &Year, months: usize) -> i64 {
    y.iter().take(months).flatten().sum()
}

/// The share (‰ of the year) that each complete past year had reached after `months` months.
pub fn seasonal_shares(past: &[Year], months: usize) -> Vec<i64> {
    past.iter()
        .filter_map(|y| {
            let t = total(y)?;
            (t > 0).then(|| upto(y, months) * 1000 / t)
        })
        .filter(|s| *s > 0)
        .collect()
}

/// The year's total forecast from its first `months` months, seasonally adjusted by past years.
pub fn year_end(current: &Year, months: usize, past: &[Year]) -> Option<Forecast> {
    if months == 0 || months > 12 {
        return None;
    }
    let ytd = upto(current, months);
    let shares = seasonal_shares(past, months);
    if shares.is_empty() {
        let value = ytd * 12 / months as i64;
        let margin = value * 15 / 100;
        return Some(Forecast {
            value,
            low: value - margin,
            high: value + margin,
            method: format!("按前{months}个月的实际值均匀外推全年（无往年同期数据，区间按±15%估计）"),
        });
    }
    let avg = shares.iter().sum::<i64>() / shares.len() as i64;
    let (min, max) = (*shares.iter().min().unwrap_or(&avg), *shares.iter().max().unwrap_or(&avg));
    let by = |share: i64| ytd * 1000 / share.max(1);
    Some(Forecast {
        value: by(avg),
        low: by(max),
        high: by(min),
        method: format!(
            "按{}个往年同期完成全年的比例（平均{}.{}%）推算全年，区间取往年比例的最高与最低值",
            shares.len(),
            avg / 10,
            avg % 10
        ),
    })
}

/// Carries a forecast of `from_year` to `target_year` by the average yearly growth of `history` (oldest first).
pub fn to_target_year(f: &Forecast, from_year: i32, target_year: i32, history: &[i64]) -> Forecast {
    let years = target_year - from_year;
    if years <= 0 {
        return f.clone();
    }
    let growths: Vec<f64> = history.windows(2).filter(|w| w[0] > 0).map(|w| w[1] as f64 / w[0] as f64).collect();
    let g = if growths.is_empty() { 1.0 } else { growths.iter().product::<f64>().powf(1.0 / growths.len() as f64) };
    let grow = |v: i64| (v as f64 * g.powi(years)).round() as i64;
    Forecast {
        value: grow(f.value),
        low: grow(f.low),
        high: grow(f.high),
        method: if growths.is_empty() {
            format!("{}；无往年增速可用，按本年水平持平推算到{target_year}年", f.method)
        } else {
            format!("{}；再按近{}年平均增速{:.1}%推算到{target_year}年", f.method, growths.len(), (g - 1.0) * 100.0)
        },
    }
}

/// The status light of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Light {
    /// 正常
    Green,
    /// 预警
    Amber,
    /// 滞后
    Red,
}

impl Light {
    /// Words shown beside the colour.
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "正常",
            Light::Amber => "预警",
            Light::Red => "滞后",
        }
    }
}

/// When a forecast is green or amber, as percentages of the target (data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct LightRule {
    /// Forecast at or above this % of the target is green.
    pub green_from: i64,
    /// At or above this % is amber; below it red.
    pub amber_from: i64,
}

impl Default for LightRule {
    fn default() -> Self {
        LightRule { green_from: 100, amber_from: 90 }
    }
}

/// How far `value` reaches `goal`, in basis points (10000 = 100%); for "lower is better" the
/// comparison turns round. A goal of zero or less is met.
pub fn attainment(value: i64, goal: i64, higher_is_better: bool) -> i64 {
    let (num, den) = if higher_is_better { (value, goal) } else { (goal, value) };
    if goal <= 0 || den <= 0 {
        return 100_000;
    }
    (i128::from(num) * 10_000 / i128::from(den)).clamp(-1_000_000, 1_000_000) as i64
}

/// The light of an attainment (basis points) under the city's rule.
pub fn light_of(rule: LightRule, basis_points: i64) -> Light {
    if basis_points >= rule.green_from * 100 {
        Light::Green
    } else if basis_points >= rule.amber_from * 100 {
        Light::Amber
    } else {
        Light::Red
    }
}

/// The light of a value against a goal; for "lower is better" the comparison turns round.
pub fn light(rule: LightRule, value: i64, goal: i64, higher_is_better: bool) -> Light {
    light_of(rule, attainment(value, goal, higher_is_better))
}

/// An attainment as a percentage to one decimal, never rounded up across a light's boundary.
pub fn percent(basis_points: i64) -> String {
    let tenths = basis_points.div_euclid(10);
    format!("{}.{}%", tenths.div_euclid(10), tenths.rem_euclid(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(v: [i64; 12]) -> Year {
        v.map(Some)
    }

    #[test]
    fn seasonal_share_of_past_years_drives_the_forecast() {
        // Past years: the second half is heavy (the first 6 months are 20% of the year).
        let past = [year([3, 3, 3, 3, 4, 4, 10, 10, 10, 10, 20, 20]), year([6, 6, 6, 6, 8, 8, 20, 20, 20, 20, 40, 40])];
        let mut current: Year = [None; 12];
        for (m, v) in [30, 30, 30, 30, 40, 40].iter().enumerate() {
            current[m] = Some(*v);
        }
        let f = year_end(&current, 6, &past).expect("forecast");
        assert_eq!(f.value, 1000, "200 so far is 20% of the year");
        assert_eq!((f.low, f.high), (1000, 1000), "both past years agree");
        assert!(f.method.contains("2个往年同期") && f.method.contains("20.0%"), "{}", f.method);
    }

    #[test]
    fn different_past_years_give_an_interval() {
        // First quarter was 20% of one year and 25% of the other.
        let a = year([10, 5, 5, 10, 10, 10, 10, 10, 10, 10, 5, 5]);
        let b = year([10, 10, 5, 5, 5, 5, 5, 5, 5, 5, 5, 35]);
        let mut current: Year = [None; 12];
        current[0] = Some(30);
        current[1] = Some(30);
        current[2] = Some(30);
        let f = year_end(&current, 3, &[a, b]).expect("forecast");
        assert_eq!((f.low, f.value, f.high), (360, 400, 450));
    }

    #[test]
    fn without_history_the_year_is_pro_rata_with_a_wide_interval() {
        let mut current: Year = [None; 12];
        current[0] = Some(100);
        current[1] = Some(100);
        current[2] = Some(100);
        let f = year_end(&current, 3, &[]).expect("forecast");
        assert_eq!((f.value, f.low, f.high), (1200, 1020, 1380));
        assert!(f.method.contains("均匀外推"));
    }

    #[test]
    fn growth_carries_to_the_target_year_and_lights_follow_rules() {
        let f = Forecast { value: 1000, low: 900, high: 1100, method: "m".into() };
        let g = to_target_year(&f, 2024, 2025, &[800, 880, 968]);
        assert_eq!(g.value, 1100, "10% a year");
        assert!(g.method.contains("10.0%"));
        let rule = LightRule::default();
        assert_eq!(light(rule, 1000, 1000, true), Light::Green);
        assert_eq!(light(rule, 950, 1000, true), Light::Amber);
        assert_eq!(light(rule, 800, 1000, true), Light::Red);
        assert_eq!(light(rule, 1200, 1000, false), Light::Red);
        // 98.26% is amber under a 90–100% amber rule, and reads as such.
        assert_eq!(light(rule, 9826, 10_000, true), Light::Amber);
        assert_eq!(percent(attainment(9826, 10_000, true)), "98.2%");
        assert_eq!(percent(attainment(99_999, 100_000, true)), "99.9%", "never shown as 100% while amber");
        assert_eq!(percent(attainment(-5, 100, true)), "-5.0%");
    }
}
