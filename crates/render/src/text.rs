//! Text measurement and the content of a node box. Widths are estimates good enough for CJK
//! fonts: a wide (CJK) character is one em, an ASCII character about 4/7 em.

use chainchief_domain::chain_map::MapNode;

/// Font size of the node name (bold).
pub const NAME_FONT: f64 = 14.0;
/// Font size of the other box lines and badges.
pub const SMALL_FONT: f64 = 12.0;
/// Line height of a name line.
pub const NAME_LINE: f64 = 19.0;
/// Line height of a small line.
pub const SMALL_LINE: f64 = 17.0;
/// Inner padding of a box.
pub const PAD_X: f64 = 10.0;
/// Inner padding above the first and below the last line.
pub const PAD_Y: f64 = 8.0;
/// Widest name line: ten CJK characters at the name font.
pub const NAME_WRAP: f64 = 10.0 * NAME_FONT;
/// Key enterprise names longer than this many characters are cut with an ellipsis.
pub const ENTERPRISE_CHARS: usize = 10;
/// Key enterprises shown in a box.
pub const MAX_ENTERPRISES: usize = 3;
/// Layer marks shown in a box, and their longest length in characters.
pub const MAX_MARKS: usize = 3;
/// Layer mark lines longer than this many characters are cut with an ellipsis.
pub const MARK_CHARS: usize = 16;
/// Horizontal room of a badge ("关键" tag or rating word) including its gap to the text.
pub const BADGE_ROOM: f64 = 2.0 * SMALL_FONT + 8.0 + 8.0;
/// Narrowest box.
pub const MIN_BOX_WIDTH: f64 = 120.0;

/// True for characters drawn one em wide (CJK ideographs, kana, hangul, full-width forms).
fn is_wide(c: char) -> bool {
    !c.is_ascii()
}

/// Estimated width of `s` at `font` px; `bold` adds a little for ASCII glyphs.
pub fn text_width(s: &str, font: f64, bold: bool) -> f64 {
    let narrow = if bold { 0.6 } else { 8.0 / 14.0 };
    s.chars().map(|c| if is_wide(c) { font } else { font * narrow }).sum()
}

/// Splits `s` into lines no wider than `max` px, preferring breaks after spaces and slashes
/// inside ASCII runs so that Latin words stay whole when they can.
pub fn wrap(s: &str, font: f64, bold: bool, max: f64) -> Vec<String> {
    let clean: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut lines = Vec::new();
    let mut line: Vec<char> = Vec::new();
    let mut width = 0.0;
    for c in clean.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), font, bold);
        if width + w > max + 0.01 && !line.is_empty() {
            let mut carry = Vec::new();
            if c.is_ascii_alphanumeric()
                && line.last().is_some_and(|l| l.is_ascii_alphanumeric())
                && let Some(cut) = line.iter().rposition(|&l| l == ' ' || l == '/' || !l.is_ascii())
                && cut + 1 < line.len()
            {
                carry = line.split_off(cut + 1);
            }
            lines.push(line.iter().collect::<String>().trim_end().to_string());
            line = carry.into_iter().skip_while(|&l| l == ' ').collect();
            width = line.iter().map(|&l| text_width(l.encode_utf8(&mut [0; 4]), font, bold)).sum();
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        width += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.into_iter().collect());
    }
    lines
}

/// The name lines of a node's box (wrapped at about ten CJK characters).
pub fn name_lines(name: &str) -> Vec<String> {
    wrap(name, NAME_FONT, true, NAME_WRAP)
}

/// `s` cut to `max` characters with a trailing ellipsis when longer.
pub fn ellipsis(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// The "本地企业 N 家" line.
pub fn count_line(n: u32) -> String {
    format!("本地企业 {n} 家")
}

/// All text lines of a node box and its size.
#[derive(Debug, Clone)]
pub struct BoxText {
    /// Name lines, then the count line, then key enterprise lines, then layer marks.
    pub lines: Vec<String>,
    /// Box width.
    pub width: f64,
    /// Box height.
    pub height: f64,
}

/// Lays out the text of a node box; the box leaves room for the "关键" tag beside the first
/// name line and for the rating word beside the count line.
pub fn box_text(node: &MapNode) -> BoxText {
    let names = name_lines(&node.name);
    let count = count_line(node.local_enterprises);
    let enterprises: Vec<String> = node
        .key_enterprises
        .iter()
        .filter(|e| !e.trim().is_empty())
        .take(MAX_ENTERPRISES)
        .map(|e| ellipsis(e, ENTERPRISE_CHARS))
        .collect();
    let marks: Vec<String> =
        node.marks.iter().take(MAX_MARKS).map(|m| ellipsis(&format!("◆{m}"), MARK_CHARS)).collect();
    let mut inner: f64 = 0.0;
    for (i, l) in names.iter().enumerate() {
        let tag = if i == 0 && node.key { BADGE_ROOM } else { 0.0 };
        inner = inner.max(text_width(l, NAME_FONT, true) + tag);
    }
    let badge = if node.rating.is_some() { BADGE_ROOM } else { 0.0 };
    inner = inner.max(text_width(&count, SMALL_FONT, false) + badge);
    for e in enterprises.iter().chain(&marks) {
        inner = inner.max(text_width(e, SMALL_FONT, false));
    }
    let width = (inner + 2.0 * PAD_X).ceil().max(MIN_BOX_WIDTH);
    let height =
        2.0 * PAD_Y + names.len() as f64 * NAME_LINE + (1 + enterprises.len() + marks.len()) as f64 * SMALL_LINE;
    let mut lines = names;
    lines.push(count);
    lines.extend(enterprises);
    lines.extend(marks);
    BoxText { lines, width, height }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_as_one_em_and_ascii_narrower() {
        assert_eq!(text_width("电解铜", 14.0, false), 42.0);
        assert_eq!(text_width("abcdefg", 14.0, false), 56.0);
    }

    #[test]
    fn names_wrap_at_ten_cjk_characters() {
        let lines = name_lines("高纯阴极铜及铜合金精深加工材料");
        assert_eq!(lines, vec!["高纯阴极铜及铜合金精".to_string(), "深加工材料".to_string()]);
        assert_eq!(name_lines("电解/阴极铜"), vec!["电解/阴极铜".to_string()]);
    }

    #[test]
    fn ascii_words_stay_whole_when_wrapping() {
        let lines = wrap("copper foil for lithium batteries", 14.0, false, 100.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 14.0, false) <= 100.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '), "{l:?}");
        }
        assert_eq!(lines.join(" "), "copper foil for lithium batteries");
    }

    #[test]
    fn enterprise_names_get_an_ellipsis_after_ten_characters() {
        assert_eq!(ellipsis("江西铜业股份有限公司贵溪冶炼厂", 10), "江西铜业股份有限公司…");
        assert_eq!(ellipsis("江西铜业", 10), "江西铜业");
    }
}
