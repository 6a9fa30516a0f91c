//! Innovation resources of the chains [N1]–[N5]: the carriers (创新载体 — platforms, consortia and
//! alliances, associations, public service platforms), each with its members; the key
//! technologies to break through (关键核心技术攻关清单) with the stages they pass; and the
//! standards and invention patents with the rewards granted. Pure rules, no I/O.

use crate::error::FieldError;
use crate::org::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// What a carrier is; its [`Family`] decides which list shows it and what its members are.
    CarrierKind {
        /// 重点实验室
        KeyLab = ("key_lab", "重点实验室"),
        /// 工程技术研究中心
        EngineeringCentre = ("engineering_centre", "工程技术研究中心"),
        /// 工程研究中心
        ResearchCentre = ("research_centre", "工程研究中心"),
        /// 企业技术中心
        TechnologyCentre = ("technology_centre", "企业技术中心"),
        /// 新型研发机构
        NewResearchInstitute = ("new_research_institute", "新型研发机构"),
        /// 科技企业孵化器
        Incubator = ("incubator", "科技企业孵化器"),
        /// 众创空间
        MakerSpace = ("maker_space", "众创空间"),
        /// 创新联合体
        Consortium = ("consortium", "创新联合体"),
        /// 产业技术创新联盟
        TechnologyAlliance = ("technology_alliance", "产业技术创新联盟"),
        /// 行业协会、商会
        Association = ("association", "行业协会（商会）"),
        /// 计量服务平台
        Metrology = ("metrology", "计量服务平台"),
        /// 认证服务平台
        Certification = ("certification", "认证服务平台"),
        /// 检验检测平台
        Testing = ("testing", "检验检测平台"),
        /// 工业设计中心
        IndustrialDesign = ("industrial_design", "工业设计中心"),
        /// 信息工程服务平台
        InformationEngineering = ("information_engineering", "信息工程服务平台"),
        /// 供需对接平台
        Matchmaking = ("matchmaking", "供需对接平台"),
    }
}

coded_enum! {
    /// The four lists carriers fall into.
    Family {
        /// 创新平台 [N1]
        Platform = ("platform", "创新平台"),
        /// 创新联合体与产业技术联盟 [N1]: a leader with up- and downstream members.
        Consortium = ("consortium", "创新联合体与联盟"),
        /// 行业协会与联盟 [N3]
        Association = ("association", "协会商会"),
        /// 公共服务平台 [N4]
        Service = ("service", "公共服务平台"),
    }
}

impl CarrierKind {
    /// The list the kind belongs to.
    pub fn family(self) -> Family {
        use CarrierKind::*;
        match self {
            KeyLab | EngineeringCentre | ResearchCentre | TechnologyCentre | NewResearchInstitute | Incubator
            | MakerSpace => Family::Platform,
            Consortium | TechnologyAlliance => Family::Consortium,
            Association => Family::Association,
            Metrology | Certification | Testing | IndustrialDesign | InformationEngineering | Matchmaking => {
                Family::Service
            }
        }
    }

    /// The kinds of a family, in display order.
    pub fn of(family: Family) -> Vec<CarrierKind> {
        Self::ALL.iter().copied().filter(|k| k.family() == family).collect()
    }

    /// Whether a leader must be named among its members (consortia are led by one member).
    pub fn needs_leader(self) -> bool {
        self.family() == Family::Consortium
    }
}

coded_enum! {
    /// Who recognised a carrier (认定级别).
    Level {
        /// 国家级
        National = ("national", "国家级"),
        /// 省级
        Provincial = ("provincial", "省级"),
        /// 市级
        City = ("city", "市级"),
        /// 县级
        County = ("county", "县级"),
        /// 未认定 (an association, a consortium not filed)
        None = ("none", "未认定"),
    }
}

coded_enum! {
    /// What a member is.
    MemberType {
        /// 企业
        Enterprise = ("enterprise", "企业"),
        /// 高校
        University = ("university", "高校"),
        /// 科研院所
        Institute = ("institute", "科研院所"),
        /// 平台
        Platform = ("platform", "平台"),
        /// 金融机构
        Finance = ("finance", "金融机构"),
    }
}

coded_enum! {
    /// A member's place in a carrier.
    MemberRole {
        /// 牵头单位
        Lead = ("lead", "牵头"),
        /// 上游成员
        Upstream = ("upstream", "上游"),
        /// 下游成员
        Downstream = ("downstream", "下游"),
        /// 产学研成员
        Research = ("research", "产学研"),
        /// 一般成员 (会员)
        Member = ("member", "成员"),
    }
}

coded_enum! {
    /// What a key technology is, in the words of the provincial short-board list.
    TechCategory {
        /// 省级产业短板
        ShortBoard = ("short_board", "产业短板"),
        /// 关键核心技术
        CoreTechnology = ("core_technology", "关键核心技术"),
        /// 基础材料
        BasicMaterial = ("basic_material", "基础材料"),
        /// 基础工艺
        BasicProcess = ("basic_process", "基础工艺"),
        /// 核心零部件
        CoreComponent = ("core_component", "核心零部件"),
    }
}

coded_enum! {
    /// The stages of a key technology, from the list published to the result released (揭榜挂帅).
    TechStage {
        /// 集中发榜
        Published = ("published", "集中发榜"),
        /// 申请揭榜
        Applied = ("applied", "申请揭榜"),
        /// 单位推荐
        Recommended = ("recommended", "单位推荐"),
        /// 揭榜遴选
        Selected = ("selected", "揭榜遴选"),
        /// 任务实施
        Underway = ("underway", "任务实施"),
        /// 验收评估
        Accepted = ("accepted", "验收评估"),
        /// 发布成果
        Released = ("released", "发布成果"),
    }
}

impl TechStage {
    /// Its place in the sequence, from 0.
    pub fn rank(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// Whether moving from `self` to `next` is allowed: forward or staying, never backward.
    pub fn check_move(self, next: TechStage) -> Result<(), FieldError> {
        if next.rank() < self.rank() {
            return Err(FieldError::new("stage", format!("攻关阶段不能从“{}”退回到“{}”", self.label(), next.label())));
        }
        Ok(())
    }
}

coded_enum! {
    /// An innovation result an enterprise is rewarded for [N5].
    ResultKind {
        /// 主导制定国际标准
        InternationalStandard = ("international_standard", "国际标准"),
        /// 主导制定国家标准
        NationalStandard = ("national_standard", "国家标准"),
        /// 行业标准
        IndustryStandard = ("industry_standard", "行业标准"),
        /// 地方标准
        LocalStandard = ("local_standard", "地方标准"),
        /// 团体标准
        GroupStandard = ("group_standard", "团体标准"),
        /// 发明专利授权
        InventionPatent = ("invention_patent", "发明专利"),
    }
}

impl ResultKind {
    /// Whether the result is a standard (else a patent).
    pub fn is_standard(self) -> bool {
        self != ResultKind::InventionPatent
    }
}

/// Reads a coded value from a form field: empty, or a code no value has, is refused naming the field.
pub fn parse_code<T: Copy>(
    field: &str,
    label: &str,
    raw: &str,
    from_code: impl Fn(&str) -> Option<T>,
) -> Result<T, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, format!("请选择{label}")));
    }
    from_code(raw).ok_or_else(|| FieldError::new(field, format!("{label}“{raw}”不存在")))
}

/// A year of recognition, founding or grant: four digits between 1949 and `this_year`.
pub fn parse_year_upto(field: &str, label: &str, raw: &str, this_year: i32) -> Result<Option<i32>, FieldError> {
    let raw = raw.trim().trim_end_matches('年');
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(y) if (1949..=this_year).contains(&y) => Ok(Some(y)),
        _ => Err(FieldError::new(field, format!("{label}应为1949至{this_year}之间的年份"))),
    }
}

coded_enum! {
    /// The band of a platform's periodic evaluation (运行评价), as the evaluating bodies grade it.
    Band {
        /// 优秀
        Excellent = ("excellent", "优秀"),
        /// 良好
        Good = ("good", "良好"),
        /// 合格
        Pass = ("pass", "合格"),
        /// 基本合格 (a warning: to be put right)
        Basic = ("basic", "基本合格"),
        /// 不合格
        Fail = ("fail", "不合格"),
    }
}

/// What a carrier's evaluations, newest first, call for: two fails in a row (incubators and
/// maker spaces lose their status so; others are revoked at the first), one fail, or a basic pass.
pub fn evaluation_warning(newest_first: &[(i32, Band)]) -> Option<String> {
    match newest_first {
        [(y, Band::Fail), (_, Band::Fail), ..] => Some(format!("截至{y}年连续两次评价不合格，应撤销认定")),
        [(y, Band::Fail), ..] => Some(format!("{y}年评价不合格，须整改或撤销认定")),
        [(y, Band::Basic), ..] => Some(format!("{y}年评价基本合格，须限期整改")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluations_warn_on_a_basic_pass_a_fail_and_two_fails_in_a_row() {
        assert_eq!(evaluation_warning(&[]), None);
        assert_eq!(evaluation_warning(&[(2025, Band::Good), (2024, Band::Fail)]), None);
        assert!(evaluation_warning(&[(2025, Band::Basic)]).is_some_and(|w| w.contains("限期整改")));
        assert!(
            evaluation_warning(&[(2025, Band::Fail), (2024, Band::Good)])
                .is_some_and(|w| w.contains("2025年评价不合格"))
        );
        let two = evaluation_warning(&[(2025, Band::Fail), (2023, Band::Fail)]).expect("warning");
        assert!(two.contains("连续两次") && two.contains("2025"), "{two}");
    }

    #[test]
    fn every_kind_has_a_family_and_consortia_need_a_leader() {
        for f in Family::ALL {
            assert!(!CarrierKind::of(*f).is_empty(), "{f:?}");
        }
        assert!(CarrierKind::Consortium.needs_leader());
        assert!(!CarrierKind::Testing.needs_leader());
        assert_eq!(CarrierKind::Incubator.family(), Family::Platform);
    }

    #[test]
    fn a_stage_moves_forward_or_stays_but_never_back() {
        assert!(TechStage::Published.check_move(TechStage::Underway).is_ok());
        assert!(TechStage::Underway.check_move(TechStage::Underway).is_ok());
        let e = TechStage::Accepted.check_move(TechStage::Selected).unwrap_err();
        assert_eq!(e.field, "stage");
        assert!(e.message.contains("验收评估") && e.message.contains("揭榜遴选"), "{}", e.message);
    }

    #[test]
    fn codes_and_years_are_read_or_refused_with_the_field() {
        assert_eq!(parse_code("level", "认定级别", "provincial", Level::from_code), Ok(Level::Provincial));
        let e = parse_code("level", "认定级别", "galactic", Level::from_code).unwrap_err();
        assert!(e.message.contains("galactic") && e.field == "level");
        assert!(parse_code("level", "认定级别", " ", Level::from_code).unwrap_err().message.contains("请选择"));
        assert_eq!(parse_year_upto("year", "认定年份", "2021年", 2026), Ok(Some(2021)));
        assert_eq!(parse_year_upto("year", "认定年份", "", 2026), Ok(None));
        assert!(parse_year_upto("year", "认定年份", "2031", 2026).is_err());
    }
}
