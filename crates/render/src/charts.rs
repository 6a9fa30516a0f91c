//! Server-rendered SVG charts of the leaders' cockpit: a monthly trend line chart, target progress
//! bars and a comparison bar chart. Pure functions returning standalone SVG strings styled with
//! presentation attributes only (no script, no `<style>`, no external fonts); when there is nothing
//! to draw a chart shows "暂无数据".

use std::fmt::{self, Write};

use crate::text::{ellipsis, text_width};
use crate::xml::{escape, num};

/// Font stack of every chart text.
const FONT: &str = "Noto Sans CJK SC, sans-serif";
/// Width of every chart's viewBox.
const W: f64 = 760.0;
/// Outer margin.
const M: f64 = 16.0;
const INK: &str = "#1f2933";
const INK_SOFT: &str = "#52606d";
const GRID: &str = "#e4e7eb";
const AXIS: &str = "#9aa5b1";
const TRACK: &str = "#edf0f3";
const TARGET: &str = "#c0392b";
/// White outline behind value labels so that they stay readable over grid and reference lines.
const HALO: &str = r##"stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;
/// Series colours: a strong blue first, muted ones after it.
const PALETTE: [&str; 6] = ["#1f5fa8", "#7b8794", "#4f9a94", "#b7885a", "#8a7bb8", "#6f9a5b"];
/// Longest row label (characters) before it is cut with "…".
const LABEL_CHARS: usize = 14;
/// Longest progress note (characters) before it is cut with "…".
const NOTE_CHARS: usize = 16;
/// Top of the rows of the bar charts (below the title and the scale labels).
const ROWS_TOP: f64 = 66.0;

/// Status of a target, coloured green/amber/red/grey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// On schedule.
    Green,
    /// Slightly behind schedule.
    Amber,
    /// Clearly behind schedule.
    Red,
    /// No data yet.
    NoData,
}

impl Status {
    /// Colour and legend name.
    fn style(self) -> (&'static str, &'static str) {
        match self {
            Status::Green => ("#2e7d32", "正常"),
            Status::Amber => ("#e0a100", "预警"),
            Status::Red => ("#c62828", "落后"),
            Status::NoData => ("#9e9e9e", "无数据"),
        }
    }
}

/// One line of a trend chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend and tooltip name of the line.
    pub label: String,
    /// One value per x label; `None` (or a non-finite value) breaks the line.
    pub values: Vec<Option<f64>>,
    /// Draw the line dashed (used for the pro-rata schedule).
    pub dashed: bool,
}

/// A monthly trend chart: x labels (e.g. "2026-01"), series, an optional horizontal target line with its label, unit shown on the y axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Chart title.
    pub title: String,
    /// Unit of the values, shown above the y axis and in tooltips.
    pub unit: String,
    /// Labels of the x positions, e.g. "2026-01".
    pub x_labels: Vec<String>,
    /// The lines; the first is drawn strongest.
    pub series: Vec<Series>,
    /// A horizontal target line: value and label.
    pub target: Option<(f64, String)>,
}

/// One bar of a progress chart: actual and the pro-rata schedule as fractions of the target (may exceed 1), with a link.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Name of the target.
    pub label: String,
    /// Actual as a fraction of the target (1.0 = reached).
    pub actual: f64,
    /// Pro-rata schedule as a fraction of the target, drawn as a tick.
    pub schedule: Option<f64>,
    /// Colour of the bar.
    pub status: Status,
    /// Link of the row.
    pub href: Option<String>,
    /// Short note shown right of the percentage.
    pub note: String,
}

/// One bar of a comparison chart (e.g. chains by attainment %).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Name of the bar.
    pub label: String,
    /// Value in the chart's unit.
    pub value: f64,
    /// Colour of the bar.
    pub status: Status,
    /// Link of the row.
    pub href: Option<String>,
}

/// Renders a monthly trend line chart.
pub fn trend(t: &Trend) -> String {
    let values: Vec<f64> =
        t.series.iter().flat_map(|s| s.values.iter().flatten().copied()).filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return empty(&t.title, 300.0);
    }
    finish(|out| write_trend(out, t, &values))
}

/// Renders horizontal progress bars, one row per target.
pub fn progress(title: &str, bars: &[Progress]) -> String {
    if bars.is_empty() {
        return empty(title, 160.0);
    }
    finish(|out| write_progress(out, title, bars))
}

/// Renders horizontal bars of `value` in `unit`, with a 100 reference line when `unit` is "%".
pub fn comparison(title: &str, unit: &str, bars: &[Bar]) -> String {
    if !bars.iter().any(|b| b.value.is_finite()) {
        return empty(title, 160.0);
    }
    finish(|out| write_comparison(out, title, unit.trim(), bars))
}

fn finish(f: impl FnOnce(&mut String) -> fmt::Result) -> String {
    let mut out = String::with_capacity(8192);
    if f(&mut out).is_err() {
        out.clear();
    }
    out
}

fn line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) -> fmt::Result {
    writeln!(out, r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {attrs}/>"#, num(x1), num(y1), num(x2), num(y2))
}

/// A `<rect>`, left out when it has no area (a bar of zero draws nothing).
fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, attrs: &str) -> fmt::Result {
    if w <= 0.0 || h <= 0.0 {
        return Ok(());
    }
    writeln!(out, r#"<rect x="{}" y="{}" width="{}" height="{}" {attrs}/>"#, num(x), num(y), num(w), num(h))
}

/// A `<text>` holding the escaped `s`.
fn text(out: &mut String, x: f64, y: f64, attrs: &str, s: &str) -> fmt::Result {
    writeln!(out, r#"<text x="{}" y="{}" {attrs}>{}</text>"#, num(x), num(y), escape(s))
}

/// The root element, `<title>`, white background and the visible title; `unit` goes top right.
fn head(out: &mut String, title: &str, h: f64, unit: &str) -> fmt::Result {
    let t = escape(title);
    let (w, hh) = (num(W), num(h));
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {hh}" width="100%" role="img" aria-label="{t}" font-family="{FONT}" font-size="12" fill="{INK}">"#
    )?;
    writeln!(out, "<title>{t}</title>")?;
    rect(out, 0.0, 0.0, W, h, r##"fill="#ffffff""##)?;
    text(out, M, 26.0, r#"font-size="15" font-weight="bold""#, title)?;
    if !unit.is_empty() {
        text(out, W - M, 26.0, &format!(r#"fill="{INK_SOFT}" text-anchor="end""#), &format!("单位：{unit}"))?;
    }
    Ok(())
}

/// A chart with only its title and "暂无数据".
fn empty(title: &str, h: f64) -> String {
    finish(|out| {
        head(out, title, h, "")?;
        let attrs = format!(r#"font-size="13" fill="{AXIS}" text-anchor="middle""#);
        text(out, W / 2.0, h / 2.0 + 14.0, &attrs, "暂无数据")?;
        writeln!(out, "</svg>")
    })
}

/// A linear axis from `lo` to `hi` with ticks every `step`.
#[derive(Debug, Clone, Copy)]
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
}

/// A "nice" axis covering 0, `lo` and `hi` with 4–6 ticks at 1, 2, 2.5 or 5 × 10^k (more only
/// when it also has to reach below zero).
fn nice_scale(lo: f64, hi: f64) -> Scale {
    let lo = if lo.is_finite() { lo.min(0.0) } else { 0.0 };
    let mut hi = if hi.is_finite() { hi.max(0.0) } else { 0.0 };
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let raw = (hi - lo) / 5.0;
    if !raw.is_finite() || raw <= f64::MIN_POSITIVE {
        return Scale { lo: 0.0, hi: 1.0, step: 0.2 };
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw * (1.0 - 1e-9));
    let step = step.unwrap_or(10.0 * mag);
    Scale { lo: (lo / step + 1e-9).floor() * step, hi: (hi / step - 1e-9).ceil() * step, step }
}

impl Scale {
    fn ticks(self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round().clamp(1.0, 20.0) as usize;
        let snap = |v: f64| if v.abs() < self.step * 1e-6 { 0.0 } else { v };
        (0..=n).map(|i| snap(self.lo + i as f64 * self.step)).collect()
    }

    /// Position of `v` on an axis of length `len` (0 at `lo`).
    fn at(self, v: f64, len: f64) -> f64 {
        (v - self.lo) / (self.hi - self.lo) * len
    }

    /// Tick label with as many decimals as the step needs.
    fn label(self, v: f64) -> String {
        if self.step >= 1e12 {
            return format!("{v:.2e}");
        }
        let exact = |d: &i32| {
            let s = self.step * 10f64.powi(*d);
            (s - s.round()).abs() < 1e-6 * s.abs().max(1.0)
        };
        let d = (0..6).find(exact).unwrap_or(6) as usize;
        format!("{v:.d$}")
    }
}

/// A value with at most two decimals and no trailing zeros; "—" when not finite.
fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    } else if v.abs() >= 1e12 {
        return format!("{v:.3e}");
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// A fraction as a percentage with one decimal, e.g. "76.3%"; "—" when not finite.
fn fmt_pct(f: f64) -> String {
    if !f.is_finite() {
        "—".to_string()
    } else if f.abs() >= 1e4 {
        format!("{:.1e}%", f * 100.0)
    } else {
        // Tenths of a percent, never rounded up across a boundary (99.96% is not 100.0%).
        let tenths = (f * 1000.0 + 1e-6).floor();
        format!("{:.1}%", tenths / 10.0).replace("-0.0%", "0.0%")
    }
}

/// The mark of a legend entry.
#[derive(Debug, Clone, Copy)]
enum Mark {
    Line(&'static str, bool),
    Swatch(&'static str),
    Tick,
}

/// A placed legend entry.
struct Key {
    mark: Mark,
    label: String,
    x: f64,
    row: usize,
}

/// Lays legend entries out in rows from `x0` to `max_x`.
fn legend_layout(entries: Vec<(Mark, String)>, x0: f64, max_x: f64) -> Vec<Key> {
    let (mut x, mut row) = (x0, 0);
    let mut keys = Vec::with_capacity(entries.len());
    for (mark, label) in entries {
        let label = ellipsis(&label, LABEL_CHARS);
        let w = 28.0 + text_width(&label, 12.0, false);
        if x > x0 && x + w > max_x {
            (x, row) = (x0, row + 1);
        }
        keys.push(Key { mark, label, x, row });
        x += w + 20.0;
    }
    keys
}

/// Height taken by a legend.
fn legend_height(keys: &[Key]) -> f64 {
    keys.last().map_or(0.0, |k| (k.row + 1) as f64 * 20.0)
}

fn write_legend(out: &mut String, keys: &[Key], y0: f64) -> fmt::Result {
    writeln!(out, r#"<g class="legend" fill="{INK_SOFT}">"#)?;
    for k in keys {
        let (x, y) = (k.x, y0 + k.row as f64 * 20.0);
        match k.mark {
            Mark::Line(c, dashed) => {
                let dash = if dashed { r#" stroke-dasharray="5 3""# } else { "" };
                line(out, x, y - 4.0, x + 22.0, y - 4.0, &format!(r#"stroke="{c}" stroke-width="2"{dash}"#))?
            }
            Mark::Swatch(c) => rect(out, x + 5.0, y - 10.0, 12.0, 12.0, &format!(r#"rx="2" fill="{c}""#))?,
            Mark::Tick => {
                line(out, x + 11.0, y - 11.0, x + 11.0, y + 2.0, &format!(r#"stroke="{INK}" stroke-width="2""#))?
            }
        }
        text(out, x + 28.0, y, "", &k.label)?;
    }
    writeln!(out, "</g>")
}

/// Legend entries of the statuses used, in a fixed order.
fn status_keys(used: impl Iterator<Item = Status>) -> Vec<(Mark, String)> {
    let used: Vec<Status> = used.collect();
    [Status::Green, Status::Amber, Status::Red, Status::NoData]
        .into_iter()
        .filter(|s| used.contains(s))
        .map(|s| (Mark::Swatch(s.style().0), s.style().1.to_string()))
        .collect()
}

/// Opens a row: an optional link around a group whose `<title>` is `tip`.
fn open_row(out: &mut String, href: Option<&String>, tip: &str) -> fmt::Result {
    writeln!(out, r#"{}<g class="row"><title>{}</title>"#, link(href), escape(tip))
}

/// The opening `<a>` of an optional link.
fn link(href: Option<&String>) -> String {
    href.map_or(String::new(), |h| format!(r#"<a href="{}">"#, escape(h)))
}

fn close_row(out: &mut String, href: Option<&String>) -> fmt::Result {
    write!(out, "</g>")?;
    close_link(out, href)
}

fn close_link(out: &mut String, href: Option<&String>) -> fmt::Result {
    writeln!(out, "{}", if href.is_some() { "</a>" } else { "" })
}

fn write_trend(out: &mut String, t: &Trend, values: &[f64]) -> fmt::Result {
    let target = t.target.as_ref().filter(|(v, _)| v.is_finite());
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().chain(target.map(|(v, _)| *v)).fold(f64::NEG_INFINITY, f64::max);
    let scale = nice_scale(lo, hi);
    let ticks = scale.ticks();
    let tick_w = ticks.iter().map(|&v| text_width(&scale.label(v), 12.0, false)).fold(16.0, f64::max);
    let target_label = target.map(|(_, l)| ellipsis(l, 12));
    let left = M + tick_w + 10.0;
    let right = W - M - target_label.as_ref().map_or(8.0, |l| text_width(l, 12.0, false) + 8.0);
    let (top, bottom) = (62.0, 302.0);
    let y = |v: f64| bottom - scale.at(v, bottom - top);
    let n = t.series.iter().map(|s| s.values.len()).max().unwrap_or(0).max(t.x_labels.len()).max(1);
    let pad = 12.0;
    let dx = if n > 1 { (right - left - 2.0 * pad) / (n - 1) as f64 } else { 0.0 };
    let x = |i: usize| if n > 1 { left + pad + i as f64 * dx } else { (left + right) / 2.0 };

    let color = |k: usize| PALETTE[k % PALETTE.len()];
    let mut entries: Vec<_> =
        t.series.iter().enumerate().map(|(k, s)| (Mark::Line(color(k), s.dashed), s.label.clone())).collect();
    if let Some((_, l)) = target {
        entries.push((Mark::Line(TARGET, true), l.clone()));
    }
    let legend = legend_layout(entries, left, W - M);
    head(out, &t.title, bottom + 50.0 + legend_height(&legend), "")?;
    if !t.unit.trim().is_empty() {
        text(out, M, 46.0, &format!(r#"fill="{INK_SOFT}""#), &format!("单位：{}", t.unit.trim()))?;
    }
    writeln!(out, r#"<g class="y-axis" fill="{INK_SOFT}" text-anchor="end">"#)?;
    for &v in &ticks {
        line(out, left, y(v), right, y(v), &format!(r#"stroke="{}""#, if v == 0.0 { AXIS } else { GRID }))?;
        text(out, left - 8.0, y(v) + 4.0, "", &scale.label(v))?;
    }
    writeln!(out, "</g>")?;

    // Label every `every`-th month: at most 12 labels, none wider than the room between them;
    // steps of 1, 2, 3, 4, 6 or 12 months keep the labels on quarters and years.
    let label_w = t.x_labels.iter().map(|l| text_width(l, 12.0, false)).fold(0.0, f64::max) + 12.0;
    let need = n.div_ceil(12).max(if dx > 0.0 { (label_w / dx).ceil() as usize } else { 1 });
    let every = [1, 2, 3, 4, 6, 12].into_iter().find(|&s| s >= need).unwrap_or(need.div_ceil(12) * 12);
    writeln!(out, r#"<g class="x-labels" fill="{INK_SOFT}" text-anchor="middle">"#)?;
    for (i, l) in t.x_labels.iter().enumerate().step_by(every) {
        line(out, x(i), bottom, x(i), bottom + 4.0, &format!(r#"stroke="{AXIS}""#))?;
        text(out, x(i), bottom + 20.0, "", l)?;
    }
    writeln!(out, "</g>")?;

    if let (Some((v, full)), Some(label)) = (target, &target_label) {
        writeln!(out, r#"<g><title>{}：{} {}</title>"#, escape(full), fmt_value(*v), escape(&t.unit))?;
        let attrs = format!(r#"class="target" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4""#);
        line(out, left, y(*v), right, y(*v), &attrs)?;
        text(out, right + 6.0, y(*v) + 4.0, &format!(r#"fill="{TARGET}""#), label)?;
        writeln!(out, "</g>")?;
    }

    // Later series first so that the first (the actual values) is drawn on top.
    let r = [3.0, 2.5, 2.0][(n > 18) as usize + (n > 36) as usize];
    for (k, s) in t.series.iter().enumerate().rev() {
        let color = color(k);
        let points: Vec<(usize, f64)> =
            s.values.iter().enumerate().filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v))).collect();
        let mut d = String::new();
        for (j, &(i, v)) in points.iter().enumerate() {
            let joined = j > 0 && points[j - 1].0 + 1 == i;
            write!(d, "{}{},{}", if joined { " L" } else { " M" }, num(x(i)), num(y(v)))?;
        }
        let dash = if s.dashed { r#" stroke-dasharray="6 4""# } else { "" };
        let width = if k == 0 { "2.2" } else { "1.8" };
        writeln!(
            out,
            r#"<path class="series" d="{}" fill="none" stroke="{color}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#,
            d.trim()
        )?;
        let (fill, stroke) = if s.dashed { ("#ffffff", color) } else { (color, "#ffffff") };
        writeln!(out, r#"<g fill="{fill}" stroke="{stroke}" stroke-width="1">"#)?;
        for &(i, v) in &points {
            let xl = t.x_labels.get(i).cloned().unwrap_or_else(|| format!("第{}期", i + 1));
            let tip = format!("{} {}: {} {}", s.label, xl, fmt_value(v), t.unit);
            let (cx, cy) = (num(x(i)), num(y(v)));
            writeln!(out, r#"<circle cx="{cx}" cy="{cy}" r="{r}"><title>{}</title></circle>"#, escape(tip.trim()))?;
        }
        writeln!(out, "</g>")?;
    }
    write_legend(out, &legend, bottom + 46.0)?;
    writeln!(out, "</svg>")
}

fn write_progress(out: &mut String, title: &str, bars: &[Progress]) -> fmt::Result {
    const ROW: f64 = 36.0;
    let labels: Vec<String> = bars.iter().map(|b| ellipsis(&b.label, LABEL_CHARS)).collect();
    let notes: Vec<String> = bars.iter().map(|b| ellipsis(&b.note, NOTE_CHARS)).collect();
    let label_w = labels.iter().map(|l| text_width(l, 13.0, false)).fold(48.0, f64::max);
    let pct_w = bars.iter().map(|b| text_width(&fmt_pct(b.actual), 13.0, true)).fold(0.0, f64::max);
    let note_w = notes.iter().map(|n| text_width(n, 12.0, false)).fold(0.0, f64::max);
    let left = M + label_w + 12.0;
    let text_x = W - M - pct_w - if note_w > 0.0 { note_w + 10.0 } else { 0.0 };
    // The drawn area holds 0–120 % (and the overflow arrow); the track shows 0–100 %.
    let unit = ((text_x - 24.0 - left) / 1.2).max(100.0);
    let fx = |f: f64| left + f.clamp(0.0, 1.2) * unit;
    let rows_bottom = ROWS_TOP + bars.len() as f64 * ROW;

    let mut entries = status_keys(bars.iter().map(|b| b.status));
    if bars.iter().any(|b| b.schedule.is_some_and(f64::is_finite)) {
        entries.push((Mark::Tick, "序时进度".to_string()));
    }
    let legend = legend_layout(entries, left, W - M);
    head(out, title, rows_bottom + 28.0 + legend_height(&legend), "")?;
    writeln!(out, r#"<g class="scale" fill="{INK_SOFT}" text-anchor="middle">"#)?;
    for f in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let stroke = format!(r#"stroke="{}""#, if f == 1.0 { AXIS } else { GRID });
        line(out, fx(f), ROWS_TOP - 6.0, fx(f), rows_bottom, &stroke)?;
        text(out, fx(f), ROWS_TOP - 12.0, "", &format!("{}%", f * 100.0))?;
    }
    writeln!(out, "</g>")?;

    for (i, b) in bars.iter().enumerate() {
        let cy = ROWS_TOP + i as f64 * ROW + ROW / 2.0;
        let sched = b.schedule.filter(|s| s.is_finite());
        let mut tip = format!("{}：完成 {}", b.label.trim(), fmt_pct(b.actual));
        if let Some(s) = sched {
            write!(tip, "，序时进度 {}", fmt_pct(s))?;
        }
        if !b.note.trim().is_empty() {
            write!(tip, "（{}）", b.note.trim())?;
        }
        open_row(out, b.href.as_ref(), &tip)?;
        text(out, left - 12.0, cy + 4.5, r#"font-size="13" text-anchor="end""#, &labels[i])?;
        rect(out, left, cy - 7.0, unit, 14.0, &format!(r#"rx="3" fill="{TRACK}""#))?;
        let color = b.status.style().0;
        if b.actual.is_finite() && b.actual > 0.0 {
            let end = fx(b.actual);
            rect(out, left, cy - 7.0, end - left, 14.0, &format!(r#"class="bar" rx="3" fill="{color}""#))?;
            if b.actual > 1.2 {
                let (x1, x2, y1, y2, ym) = (num(end + 2.0), num(end + 10.0), num(cy - 7.0), num(cy + 7.0), num(cy));
                writeln!(out, r#"<path class="overflow" d="M{x1},{y1} L{x2},{ym} L{x1},{y2} Z" fill="{color}"/>"#)?;
            }
        }
        if let Some(s) = sched {
            let attrs = format!(r#"class="schedule" stroke="{INK}" stroke-width="2""#);
            line(out, fx(s), cy - 11.0, fx(s), cy + 11.0, &attrs)?;
        }
        text(out, text_x, cy + 4.5, r#"font-size="13" font-weight="bold""#, &fmt_pct(b.actual))?;
        if note_w > 0.0 {
            text(out, text_x + pct_w + 10.0, cy + 4.5, &format!(r#"fill="{INK_SOFT}""#), &notes[i])?;
        }
        close_row(out, b.href.as_ref())?;
    }
    write_legend(out, &legend, rows_bottom + 24.0)?;
    writeln!(out, "</svg>")
}

fn write_comparison(out: &mut String, title: &str, unit: &str, bars: &[Bar]) -> fmt::Result {
    const ROW: f64 = 32.0;
    let pct = unit == "%";
    let suffix = if pct { "%" } else { "" };
    let finite = || bars.iter().map(|b| b.value).filter(|v| v.is_finite());
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(if pct { 100.0 } else { f64::NEG_INFINITY }, f64::max);
    let scale = nice_scale(lo, hi);
    let labels: Vec<String> = bars.iter().map(|b| ellipsis(&b.label, LABEL_CHARS)).collect();
    let value = |v: f64| if v.is_finite() { format!("{}{suffix}", fmt_value(v)) } else { "无数据".into() };
    let values: Vec<String> = bars.iter().map(|b| value(b.value)).collect();
    let label_w = labels.iter().map(|l| text_width(l, 13.0, false)).fold(48.0, f64::max);
    let value_w = values.iter().map(|v| text_width(v, 12.0, true)).fold(0.0, f64::max);
    let left = M + label_w + 12.0 + if scale.lo < 0.0 { value_w + 8.0 } else { 0.0 };
    let area = (W - M - value_w - 8.0 - left).max(100.0);
    let vx = |v: f64| left + scale.at(v, area);
    let rows_bottom = ROWS_TOP + bars.len() as f64 * ROW;

    let legend = legend_layout(status_keys(bars.iter().map(|b| b.status)), left, W - M);
    let legend_top = rows_bottom + if pct { 40.0 } else { 24.0 };
    head(out, title, legend_top + 4.0 + legend_height(&legend), if pct { "" } else { unit })?;
    writeln!(out, r#"<g class="scale" fill="{INK_SOFT}" text-anchor="middle">"#)?;
    for v in scale.ticks() {
        let stroke = format!(r#"stroke="{}""#, if v == 0.0 { AXIS } else { GRID });
        line(out, vx(v), ROWS_TOP - 6.0, vx(v), rows_bottom, &stroke)?;
        text(out, vx(v), ROWS_TOP - 12.0, "", &format!("{}{suffix}", scale.label(v)))?;
    }
    writeln!(out, "</g>")?;

    // Bars, then the reference line over them, then the value labels (with a halo) over that.
    let (x0, mut tail) = (vx(0.0), String::new());
    for (i, b) in bars.iter().enumerate() {
        let cy = ROWS_TOP + i as f64 * ROW + ROW / 2.0;
        let tip_unit = if pct || !b.value.is_finite() { "" } else { unit };
        open_row(out, b.href.as_ref(), &format!("{}：{}{tip_unit}", b.label.trim(), values[i]))?;
        text(out, M + label_w, cy + 4.5, r#"font-size="13" text-anchor="end""#, &labels[i])?;
        let (anchor, tx, fill) = if b.value.is_finite() {
            let xe = vx(b.value);
            let attrs = format!(r#"class="bar" rx="2" fill="{}""#, b.status.style().0);
            rect(out, x0.min(xe), cy - 8.0, (xe - x0).abs(), 16.0, &attrs)?;
            if b.value < 0.0 { ("end", xe - 6.0, INK) } else { ("start", xe + 6.0, INK) }
        } else {
            ("start", x0 + 6.0, AXIS)
        };
        close_row(out, b.href.as_ref())?;
        let attrs = format!(r#"font-weight="bold" text-anchor="{anchor}" fill="{fill}" {HALO}"#);
        write!(tail, "{}", link(b.href.as_ref()))?;
        text(&mut tail, tx, cy + 4.0, &attrs, &values[i])?;
        close_link(&mut tail, b.href.as_ref())?;
    }
    if pct {
        let attrs = format!(r#"class="reference" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4""#);
        line(out, vx(100.0), ROWS_TOP - 6.0, vx(100.0), rows_bottom + 4.0, &attrs)?;
        text(out, vx(100.0), rows_bottom + 20.0, &format!(r#"fill="{TARGET}" text-anchor="middle""#), "达标线 100%")?;
    }
    out.push_str(&tail);
    write_legend(out, &legend, legend_top)?;
    writeln!(out, "</svg>")
}

#[cfg(test)]
mod tests;
