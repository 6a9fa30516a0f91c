use super::*;

/// A small deterministic xorshift64 generator (no dependencies).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value in `0..=max`.
    fn upto(&mut self, max: i64) -> i64 {
        let span = u64::try_from(max).expect("non-negative") + 1;
        i64::try_from(self.next() % span).expect("fits")
    }
}

const CASES: usize = 10_000;

fn yuan(fen: i64) -> Money {
    Money::from_fen(fen)
}

#[test]
fn parses_good_text() {
    use MoneyUnit::{Wan, Yi, Yuan};
    for (text, unit, fen) in [
        ("1234", Yuan, 123_400),
        ("1,234.56", Yuan, 123_456),
        ("１２３４．５６", Yuan, 123_456),
        ("１，２３４", Yuan, 123_400),
        ("  12.5  ", Wan, 12_500_000),
        ("\u{3000}3\u{3000}", Yi, 30_000_000_000),
        ("0.000001", Wan, 1),
        ("0.0000000001", Yi, 1),
        ("1.2345", Wan, 1_234_500),
        (".5", Yuan, 50),
        ("7.", Yuan, 700),
        ("0", Yuan, 0),
        ("007", Yuan, 700),
        ("1.230", Yuan, 123),
        ("12.3400000", Wan, 12_340_000),
        ("92233720368547758.07", Yuan, i64::MAX),
        ("922337203.6854775807", Yi, i64::MAX),
    ] {
        assert_eq!(Money::parse(text, unit), Ok(yuan(fen)), "{text:?} in {unit}");
    }
}

#[test]
fn refuses_bad_text_in_chinese() {
    use MoneyUnit::{Wan, Yi, Yuan};
    let cases: [(&str, MoneyUnit, MoneyError, &str); 22] = [
        ("", Yuan, MoneyError::Empty, "请填写金额"),
        ("  \u{3000}", Wan, MoneyError::Empty, "请填写金额"),
        ("abc", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("12元", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("十万", Wan, MoneyError::NotANumber, "请输入数字"),
        ("1.2.3", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("1 234", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("1e5", Yuan, MoneyError::NotANumber, "请输入数字"),
        (".", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("-", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("--1", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("+1", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("1.5,0", Yuan, MoneyError::NotANumber, "请输入数字"),
        ("-5", Yuan, MoneyError::Negative, "金额不能为负数"),
        ("－５．５", Wan, MoneyError::Negative, "金额不能为负数"),
        ("-1.234", Yuan, MoneyError::Negative, "金额不能为负数"),
        ("1.234", Yuan, MoneyError::TooPrecise { unit: Yuan }, "金额以元为单位时最多保留2位小数"),
        ("0.0000001", Wan, MoneyError::TooPrecise { unit: Wan }, "金额以万元为单位时最多保留6位小数"),
        ("0.00000000001", Yi, MoneyError::TooPrecise { unit: Yi }, "金额以亿元为单位时最多保留10位小数"),
        ("92233720368547758.08", Yuan, MoneyError::TooLarge, "金额过大"),
        ("99999999999999999999999999999999999999", Yuan, MoneyError::TooLarge, "金额过大"),
        ("922337204", Yi, MoneyError::TooLarge, "金额过大"),
    ];
    for (text, unit, error, message) in cases {
        let got = Money::parse(text, unit).expect_err(text);
        assert_eq!(got, error, "{text:?} in {unit}");
        assert_eq!(got.to_string(), message, "{text:?} in {unit}");
    }
    assert_eq!(MoneyError::NotANumber.for_field("总投资"), "总投资：请输入数字");
    assert_eq!(
        MoneyError::TooPrecise { unit: Wan }.for_field("签约金额"),
        "签约金额：金额以万元为单位时最多保留6位小数"
    );
}

#[test]
fn formats_in_a_unit() {
    use MoneyUnit::{Wan, Yi, Yuan};
    for (fen, unit, rounded, exact) in [
        (123_456_789, Wan, "123.46", "123.456789"),
        (123_456_789, Yi, "0.01", "0.0123456789"),
        (123_456_789, Yuan, "1234567.89", "1234567.89"),
        (0, Wan, "0", "0"),
        (5_000, Wan, "0.01", "0.005"),
        (4_999, Wan, "0", "0.004999"),
        (-5_000, Wan, "-0.01", "-0.005"),
        (-4_999, Wan, "0", "-0.004999"),
        (100_000_000, Wan, "100", "100"),
        (150, Yuan, "1.5", "1.5"),
        (10_000_000_000, Yi, "1", "1"),
        (i64::MAX, Yuan, "92233720368547758.07", "92233720368547758.07"),
        (i64::MIN, Yi, "-922337203.69", "-922337203.6854775808"),
    ] {
        assert_eq!(yuan(fen).format_in(unit), rounded, "{fen} in {unit}");
        assert_eq!(yuan(fen).format_exact_in(unit), exact, "{fen} in {unit}");
    }
}

#[test]
fn displays_in_the_unit_that_suits_the_size() {
    for (fen, shown) in [
        (0, "0元"),
        (1, "0.01元"),
        (999_950, "9999.5元"),
        (999_999, "9999.99元"),
        (1_000_000, "1万元"),
        (123_456_789, "123.46万元"),
        (-123_456_789, "-123.46万元"),
        (9_999_994_999, "9999.99万元"),
        (9_999_999_999, "1亿元"),
        (10_000_000_000, "1亿元"),
        (123_456_789_012, "12.35亿元"),
        (i64::MAX, "922337203.69亿元"),
    ] {
        assert_eq!(yuan(fen).display(), shown, "{fen}");
        assert_eq!(yuan(fen).to_string(), shown, "{fen}");
    }
}

#[test]
fn units_have_symbols_labels_and_quantity_units() {
    for u in MoneyUnit::ALL {
        assert_eq!(MoneyUnit::from_quantity_unit(u.quantity_unit()), Some(u));
        assert_eq!(u.label(), format!("（{}）", u.symbol()));
        assert_eq!(u.fen_per_unit(), 10i64.pow(u.decimals()));
    }
    assert_eq!(MoneyUnit::from_quantity_unit(Unit::Ton), None);
    assert_eq!(format!("总投资{}", MoneyUnit::Wan.label()), "总投资（万元）");
}

#[test]
fn constructors_name_their_scale_and_check_overflow() {
    assert_eq!(Money::from_yuan(12).map(Money::fen), Some(1_200));
    assert_eq!(Money::from_wan(3).map(Money::fen), Some(3_000_000));
    assert_eq!(Money::from_yi(2).map(Money::fen), Some(20_000_000_000));
    assert_eq!(Money::from_yuan(i64::MAX), None);
    assert_eq!(Money::from_wan(i64::MAX / 100), None);
    assert_eq!(Money::from_yi(i64::MAX / 100), None);
    assert_eq!(Money::total([yuan(1), yuan(2)]), yuan(3));
    assert_eq!(Money::total([yuan(i64::MAX), yuan(1)]), yuan(i64::MAX), "capped, not wrapped");
    assert_eq!(Money::total([]), Money::ZERO);
    assert_eq!(yuan(25).share_of(yuan(100)), 0.25);
    assert_eq!(yuan(25).share_of(Money::ZERO), 0.0);
    assert_eq!(Money::from_wan(12_345).expect("fits").number_in(MoneyUnit::Yi), 1.2345);
    assert_eq!(Money::ZERO, Money::default());
    assert_eq!(yuan(1).checked_add(yuan(2)), Some(yuan(3)));
    assert_eq!(yuan(i64::MAX).checked_add(yuan(1)), None);
    assert_eq!(yuan(1).checked_sub(yuan(3)), Some(yuan(-2)));
    assert_eq!(yuan(i64::MIN).checked_sub(yuan(1)), None);
    assert_eq!(Money::checked_sum([]), Some(Money::ZERO));
    assert_eq!(Money::checked_sum([yuan(i64::MAX), yuan(1), yuan(-1)]), None);
    assert_eq!(serde_json::to_string(&yuan(1_234)).expect("serialise"), "1234");
    assert_eq!(serde_json::from_str::<Money>("-5").expect("deserialise"), yuan(-5));
}

#[test]
fn converts_quantities() {
    let q = |text: &str, unit: Unit| Quantity::parse(text, unit).expect("quantity");
    assert_eq!(Money::from_quantity(&q("1", Unit::HundredMillionYuan)), Some(yuan(10_000_000_000)));
    assert_eq!(Money::from_quantity(&q("1.2345", Unit::TenThousandYuan)), Money::from_yuan(12_345));
    assert_eq!(Money::from_quantity(&q("12.34", Unit::Yuan)), Some(yuan(1_234)));
    assert_eq!(Money::from_quantity(&q("0.001", Unit::Yuan)), None);
    assert_eq!(Money::from_quantity(&q("1", Unit::Ton)), None);
    assert_eq!(Money::from_quantity(&q("5", Unit::Percent)), None);
    assert_eq!(Money::from_quantity(&q("922337204", Unit::HundredMillionYuan)), None);
    let m = yuan(123_456_789);
    let scaled = |unit: Unit| m.to_quantity(unit).map(|x| x.scaled);
    assert_eq!(scaled(Unit::Yuan), Some(12_345_678_900));
    assert_eq!(scaled(Unit::TenThousandYuan), Some(1_234_568));
    assert_eq!(scaled(Unit::HundredMillionYuan), Some(123));
    assert_eq!(scaled(Unit::Ton), None);
    assert_eq!(yuan(i64::MAX).to_quantity(Unit::Yuan), None);
    assert_eq!(m.to_quantity(Unit::TenThousandYuan).map(|x| x.to_string()), Some("123.4568万元".to_string()));
}

#[test]
fn exact_formatting_parses_back() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..CASES {
        let m = yuan(rng.upto(1_000_000_000_000_000));
        for u in MoneyUnit::ALL {
            let text = m.format_exact_in(u);
            assert_eq!(Money::parse(&text, u), Ok(m), "{text} in {u}");
        }
    }
}

#[test]
fn parts_add_up_to_the_total() {
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    let split = |rng: &mut XorShift, total: i64| -> Vec<i64> {
        let count = rng.upto(19);
        let mut cuts: Vec<i64> = (0..count).map(|_| rng.upto(total)).collect();
        cuts.push(0);
        cuts.push(total);
        cuts.sort_unstable();
        cuts.windows(2).map(|w| w[1] - w[0]).collect()
    };
    for _ in 0..CASES {
        let total = rng.upto(1_000_000_000_000_000);
        let parts = split(&mut rng, total);
        assert_eq!(Money::checked_sum(parts.iter().map(|f| yuan(*f))), Some(yuan(total)));

        let total_yuan = rng.upto(10_000_000_000_000);
        let parts: Vec<Money> =
            split(&mut rng, total_yuan).into_iter().map(|y| Money::from_yuan(y).expect("fits")).collect();
        let whole = Money::from_yuan(total_yuan).expect("fits");
        assert_eq!(Money::checked_sum(parts.iter().copied()), Some(whole));
        assert_eq!(Money::total(parts.iter().copied()), whole);
        // As stored in a column (integer 分) and read back, the parts still add up to the whole.
        let stored: Vec<i64> = parts.iter().map(|p| p.fen()).collect();
        assert_eq!(stored.iter().sum::<i64>(), whole.fen());
        let back: Vec<Money> = stored.iter().map(|f| Money::from_fen(*f)).collect();
        assert_eq!(back, parts);
        assert_eq!(Money::total(back), whole);
    }
}

#[test]
fn decimal_strings_sum_without_drift() {
    // In f64, 0.1 added ten times is 0.9999999999999999; as 分 it is exactly 1元.
    let tenths = Money::checked_sum((0..10).map(|_| Money::parse("0.1", MoneyUnit::Yuan).expect("0.1")));
    assert_eq!(tenths.map(|m| m.format_exact_in(MoneyUnit::Yuan)), Some("1".to_string()));

    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for unit in MoneyUnit::ALL {
        let places = usize::try_from(unit.decimals()).expect("small");
        let mut expected: i64 = 0;
        let mut total = Money::ZERO;
        for _ in 0..CASES {
            // An integer part, then 0..=places decimals written out digit by digit.
            let int = rng.upto(99_999.min(100_000_000_000_000 / unit.fen_per_unit()));
            let used = usize::try_from(rng.upto(i64::try_from(places).expect("small"))).expect("small");
            let digits: Vec<i64> = (0..used).map(|_| rng.upto(9)).collect();
            let mut text = int.to_string();
            let mut fen = int * unit.fen_per_unit();
            if used > 0 {
                text.push('.');
            }
            let mut weight = unit.fen_per_unit();
            for d in digits {
                text.push(char::from(b'0' + u8::try_from(d).expect("digit")));
                weight /= 10;
                fen += d * weight;
            }
            expected += fen;
            let parsed = Money::parse(&text, unit).expect("decimal text");
            assert_eq!(parsed.fen(), fen, "{text}");
            total = total.checked_add(parsed).expect("no overflow");
        }
        assert_eq!(total.fen(), expected);
        let per = unit.fen_per_unit();
        let frac = format!("{:0places$}", expected % per);
        let frac = frac.trim_end_matches('0');
        let exact = if frac.is_empty() { (expected / per).to_string() } else { format!("{}.{frac}", expected / per) };
        assert_eq!(total.format_exact_in(unit), exact);
    }
}
