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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_decode_once() {
        assert_eq!(ReportKind::try_from("analysis".to_string()), Ok(ReportKind::Analysis));
        assert!(ReportKind::Analysis.is_year_end() && !ReportKind::Monthly.is_year_end());
        assert!(ReportStatus::try_from("sent".to_string()).is_err());
    }
}
