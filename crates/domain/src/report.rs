//! Reports of the offices [O3][C6]: their kinds and where each stands.

use crate::org::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a report is.
    ReportKind {
        /// A chain office's monthly report (工作月报).
        Monthly = ("monthly", "工作月报"),
        /// The general office's quarterly report to the city leaders.
        Quarterly = ("quarterly", "季度工作报告"),
        /// A chain office's special report on a good practice (专报).
        Special = ("special", "专报"),
        /// A chain's year-end analysis report.
        Analysis = ("analysis", "年度产业链分析报告"),
        /// A chain's year-end investment report.
        Investment = ("investment", "年度招商报告"),
    }
}

impl ReportKind {
    /// The year-end reports, drafted with tables and figures.
    pub const YEAR_END: [ReportKind; 2] = [ReportKind::Analysis, ReportKind::Investment];

    /// Whether it is a year-end report.
    pub fn is_year_end(self) -> bool {
        Self::YEAR_END.contains(&self)
    }
}

coded_enum! {
    /// Where a report stands.
    ReportStatus {
        /// Being written.
        Draft = ("draft", "草稿"),
        /// Submitted: no more edits.
        Submitted = ("submitted", "已提交"),
    }
}

/// How a line of a report's text differs between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// In both.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// Texts longer than this many lines are compared as one block (a report holds at most 20000 characters).
const DIFF_LINES: usize = 1500;

/// The lines of `old` and `new` in order, each marked kept, removed or added (longest common
/// subsequence of lines, so a changed line shows as removed then added).
pub fn line_diff(old: &str, new: &str) -> Vec<(Change, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    if a.len() > DIFF_LINES || b.len() > DIFF_LINES {
        let mut out: Vec<(Change, String)> = a.iter().map(|l| (Change::Removed, l.to_string())).collect();
        out.extend(b.iter().map(|l| (Change::Added, l.to_string())));
        return out;
    }
    // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0u16; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len() + b.len()));
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Change::Same, a[i].to_string()));
            (i, j) = (i + 1, j + 1);
        } else if j == b.len() || (i < a.len() && common[i + 1][j] >= common[i][j + 1]) {
            out.push((Change::Removed, a[i].to_string()));
            i += 1;
        } else {
            out.push((Change::Added, b[j].to_string()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_decode_once() {
        assert_eq!(ReportKind::try_from("analysis".to_string()), Ok(ReportKind::Analysis));
        assert!(ReportKind::Analysis.is_year_end() && !ReportKind::Monthly.is_year_end());
        assert!(ReportStatus::try_from("sent".to_string()).is_err());
    }

    #[test]
    fn a_changed_line_is_removed_then_added_and_the_rest_kept() {
        let old = "一、目标\n本链共0个环节\n二、项目\n无";
        let new = "一、目标\n本链共3个环节\n二、项目\n无\n新增一行";
        let d = line_diff(old, new);
        let marks: Vec<Change> = d.iter().map(|(c, _)| *c).collect();
        use Change::{Added, Removed, Same};
        assert_eq!(marks, vec![Same, Removed, Added, Same, Same, Added]);
        assert_eq!(d[1].1, "本链共0个环节");
        assert_eq!(d[2].1, "本链共3个环节");
        assert!(line_diff("a\nb", "a\nb").iter().all(|(c, _)| *c == Same));
    }
}
