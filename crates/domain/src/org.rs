//! The organisation of a chain-chief system: chain levels, unit kinds and posts (岗位).

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $code)] $var),+ }

        impl $name {
            /// Every value in display order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The stored code.
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }

            /// The Chinese name shown to users.
            pub fn label(self) -> &'static str { match self { $($name::$var => $label),+ } }

            /// Reads a stored code.
            pub fn from_code(code: &str) -> Option<$name> { Self::ALL.iter().copied().find(|v| v.code() == code) }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::org::UnknownCode;

            /// Decodes a stored code; an unknown one is an error, never a default.
            fn try_from(code: String) -> Result<$name, Self::Error> {
                $name::from_code(&code).ok_or($crate::org::UnknownCode { kind: stringify!($name), code })
            }
        }
    };
}

coded_enum! {
    /// An enterprise's size: above or below the designated size of the statistics (规上/规下).
    Scale {
        /// 规模以上工业企业
        Above = ("above", "规上"),
        /// 规模以下
        Below = ("below", "规下"),
    }
}

coded_enum! {
    /// What a figure of an indicator's year is: a target to reach or the baseline it starts from.
    TargetKind {
        /// 目标
        Target = ("target", "目标"),
        /// 基数
        Baseline = ("baseline", "基数"),
    }
}

/// How a stored scale code is written everywhere: 规上, 规下, or — when unknown.
pub fn scale_label(code: &str) -> &'static str {
    Scale::from_code(code).map_or("—", Scale::label)
}

/// A stored code that no value of its enum has (data written by a newer program, or damaged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的{kind}代码“{code}”")]
pub struct UnknownCode {
    /// The enum the code was read for.
    pub kind: &'static str,
    /// The code read.
    pub code: String,
}

/// Enums stored as a code and shown with a Chinese label (shared by the domain modules).
pub(crate) use coded_enum;

coded_enum! {
    /// Where a chain sits in the hierarchy of chains.
    ChainLevel {
        /// 市级主导产业链
        CityLeading = ("city_leading", "市级主导产业链"),
        /// 省级产业集群（产业链）
        ProvincialCluster = ("provincial_cluster", "省级产业集群"),
        /// 地市级产业链 (a prefecture's chain the city sends liaisons to)
        PrefectureChain = ("prefecture_chain", "市州产业链"),
    }
}

coded_enum! {
    /// What kind of body a unit is.
    UnitKind {
        /// 党委、政府
        Leadership = ("leadership", "党委政府"),
        /// 市直部门
        Department = ("department", "市直部门"),
        /// 园区管理机构
        ParkCommittee = ("park_committee", "园区管理机构"),
        /// 总链办
        GeneralOffice = ("general_office", "总链办"),
        /// 链条办
        ChainOffice = ("chain_office", "链条办"),
        /// 群团与社会组织
        Association = ("association", "群团与社会组织"),
        /// 乡镇
        Town = ("town", "乡镇"),
        /// 金融机构
        Bank = ("bank", "金融机构"),
        /// 一组单位（如“各链条办”“相关市直单位”）
        Group = ("group", "单位组"),
    }
}

coded_enum! {
    /// A post in the organisation of the plan.
    PostKind {
        /// 政委
        PoliticalCommissar = ("political_commissar", "政委"),
        /// 总链长
        GeneralChief = ("general_chief", "总链长"),
        /// 链长
        ChainChief = ("chain_chief", "链长"),
        /// 总链办主任
        GeneralOfficeDirector = ("general_office_director", "总链办主任"),
        /// 总链办副主任
        GeneralOfficeDeputy = ("general_office_deputy", "总链办副主任"),
        /// 总链办专职工作人员
        GeneralOfficeStaff = ("general_office_staff", "总链办专职工作人员"),
        /// 链条办主任
        ChainOfficeDirector = ("chain_office_director", "链条办主任"),
        /// 链条办专职副主任
        ChainOfficeDeputy = ("chain_office_deputy", "链条办专职副主任"),
        /// 联络员 (to a higher-level chain)
        Liaison = ("liaison", "联络员"),
        /// 主办行
        LeadBank = ("lead_bank", "主办行"),
        /// 智囊专家、科技特派员
        Expert = ("expert", "智囊专家"),
    }
}

coded_enum! {
    /// The "five ones" (五个一) every chain must have.
    FiveOne {
        /// 一个发展规划
        DevelopmentPlan = ("development_plan", "一个发展规划"),
        /// 一个工作专班
        WorkingTeam = ("working_team", "一个工作专班"),
        /// 一个智囊团队
        ThinkTank = ("think_tank", "一个智囊团队"),
        /// 一个供需对接（会展）平台
        DockingPlatform = ("docking_platform", "一个供需对接平台"),
        /// 一批优质企业
        QualityEnterprises = ("quality_enterprises", "一批优质企业"),
    }
}

coded_enum! {
    /// How often a plan measure recurs.
    Frequency {
        /// 一次性
        Once = ("once", "一次性"),
        /// 每月
        Monthly = ("monthly", "每月"),
        /// 每季度
        Quarterly = ("quarterly", "每季度"),
        /// 每年
        Yearly = ("yearly", "每年"),
        /// 持续推进
        Ongoing = ("ongoing", "持续推进"),
    }
}

coded_enum! {
    /// What an indicator covers.
    Scope {
        /// 全市
        City = ("city", "全市"),
        /// 园区
        Park = ("park", "园区"),
        /// 产业链
        Chain = ("chain", "产业链"),
        /// 企业
        Enterprise = ("enterprise", "企业"),
    }
}

coded_enum! {
    /// How an indicator's monthly values add up over a period.
    Aggregation {
        /// 累计求和
        Sum = ("sum", "累计"),
        /// 平均
        Avg = ("avg", "平均"),
        /// 取最新值
        Latest = ("latest", "最新值"),
        /// 比率（由公式计算）
        Ratio = ("ratio", "比率"),
    }
}

coded_enum! {
    /// Whether more of an indicator is better.
    Direction {
        /// 越高越好
        Up = ("up", "越高越好"),
        /// 越低越好
        Down = ("down", "越低越好"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in PostKind::ALL {
            assert_eq!(PostKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(ChainLevel::from_code("city_leading"), Some(ChainLevel::CityLeading));
        assert_eq!(FiveOne::ALL.len(), 5);
        assert_eq!(UnitKind::from_code("nope"), None);
    }
}
