//! One search box [X4]: what a query matches in a record's names — a part of a name (Chinese or
//! not, full-width letters and digits read as half-width) or the pinyin initials of a name
//! (“tlsf” finds 铜陵示范) — and how well, so the best matches come first.

use pinyin::ToPinyin;

/// The longest query read, in characters.
pub const MAX_QUERY: usize = 50;

/// A query as compared: trimmed, full-width forms made half-width, letters lower-case.
pub fn normalize(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The pinyin initials of `text`: one lower-case letter per Chinese character, other letters and
/// digits kept, everything else dropped (“汨罗高新区” → “mlgxq”).
pub fn initials(text: &str) -> String {
    text.chars()
        .zip(text.to_pinyin())
        .filter_map(|(c, p)| match p {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// How well `query` (normalized) matches a record with these `names` (its name first): higher is
/// better, `None` for no match. A whole name beats its beginning, which beats a part; pinyin
/// initials count only for a query of ASCII letters of at least two.
pub fn score(query: &str, names: &[&str]) -> Option<u32> {
    if query.is_empty() {
        return None;
    }
    let letters = query.len() >= 2 && query.chars().all(|c| c.is_ascii_lowercase());
    let mut best: Option<u32> = None;
    for (i, name) in names.iter().enumerate() {
        let first = if i == 0 { 5 } else { 0 };
        let n = normalize(name);
        let s = if n == query {
            Some(100)
        } else if n.starts_with(query) {
            Some(80)
        } else if n.contains(query) {
            Some(60)
        } else if letters {
            let ini = initials(name);
            if ini.starts_with(query) {
                Some(50)
            } else if ini.contains(query) {
                Some(40)
            } else {
                None
            }
        } else {
            None
        };
        best = best.max(s.map(|s| s + first));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_are_read_alike() {
        assert_eq!(normalize("　ＡＢＣ１２３ "), "abc123");
        assert_eq!(normalize("再生铝"), "再生铝");
    }

    #[test]
    fn initials_of_chinese_names() {
        assert_eq!(initials("汨罗高新区"), "mlgxq");
        assert_eq!(initials("铜陵示范有色（集团）"), "tlsfysjt");
        assert_eq!(initials("A1塑料"), "a1sl");
    }

    #[test]
    fn a_whole_name_beats_a_beginning_a_part_and_initials() {
        let q = normalize("铜业");
        assert_eq!(score(&q, &["铜业"]), Some(105));
        assert_eq!(score(&q, &["铜业集团"]), Some(85));
        assert_eq!(score(&q, &["江西示范铜业"]), Some(65));
        assert_eq!(score(&q, &["江西示范", "示范铜业"]), Some(60), "a short name counts less than the name");
        assert_eq!(score(&q, &["再生铝"]), None);
        assert_eq!(score("jxsf", &["江西示范铜业"]), Some(55));
        assert_eq!(score("sfty", &["江西示范铜业"]), Some(45));
        assert_eq!(score("t", &["铜业"]), None, "one letter is too little for initials");
        assert_eq!(score("", &["铜业"]), None);
    }

    #[test]
    fn two_characters_are_enough() {
        assert!(score(&normalize("再生"), &["湖南示范再生资源有限公司"]).is_some());
    }
}
