//! Plan-text extraction (方案文本提取): reads a plan's text and drafts its measures, with their
//! responsible units (责任单位, 牵头单位/配合单位) and quotas (不少于N…), as `[[measures]]` for the
//! plan file (docs/plan-format.md §10). Nothing is guessed: what cannot be read is listed with its line.

use std::collections::HashSet;

/// A measure found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftMeasure {
    /// Dotted numbering from the headings (`3.1.2`), or `m1`, `m2`… when it is not recognisable.
    pub code: String,
    /// The enclosing `（一）…` heading (else the `一、…` heading), or empty.
    pub section: String,
    /// A short title: the text's leading phrase up to the first `，` or `。`, at most 20 characters.
    pub title: String,
    /// The measure's text without the responsibility clause, OCR line breaks joined.
    pub text: String,
    /// The unit names of the clause, in the order written.
    pub units: Vec<String>,
    /// The lead units: the 牵头 units for 牵头/配合 wording, else the first unit.
    pub lead: Vec<String>,
    /// The other units, in the order written.
    pub co: Vec<String>,
    /// The quotas found in the measure's text.
    pub quotas: Vec<DraftQuota>,
    /// 1-based line where the measure's responsibility clause was found.
    pub line: usize,
}

/// A quota found in a measure's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftQuota {
    /// What is counted, e.g. `外出专题招商活动`; empty when it could not be found.
    pub name: String,
    /// The minimum, as written (Arabic or Chinese numerals).
    pub min: u32,
    /// The unit written after the number: 次, 家, 个, 项 …; empty when none is written.
    pub unit: String,
    /// The period the sentence names (每年, 每半年, 每季度, 每月 or 年均), else empty.
    pub per: String,
    /// The matched phrase as it stands in the normalised text, e.g. `每年组织外出专题招商活动不少于4次`.
    pub phrase: String,
}

/// What could not be read, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparsed {
    /// 1-based line, or 0 for the whole text.
    pub line: usize,
    /// The passage concerned (shortened when long).
    pub text: String,
    /// Why it was not read, in Chinese.
    pub reason: String,
}

/// The result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    /// The measures, in the order of the text.
    pub measures: Vec<DraftMeasure>,
    /// The passages that could not be read, in the order of the text.
    pub unparsed: Vec<Unparsed>,
}

const RESP_KEYS: [&str; 3] = ["责任单位", "责任部门", "主责单位"];
const LEAD_KEYS: [&str; 2] = ["牵头单位", "牵头部门"];
const CO_KEYS: [&str; 4] = ["配合单位", "配合部门", "协办单位", "参与单位"];
const QUOTA_KEYS: [&str; 4] = ["不少于", "不低于", "不小于", "至少"];
const PERIODS: [&str; 5] = ["每半年", "每季度", "每年", "每月", "年均"];
/// Leading verbs stripped from a quota's name, longest first.
const VERBS: &str = concat!(
    "新培育 新引进 新建成 组织 举办 举行 召开 培育 引进 新增 开展 建设 打造 ",
    "新建 建成 创建 实施 完成 争取 培养 认定 力争 确保 累计 全年"
);
/// Units of more than one character, checked before a single-character unit.
const MULTI_UNITS: &str =
    "个百分点 万平方米 平方公里 平方米 万千瓦 万美元 亿美元 万元 亿元 万吨 万人 人次 家次 场次 批次";
const TASK_WORDS: [&str; 5] = ["任务", "举措", "措施", "行动", "工程"];
/// Ends of a clause (the span a quota's name is taken from).
const STOPS: [char; 6] = ['，', '。', '；', '：', '！', '？'];
/// Ends of a sentence (the span a quota's period is taken from).
const SENTENCE: [char; 4] = ['。', '；', '！', '？'];
const HEADING_MAX: usize = 30;
const SNIPPET_MAX: usize = 200;

/// A paragraph: OCR lines joined, with the line each part came from.
struct Para {
    text: Vec<char>,
    /// (offset in `text`, 1-based line) of each joined line.
    lines: Vec<(usize, usize)>,
}

impl Para {
    fn line_at(&self, i: usize) -> usize {
        self.lines.iter().rev().find(|(off, _)| *off <= i).map_or(0, |(_, l)| *l)
    }
}

/// A responsibility clause: its span and the span of its content (keywords included).
struct Clause {
    start: usize,
    end: usize,
    body: (usize, usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Resp,
    Lead,
    Co,
}

/// Reads a plan text (already decoded to UTF-8; the caller handles GB18030).
pub fn extract(text: &str) -> Extraction {
    let mut x = Extraction::default();
    if text.trim().is_empty() {
        x.unparsed.push(unparsed(0, "", "文本为空"));
        return x;
    }
    let paras = paragraphs(text);
    let has_task_heading = paras.iter().any(|p| is_task_heading(&p.text));
    let mut levels: [Option<u32>; 4] = [None; 4];
    let mut sections = [String::new(), String::new()];
    let mut in_scope = !has_task_heading;
    let mut codes: HashSet<String> = HashSet::new();
    let mut any_clause = false;
    for p in &paras {
        let s = &p.text;
        let mark = marker(s);
        let marker_end = mark.map_or(0, |(_, _, len)| len);
        let cl = clauses(s, marker_end);
        let mut body = marker_end;
        if let Some((lv, found, _)) = mark {
            let mut n = found;
            if let Some(prev) = levels[lv]
                && n <= prev
            {
                n = prev + 1;
                let head: String = s.iter().take(HEADING_MAX).collect();
                x.unparsed.push(unparsed(p.line_at(0), &head, &format!("编号与上一条重复或倒序，按次序记为第{n}条")));
            }
            levels[lv] = Some(n);
            levels.iter_mut().skip(lv + 1).for_each(|l| *l = None);
            if lv < 2 {
                let (head_end, body_start) = heading(s, marker_end, cl.first().map_or(s.len(), |c| c.start));
                sections[lv] = s[..head_end].iter().collect();
                if lv == 0 {
                    sections[1].clear();
                    in_scope = !has_task_heading || is_task_heading(s);
                }
                body = body_start;
            }
        }
        let section = if sections[1].is_empty() { &sections[0] } else { &sections[1] };
        let mut prev = body;
        for (ci, c) in cl.iter().enumerate() {
            any_clause = true;
            let line = p.line_at(c.start);
            let mut a = prev.min(c.start);
            if ci == 0 && trim_range(s, a, c.start).0 >= c.start {
                a = marker_end.min(c.start);
            }
            let (a, b) = trim_range(s, a, c.start);
            prev = c.end;
            let (units, lead, co) = parse_units(&s[c.body.0..c.body.1]);
            if units.is_empty() {
                x.unparsed.push(unparsed(line, &snippet(&s[a..c.end]), "责任单位条款中没有单位"));
                continue;
            }
            if a >= b {
                x.unparsed.push(unparsed(line, &snippet(&s[c.start..c.end]), "责任单位条款前没有举措内容"));
                continue;
            }
            let quotas = quotas(p, a, b, &mut x.unparsed);
            let dotted: Vec<String> = levels.iter().flatten().map(u32::to_string).collect();
            let dotted = dotted.join(".");
            let code = if dotted.is_empty() || codes.contains(&dotted) {
                format!("m{}", x.measures.len() + 1)
            } else {
                dotted
            };
            codes.insert(code.clone());
            let title = s[a..b].iter().take_while(|c| !matches!(c, '，' | '。' | '；' | '：')).take(20).collect();
            let text = s[a..b].iter().collect();
            let m = DraftMeasure { code, section: section.clone(), title, text, units, lead, co, quotas, line };
            x.measures.push(m);
        }
        if in_scope {
            let (a, b) = trim_range(s, prev, s.len());
            if !quotas(p, a, b, &mut Vec::new()).is_empty() {
                x.unparsed.push(unparsed(p.line_at(a), &snippet(&s[a..b]), "有任务量但未写责任单位"));
            }
        }
    }
    if !any_clause {
        x.unparsed.push(unparsed(0, "", "全文未找到责任单位或牵头单位"));
    }
    x
}

fn unparsed(line: usize, text: &str, reason: &str) -> Unparsed {
    Unparsed { line, text: text.to_string(), reason: reason.to_string() }
}

fn snippet(s: &[char]) -> String {
    let mut t: String = s.iter().take(SNIPPET_MAX).collect();
    if s.len() > SNIPPET_MAX {
        t.push('…');
    }
    t
}

/// Full-width brackets, colons, commas and semicolons; ASCII digits; no spaces next to Chinese text.
fn normalise(raw: &str) -> Vec<char> {
    let half = |c: char| if ('０'..='９').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c };
    let src: Vec<char> = raw.chars().map(half).collect();
    let digit = |i: Option<usize>| i.and_then(|i| src.get(i)).is_some_and(char::is_ascii_digit);
    let (mut out, mut space) = (Vec::with_capacity(src.len()), false);
    for (i, &c) in src.iter().enumerate() {
        let between_digits = digit(i.checked_sub(1)) && digit(Some(i + 1));
        let c = match c {
            '(' => '（',
            ')' => '）',
            ';' => '；',
            ':' if !between_digits => '：',
            ',' if !between_digits => '，',
            '．' if digit(i.checked_sub(1)) => '.',
            _ => c,
        };
        if c.is_whitespace() || c == '\u{feff}' {
            space = true;
            continue;
        }
        if space && c.is_ascii() && out.last().is_some_and(char::is_ascii) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Joins the OCR lines into paragraphs: a paragraph starts at numbering, indentation, after a
/// heading, or after a blank line that follows the end of a sentence.
fn paragraphs(text: &str) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut blank = false;
    for (n, raw) in text.lines().enumerate() {
        let indented = raw.starts_with([' ', '\t', '\u{3000}']);
        let line = normalise(raw);
        if line.is_empty() {
            blank = true;
            continue;
        }
        let page_number = line.len() <= 10
            && line.iter().any(char::is_ascii_digit)
            && line.iter().all(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '–' | ' '));
        if page_number {
            continue;
        }
        let join = out.last().is_some_and(|p| {
            starts_with_clause(&line)
                || unclosed_clause(&p.text)
                || !(marker(&line).is_some() || is_heading(p) || indented || (blank && ends_sentence(&p.text)))
        });
        blank = false;
        match out.last_mut() {
            Some(p) if join => {
                if p.text.last().is_some_and(char::is_ascii_alphanumeric)
                    && line.first().is_some_and(char::is_ascii_alphanumeric)
                {
                    p.text.push(' ');
                }
                p.lines.push((p.text.len(), n + 1));
                p.text.extend(line);
            }
            _ => out.push(Para { text: line, lines: vec![(0, n + 1)] }),
        }
    }
    out
}

fn ends_sentence(s: &[char]) -> bool {
    s.last().is_some_and(|c| matches!(c, '。' | '！' | '？' | '；' | '）' | '”'))
}

/// A one-line `一、…` or `（一）…` heading standing alone.
fn is_heading(p: &Para) -> bool {
    p.lines.len() == 1
        && p.text.len() <= HEADING_MAX
        && marker(&p.text).is_some_and(|(lv, _, _)| lv < 2)
        && !p.text.last().is_some_and(|c| matches!(c, '，' | '、' | '：'))
}

fn is_task_heading(s: &[char]) -> bool {
    let head: String = s.iter().take(HEADING_MAX).collect();
    marker(s).is_some_and(|(lv, _, _)| lv == 0) && TASK_WORDS.iter().any(|w| head.contains(w))
}

/// The end of a heading's title and the start of the text after it.
fn heading(s: &[char], from: usize, stop: usize) -> (usize, usize) {
    let rest = &s[from..stop.max(from)];
    let boundary = rest.iter().take(HEADING_MAX + 1).enumerate().position(|(k, c)| {
        matches!(c, '。' | '：') || (*c == '.' && !rest.get(k + 1).is_some_and(char::is_ascii_digit))
    });
    match boundary {
        Some(k) => (from + k, from + k + 1),
        None if rest.len() <= HEADING_MAX => (from + rest.len(), from + rest.len()),
        None => {
            let k = rest.iter().take(HEADING_MAX).take_while(|c| !matches!(c, '，' | '；')).count();
            (from + k, from)
        }
    }
}

fn trim_range(s: &[char], mut a: usize, mut b: usize) -> (usize, usize) {
    while a < b && matches!(s[a], ' ' | '。' | '；' | '，' | '、' | '.') {
        a += 1;
    }
    while b > a && s[b - 1] == ' ' {
        b -= 1;
    }
    (a, b)
}

fn at(s: &[char], i: usize, pat: &str) -> bool {
    pat.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c))
}

fn clause_key(s: &[char], i: usize) -> Option<&'static str> {
    RESP_KEYS.iter().chain(&LEAD_KEYS).chain(&CO_KEYS).copied().find(|k| at(s, i, k))
}

/// A clause keyword followed by a colon, e.g. `牵头单位：`.
fn bare_key(s: &[char], i: usize) -> bool {
    clause_key(s, i).is_some_and(|k| s.get(i + k.chars().count()) == Some(&'：'))
}

fn starts_with_clause(line: &[char]) -> bool {
    bare_key(line, 0) || (line.first() == Some(&'（') && clause_key(line, 1).is_some())
}

/// A `（责任单位…` clause near the end of the paragraph that is not closed yet.
fn unclosed_clause(s: &[char]) -> bool {
    let tail = s.len().saturating_sub(SNIPPET_MAX);
    let open = (tail..s.len()).rev().find(|&i| s[i] == '（' && clause_key(s, i + 1).is_some());
    open.is_some_and(|i| clauses(s, i).first().is_some_and(|c| c.body.1 == s.len()))
}

/// The responsibility clauses of a paragraph: `（责任单位：…）` anywhere, or a bare
/// `牵头单位：…` / `责任单位：…` running to the paragraph's end.
fn clauses(s: &[char], from: usize) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut i = from;
    while i < s.len() {
        if s[i] == '（' && clause_key(s, i + 1).is_some() {
            let mut depth = 0usize;
            let mut close = None;
            for (j, &c) in s.iter().enumerate().skip(i) {
                if c == '（' {
                    depth += 1;
                } else if c == '）' {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
            }
            let end = close.map_or(s.len(), |j| j + 1);
            out.push(Clause { start: i, end, body: (i + 1, close.unwrap_or(s.len())) });
            i = end;
        } else if bare_key(s, i) && (i == from || matches!(s[i - 1], '。' | '；' | '，' | '）' | ' ' | '.')) {
            out.push(Clause { start: i, end: s.len(), body: (i, s.len()) });
            break;
        } else {
            i += 1;
        }
    }
    out
}

/// The units of a clause's content: all of them in order, the lead units and the others.
fn parse_units(body: &[char]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let body: String = body.iter().collect();
    let mut role = Role::Resp;
    let mut named: Vec<(String, Role)> = Vec::new();
    for group in body.split(['，', '；', '。']) {
        let mut g = group.trim();
        let key = RESP_KEYS.iter().map(|k| (k, Role::Resp));
        let mut key = key.chain(LEAD_KEYS.iter().map(|k| (k, Role::Lead))).chain(CO_KEYS.iter().map(|k| (k, Role::Co)));
        if let Some((rest, r)) = key.find_map(|(k, r)| g.strip_prefix(k).map(|rest| (rest, r))) {
            role = r;
            g = rest.trim_start_matches(['：', ' ']);
        }
        let mut group_role = role;
        if let Some(rest) = g.strip_suffix("牵头").filter(|r| !r.is_empty()) {
            (g, group_role) = (rest, Role::Lead);
        } else if let Some(rest) = g.strip_suffix("配合").filter(|r| !r.is_empty()) {
            (g, group_role) = (rest, Role::Co);
        }
        for name in g.split('、') {
            let marked = name.contains("（牵头）");
            let name = name.replace("（牵头）", "");
            let name = name.trim();
            let name = name.strip_suffix('等').filter(|n| !n.is_empty()).unwrap_or(name);
            if !name.is_empty() && !matches!(name, "下同" | "以下同") {
                named.push((name.to_string(), if marked { Role::Lead } else { group_role }));
            }
        }
    }
    let units: Vec<String> = named.iter().map(|(n, _)| n.clone()).collect();
    if named.iter().any(|(_, r)| *r != Role::Resp) {
        let lead = named.iter().filter(|(_, r)| *r == Role::Lead).map(|(n, _)| n.clone()).collect();
        let co = named.iter().filter(|(_, r)| *r != Role::Lead).map(|(n, _)| n.clone()).collect();
        (units, lead, co)
    } else {
        let (lead, co) = units.split_at(units.len().min(1));
        (units.clone(), lead.to_vec(), co.to_vec())
    }
}

fn cn_digit(c: char) -> Option<u32> {
    let d = "零一二三四五六七八九".chars().position(|d| d == c).or(match c {
        '〇' => Some(0),
        '两' => Some(2),
        _ => None,
    });
    d.and_then(|d| u32::try_from(d).ok())
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// The value of a Chinese numeral below ten thousand, e.g. 十五 → 15, 一百零五 → 105.
fn cn_value(s: &[char]) -> Option<u32> {
    let (mut total, mut digit) = (0u32, None::<u32>);
    for &c in s {
        let scale = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                if digit.is_some_and(|d| d != 0) {
                    return None;
                }
                digit = Some(cn_digit(c)?);
                continue;
            }
        };
        total = total.checked_add(digit.unwrap_or(1).checked_mul(scale)?)?;
        digit = None;
    }
    total.checked_add(digit.unwrap_or(0))
}

fn digits(s: &[char]) -> Option<u32> {
    s.iter().collect::<String>().parse().ok()
}

/// A paragraph's leading numbering: level (0 `一、`, 1 `（一）`, 2 `1.`, 3 `（1）` or `①`), number, length.
fn marker(s: &[char]) -> Option<(usize, u32, usize)> {
    let cn = |from: usize| s[from.min(s.len())..].iter().take_while(|c| is_cn_numeral(**c)).count();
    let n = cn(0);
    if (1..=3).contains(&n) && s.get(n) == Some(&'、') {
        return cn_value(&s[..n]).map(|v| (0, v, n + 1));
    }
    if s.first() == Some(&'（') {
        let n = cn(1);
        if (1..=3).contains(&n) && s.get(n + 1) == Some(&'）') {
            return cn_value(&s[1..=n]).map(|v| (1, v, n + 2));
        }
        let d = s[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&d) && s.get(d + 1) == Some(&'）') {
            return digits(&s[1..=d]).map(|v| (3, v, d + 2));
        }
    }
    let d = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&d) && matches!(s.get(d), Some('.' | '、')) && !s.get(d + 1).is_some_and(char::is_ascii_digit)
    {
        return digits(&s[..d]).map(|v| (2, v, d + 1));
    }
    match s.first() {
        Some(&c) if ('①'..='⑳').contains(&c) => Some((3, c as u32 - '①' as u32 + 1, 1)),
        _ => None,
    }
}

/// Strips leading periods and verbs and trailing periods and modal words from a quota's name.
fn strip_name(s: &[char]) -> String {
    let mut t: String = s.iter().collect::<String>().trim().to_string();
    loop {
        let before = t.len();
        for p in PERIODS.into_iter().chain(VERBS.split(' ')) {
            if let Some(rest) = t.strip_prefix(p) {
                t = rest.to_string();
            }
        }
        for p in PERIODS.into_iter().chain(["应", "须", "需", "要", "均"]) {
            if let Some(rest) = t.strip_suffix(p) {
                t = rest.to_string();
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

/// The quotas in `s[from..to]`; a quota whose name or unit is missing is kept and also listed in `issues`.
fn quotas(p: &Para, from: usize, to: usize, issues: &mut Vec<Unparsed>) -> Vec<DraftQuota> {
    let s = &p.text[..to];
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        let Some(key) = QUOTA_KEYS.iter().find(|k| at(s, i, k)) else {
            i += 1;
            continue;
        };
        let k = i;
        let mut j = i + key.chars().count();
        i = j;
        let nd = s[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        let nc = if nd > 0 { 0 } else { s[j..].iter().take_while(|c| is_cn_numeral(**c)).count() };
        if nd + nc == 0 {
            continue;
        }
        j += nd + nc;
        if (nd > 0 && s.get(j) == Some(&'.') && s.get(j + 1).is_some_and(char::is_ascii_digit)) || at(s, j, "分之") {
            issues.push(unparsed(p.line_at(k), &snippet(&s[k..(j + 4).min(to)]), "任务量不是整数"));
            continue;
        }
        let value = if nd > 0 { digits(&s[j - nd..j]) } else { cn_value(&s[j - nc..j]) };
        let Some(min) = value else {
            issues.push(unparsed(p.line_at(k), &snippet(&s[k..j]), "任务量的数字无法读取"));
            continue;
        };
        let unit_len = MULTI_UNITS.split(' ').find(|u| at(s, j, u)).map(|u| u.chars().count()).unwrap_or_else(|| {
            let single = s.get(j).is_some_and(|&c| ('\u{4e00}'..='\u{9fff}').contains(&c) && !matches!(c, '以' | '的'));
            usize::from(single || matches!(s.get(j), Some('%' | '％')))
        });
        let unit: String = s[j..j + unit_len].iter().collect();
        j += unit_len;
        let (lo, hi) = (from.max(k.saturating_sub(SNIPPET_MAX)), to.min(j + SNIPPET_MAX));
        let start = (lo..k).rev().find(|&b| STOPS.contains(&s[b])).map_or(lo, |b| b + 1);
        let before = strip_name(&s[start..k]);
        let (name, end) = if before.is_empty() {
            let e = (j..hi).find(|&b| STOPS.contains(&s[b])).unwrap_or(hi);
            let after: String = s[j..e].iter().collect();
            (after.trim().trim_start_matches("以上").to_string(), e)
        } else {
            (before, j)
        };
        let phrase = s[start..end].iter().collect::<String>().trim().to_string();
        let sb = (lo..k).rev().find(|&b| SENTENCE.contains(&s[b])).map_or(lo, |b| b + 1);
        let se = (k..hi).find(|&b| SENTENCE.contains(&s[b])).unwrap_or(hi);
        let period_at = |b: usize| PERIODS.iter().find(|w| at(s, b, w));
        let per = (sb..k).rev().find_map(period_at).or_else(|| (k..se).find_map(period_at));
        if name.is_empty() {
            issues.push(unparsed(p.line_at(k), &phrase, "任务量未找到计数对象"));
        }
        if unit.is_empty() {
            issues.push(unparsed(p.line_at(k), &phrase, "任务量未写单位"));
        }
        out.push(DraftQuota { name, min, unit, per: per.map_or(String::new(), |w| w.to_string()), phrase });
        i = j;
    }
    out
}

mod toml_out;
pub use toml_out::to_toml;

#[cfg(test)]
mod tests;
