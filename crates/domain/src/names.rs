//! Normalised enterprise names for matching imports against the library: full-width to half-width,
//! no spaces, no company-form suffix (有限公司 …), no leading region (湖南省, 汨罗市 …).

/// Company-form suffixes, longest first.
const SUFFIXES: [&str; 8] =
    ["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "集团公司", "总公司", "公司"];

/// Endings of administrative divisions that may lead a registered name.
const DIVISIONS: [char; 5] = ['省', '市', '县', '区', '州'];

/// Short names of the provincial-level divisions, which often lead a registered name without 省.
const PROVINCES: [&str; 34] = [
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
];

/// The name in the form used for matching (never shown to users).
pub fn normalize(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    // A region in brackets, e.g. 三一重工（湖南）, and bracketed notes like （示范企业） stay: they are part of the name.
    loop {
        let before = s.clone();
        for suffix in SUFFIXES {
            if let Some(rest) = s.strip_suffix(suffix)
                && rest.chars().count() >= 2
            {
                s = rest.to_string();
            }
        }
        // Leading divisions: up to three characters and a division ending, repeated (湖南省岳阳市…).
        let chars: Vec<char> = s.chars().collect();
        if let Some(pos) = chars.iter().take(5).position(|c| DIVISIONS.contains(c))
            && pos >= 1
            && chars.len() - pos > 2
        {
            s = chars[pos + 1..].iter().collect();
        }
        for p in PROVINCES {
            if let Some(rest) = s.strip_prefix(p)
                && rest.chars().count() >= 2
                && !rest.starts_with(DIVISIONS)
            {
                s = rest.to_string();
            }
        }
        if s == before {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mean_the_same_enterprise_match() {
        for (a, b) in [
            ("湖南展威新材料有限公司", "展威新材料"),
            ("汨罗市展威新材料股份有限公司", "展威新材料"),
            ("湖南省岳阳市展威新材料有限责任公司", "展威新材料"),
            ("展威新材料　有限公司", "展威新材料"),
            ("ＡＢＣ科技有限公司", "ABC科技"),
            ("abc科技公司", "ABC科技"),
        ] {
            assert_eq!(normalize(a), normalize(b), "{a} ~ {b}");
        }
    }

    #[test]
    fn different_names_stay_different() {
        assert_ne!(normalize("展威新材料有限公司"), normalize("展威电子有限公司"));
        assert_ne!(normalize("同力（示范企业）"), normalize("同力"));
        assert_eq!(normalize("市场"), "市场", "a name that is only a division word is kept");
    }
}
