//! How a cultivation goal is counted from the enterprise library [E3], instead of typed by hand:
//! the enterprises whose revenue of the year reached an amount (5年内培育突破100亿元的企业1家), the
//! enterprises holding one of some tiers (国家级“小巨人”2家), or the enterprises that gained one of
//! some tiers within the year (每年新增规上企业15家). A plan file writes it on the indicator as
//! `counts = { revenue_at_least = "100亿元" }`, `counts = { holding = ["national_little_giant"] }`
//! or `counts = { gained = ["provincial_champion", "provincial_little_giant"] }`.

use crate::maps_file::Tier;
use crate::money::{Money, MoneyUnit};
use serde::Deserialize;

/// What an indicator counts in the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counting {
    /// Enterprises whose revenue of the year is at least this amount.
    RevenueAtLeast(Money),
    /// Enterprises holding one of these tiers at the period's end.
    Holding(Vec<Tier>),
    /// Enterprises that gained one of these tiers within the period's year.
    Gained(Vec<Tier>),
}

/// `counts` as a plan file writes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsFile {
    /// An amount with its unit, e.g. `100亿元`.
    #[serde(default)]
    pub revenue_at_least: Option<String>,
    /// Tier codes or names.
    #[serde(default)]
    pub holding: Vec<String>,
    /// Tier codes or names.
    #[serde(default)]
    pub gained: Vec<String>,
}

/// An amount written with its unit (`100亿元`, `2000万元`, `5000元`).
fn amount(text: &str) -> Result<Money, String> {
    let t = text.trim();
    let unit = MoneyUnit::ALL.iter().rev().find(|u| t.ends_with(u.symbol()));
    let Some(unit) = unit else {
        return Err(format!("金额“{t}”须带单位：元、万元或亿元"));
    };
    let number = t.trim_end_matches(unit.symbol());
    let m = Money::parse(number, *unit).map_err(|e| format!("金额“{t}”无效：{e}"))?;
    if m.fen() <= 0 {
        return Err(format!("金额“{t}”须大于零"));
    }
    Ok(m)
}

fn tiers(names: &[String]) -> Result<Vec<Tier>, String> {
    let mut out = Vec::new();
    for n in names {
        let t = Tier::from_code_or_label(n.trim()).ok_or_else(|| format!("没有梯队“{n}”"))?;
        if out.contains(&t) {
            return Err(format!("梯队“{}”写了两次", t.label()));
        }
        out.push(t);
    }
    Ok(out)
}

impl CountsFile {
    /// The counting this names: exactly one of the three, checked.
    pub fn counting(&self) -> Result<Counting, String> {
        let given = [self.revenue_at_least.is_some(), !self.holding.is_empty(), !self.gained.is_empty()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err("counts 须写且只写 revenue_at_least、holding、gained 中的一项".into());
        }
        if let Some(a) = &self.revenue_at_least {
            return Ok(Counting::RevenueAtLeast(amount(a)?));
        }
        if !self.holding.is_empty() {
            return Ok(Counting::Holding(tiers(&self.holding)?));
        }
        Ok(Counting::Gained(tiers(&self.gained)?))
    }
}

impl Counting {
    /// The form kept in the database: `revenue_at_least:FEN`, `holding:CODE,CODE`, `gained:CODE`.
    pub fn code(&self) -> String {
        let codes = |ts: &[Tier]| ts.iter().map(|t| t.code()).collect::<Vec<_>>().join(",");
        match self {
            Counting::RevenueAtLeast(m) => format!("revenue_at_least:{}", m.fen()),
            Counting::Holding(ts) => format!("holding:{}", codes(ts)),
            Counting::Gained(ts) => format!("gained:{}", codes(ts)),
        }
    }

    /// Reads [`Counting::code`] back; an empty text is no counting.
    pub fn from_code(text: &str) -> Result<Option<Counting>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let (kind, rest) = text.split_once(':').ok_or_else(|| format!("计数口径“{text}”无效"))?;
        let list = || rest.split(',').map(str::to_string).collect::<Vec<_>>();
        let c = match kind {
            "revenue_at_least" => {
                let fen: i64 = rest.parse().map_err(|_| format!("计数口径“{text}”无效"))?;
                Counting::RevenueAtLeast(Money::from_fen(fen))
            }
            "holding" => Counting::Holding(tiers(&list())?),
            "gained" => Counting::Gained(tiers(&list())?),
            _ => return Err(format!("计数口径“{text}”无效")),
        };
        Ok(Some(c))
    }

    /// In words, for the indicator's page: how its figure comes about.
    pub fn describe(&self) -> String {
        let names = |ts: &[Tier]| ts.iter().map(|t| t.label()).collect::<Vec<_>>().join("或");
        match self {
            Counting::RevenueAtLeast(m) => format!("企业库中当年营业收入达到{}的企业家数", m.display()),
            Counting::Holding(ts) => format!("企业库中期末持有{}称号的企业家数", names(ts)),
            Counting::Gained(ts) => format!("企业库中当年新认定为{}的企业家数", names(ts)),
        }
    }
}

/// An indicator's counting as its row keeps it: none, or one, decoded once from its code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted(pub Option<Counting>);

impl TryFrom<String> for Counted {
    type Error = String;

    fn try_from(code: String) -> Result<Counted, String> {
        Counting::from_code(&code).map(Counted)
    }
}

impl serde::Serialize for Counted {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.as_ref().map(Counting::code).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(toml_text: &str) -> CountsFile {
        toml::from_str(toml_text).expect("toml")
    }

    #[test]
    fn each_form_is_read_and_kept_and_read_back() {
        let cases = [
            ("revenue_at_least = \"100亿元\"", Counting::RevenueAtLeast(Money::from_yi(100).expect("yi"))),
            ("holding = [\"national_little_giant\"]", Counting::Holding(vec![Tier::NationalLittleGiant])),
            (
                "gained = [\"provincial_champion\", \"省级专精特新“小巨人”\"]",
                Counting::Gained(vec![Tier::ProvincialChampion, Tier::ProvincialLittleGiant]),
            ),
        ];
        for (text, want) in cases {
            let c = file(text).counting().expect(text);
            assert_eq!(c, want, "{text}");
            assert_eq!(Counting::from_code(&c.code()), Ok(Some(want)), "{text}");
        }
        assert_eq!(Counting::from_code(""), Ok(None));
    }

    #[test]
    fn a_wrong_counting_is_refused_in_words() {
        let refused = [
            ("revenue_at_least = \"100\"", "须带单位"),
            ("revenue_at_least = \"0亿元\"", "须大于零"),
            ("holding = [\"金牌企业\"]", "没有梯队“金牌企业”"),
            ("gained = [\"above_scale\", \"规上企业\"]", "写了两次"),
            ("holding = [\"high_tech\"]\ngained = [\"above_scale\"]", "只写"),
            ("", "只写"),
        ];
        for (text, needle) in refused {
            let e = file(text).counting().expect_err(text);
            assert!(e.contains(needle), "{text}: {e}");
        }
        assert!(toml::from_str::<CountsFile>("tiers = [\"x\"]").is_err(), "unknown keys are refused");
        assert!(Counting::from_code("holding:gold").is_err());
    }

    #[test]
    fn the_description_says_how_the_figure_comes_about() {
        let c = Counting::Gained(vec![Tier::AboveScale]);
        assert_eq!(c.describe(), "企业库中当年新认定为规上企业的企业家数");
        assert!(Counting::RevenueAtLeast(Money::from_yi(10).expect("yi")).describe().contains("10亿元"));
    }
}
