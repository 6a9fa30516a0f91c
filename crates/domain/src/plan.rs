//! A city's plan as data: the TOML plan file, its parsing and its validation.
//! Every error names the line of the file and says in Chinese what is wrong.

use crate::forecast::LightRule;
use crate::org::{Aggregation, ChainLevel, Direction, Frequency, PostKind, Scope, UnitKind};
use crate::quantity::{Quantity, Unit, parse_scaled};
use serde::{Deserialize, Deserializer};
use std::collections::{HashMap, HashSet};
use std::fmt;
use toml::Spanned;

/// A whole plan file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// The city the plan is for.
    pub city: CityDef,
    /// The plan document itself.
    pub plan: PlanMeta,
    /// Parks and their sub-parks.
    #[serde(default)]
    pub parks: Vec<ParkDef>,
    /// The regions of the 区域分布图: parks and towns as rectangles of a 100 × 100 grid.
    #[serde(default)]
    pub regions: Vec<Spanned<crate::regions::Region>>,
    /// Government units, offices, groups of units.
    #[serde(default)]
    pub units: Vec<UnitDef>,
    /// Chains, clusters and higher-level chains.
    #[serde(default)]
    pub chains: Vec<ChainDef>,
    /// Posts of the organisation other than chain chiefs.
    #[serde(default)]
    pub posts: Vec<PostDef>,
    /// Indicators with their targets.
    #[serde(default)]
    pub indicators: Vec<IndicatorDef>,
    /// Measures (tasks) of the plan with their responsible units and quotas.
    #[serde(default)]
    pub measures: Vec<MeasureDef>,
    /// When a target's forecast is green, amber or red.
    #[serde(default)]
    pub status_rules: Option<Spanned<LightRule>>,
}

/// The city.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityDef {
    /// Short stable code, e.g. `miluo`.
    pub code: Spanned<String>,
    /// Name, e.g. 汨罗市.
    pub name: String,
    /// Province, e.g. 湖南省.
    #[serde(default)]
    pub province: String,
    /// Prefecture the city belongs to, e.g. 岳阳市.
    #[serde(default)]
    pub prefecture: String,
}

/// The plan document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// Title of the plan.
    pub title: String,
    /// Issuing body.
    #[serde(default)]
    pub issuer: String,
    /// Date of issue, YYYY-MM-DD.
    #[serde(default)]
    pub issued: String,
    /// Document or index number.
    #[serde(default)]
    pub doc_number: String,
    /// First year the plan runs.
    pub start_year: Spanned<i32>,
    /// The year the targets are for.
    pub target_year: Spanned<i32>,
}

/// A park.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParkDef {
    /// Code.
    pub code: Spanned<String>,
    /// Name.
    pub name: String,
    /// Short name.
    #[serde(default)]
    pub short: String,
    /// The park this one lies in, if any.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// A unit (department, park committee, office, group of units).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    /// Code.
    pub code: Spanned<String>,
    /// Name.
    pub name: String,
    /// Short name.
    #[serde(default)]
    pub short: String,
    /// Kind.
    pub kind: UnitKind,
    /// Park a park committee manages.
    #[serde(default)]
    pub park: Option<Spanned<String>>,
    /// Unit hosting this one (the general office sits in a department).
    #[serde(default)]
    pub host: Option<Spanned<String>>,
    /// Members of a group.
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
}

/// A chain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainDef {
    /// Code.
    pub code: Spanned<String>,
    /// Name.
    pub name: String,
    /// Short name.
    #[serde(default)]
    pub short: String,
    /// Level.
    pub level: ChainLevel,
    /// Cluster or higher-level chain this chain belongs to.
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    /// Who is the chain chief (post title; the person is assigned in the app).
    #[serde(default)]
    pub chief: String,
    /// The chain office (a unit of kind chain_office).
    #[serde(default)]
    pub office: Option<Spanned<String>>,
    /// Parks the chain is built in.
    #[serde(default)]
    pub parks: Vec<Spanned<String>>,
    /// What the plan says about the chain.
    #[serde(default)]
    pub description: String,
}

/// A post of the organisation and who holds it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostDef {
    /// Which post.
    pub post: Spanned<PostKind>,
    /// Who holds it, as the plan says (e.g. 市委书记).
    #[serde(default)]
    pub title: String,
    /// Unit of the post.
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    /// Chain of the post.
    #[serde(default)]
    pub chain: Option<Spanned<String>>,
    /// How many people hold it.
    #[serde(default = "one")]
    pub count: u32,
    /// Whether the post is full-time (专职).
    #[serde(default)]
    pub full_time: bool,
}

fn one() -> u32 {
    1
}

/// An indicator with its yearly targets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Code.
    pub code: Spanned<String>,
    /// Name.
    pub name: String,
    /// Unit symbol (吨, 万吨, 亿元, %, 家 …).
    pub unit: Spanned<String>,
    /// Scope.
    pub scope: Scope,
    /// Chain, for chain-scoped indicators.
    #[serde(default)]
    pub chain: Option<Spanned<String>>,
    /// Park, for park-scoped indicators.
    #[serde(default)]
    pub park: Option<Spanned<String>>,
    /// How monthly values add up.
    #[serde(default = "sum")]
    pub aggregation: Aggregation,
    /// Whether more is better.
    #[serde(default = "up")]
    pub direction: Direction,
    /// Where the figures come from.
    #[serde(default)]
    pub source: String,
    /// A formula over other indicators, for derived indicators.
    #[serde(default)]
    pub formula: String,
    /// The enterprise-level indicator whose figures add up into this one.
    #[serde(default)]
    pub rolls_up_from: Option<Spanned<String>>,
    /// A cultivation goal counted in the enterprise library instead of reported.
    #[serde(default)]
    pub counts: Option<Spanned<crate::counting::CountsFile>>,
    /// Day of the following month by which a month's figure is due.
    #[serde(default)]
    pub due_day: Option<Spanned<u32>>,
    /// Baseline value and year.
    #[serde(default)]
    pub baseline: Option<TargetDef>,
    /// Yearly targets.
    #[serde(default)]
    pub targets: Vec<TargetDef>,
}

fn sum() -> Aggregation {
    Aggregation::Sum
}

fn up() -> Direction {
    Direction::Up
}

/// A value for a year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetDef {
    /// Year.
    pub year: Spanned<i32>,
    /// Value in the indicator's unit.
    pub value: Spanned<DecimalText>,
}

/// A decimal written in the file as an integer, a float or a string.
#[derive(Debug, Clone)]
pub struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            I(i64),
            F(f64),
            S(String),
        }
        Ok(DecimalText(match Raw::deserialize(d)? {
            Raw::I(i) => i.to_string(),
            Raw::F(f) => f.to_string(),
            Raw::S(s) => s,
        }))
    }
}

/// A measure of the plan: a task with responsible units and quotas.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// Code, e.g. `3.1.2`.
    pub code: Spanned<String>,
    /// Section heading of the plan it stands under.
    #[serde(default)]
    pub section: String,
    /// Short title.
    pub title: String,
    /// Full text of the measure.
    #[serde(default)]
    pub text: String,
    /// Lead responsible units (牵头).
    #[serde(default)]
    pub lead: Vec<Spanned<String>>,
    /// Co-lead responsible units (配合).
    #[serde(default)]
    pub co: Vec<Spanned<String>>,
    /// How often it recurs.
    #[serde(default = "ongoing")]
    pub frequency: Frequency,
    /// Deadline, YYYY-MM-DD.
    #[serde(default)]
    pub deadline: Option<Spanned<String>>,
    /// Reports that count as its progress when submitted: `report:monthly` or `report:quarterly`.
    #[serde(default)]
    pub progress_from: Option<Spanned<String>>,
    /// Quotas ("不少于4次").
    #[serde(default)]
    pub quotas: Vec<QuotaDef>,
}

/// What may feed a measure's progress: the chain offices' monthly reports, the general office's
/// quarterly ones.
pub const PROGRESS_FROM: [&str; 2] = ["report:monthly", "report:quarterly"];

fn ongoing() -> Frequency {
    Frequency::Ongoing
}

/// A quota: at least `min` of something per year.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaDef {
    /// Code.
    pub code: Spanned<String>,
    /// What is counted, e.g. 外出专题招商活动.
    pub name: String,
    /// Minimum per year.
    pub min: Spanned<u32>,
    /// Unit symbol (次, 家 …).
    pub unit: Spanned<String>,
    /// Which data counts toward it, e.g. `event:investment_trip`.
    #[serde(default)]
    pub counts: String,
}

/// One error in a plan file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// 1-based line of the file.
    pub line: usize,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行：{}", self.line, self.message)
    }
}

/// The 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes().iter().take(offset).filter(|b| **b == b'\n').count() + 1
}

/// Reads and validates a plan file; all errors found are returned, each with its line.
pub fn parse(src: &str) -> Result<PlanFile, Vec<PlanError>> {
    let plan: PlanFile = toml::from_str(src).map_err(|e| {
        let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(1);
        vec![PlanError { line, message: format!("格式错误：{}", e.message().trim()) }]
    })?;
    let errors = Checker::new(src).check(&plan);
    if errors.is_empty() { Ok(plan) } else { Err(errors) }
}

/// Parses a target value in the indicator's unit.
pub fn target_quantity(value: &DecimalText, unit: Unit) -> Option<Quantity> {
    parse_scaled(&value.0).ok().map(|scaled| Quantity { scaled, unit })
}

struct Checker<'a> {
    src: &'a str,
    errors: Vec<PlanError>,
}

impl<'a> Checker<'a> {
    fn new(src: &'a str) -> Self {
        Checker { src, errors: Vec::new() }
    }

    fn err<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let line = line_of(self.src, at.span().start);
        self.errors.push(PlanError { line, message: message.into() });
    }

    fn codes<'p>(&mut self, what: &str, codes: impl Iterator<Item = &'p Spanned<String>>) -> HashSet<String> {
        let mut seen = HashSet::new();
        for c in codes {
            let v = c.get_ref();
            if v.trim().is_empty() || v.chars().any(|ch| ch.is_whitespace()) || v.chars().count() > 64 {
                self.err(c, format!("{what}代码“{v}”无效：不能为空、不能含空格、最多64个字符"));
            } else if !seen.insert(v.clone()) {
                self.err(c, format!("{what}代码“{v}”重复"));
            }
        }
        seen
    }

    fn refers(&mut self, what: &str, known: &HashSet<String>, r: &Spanned<String>) {
        if !known.contains(r.get_ref()) {
            self.err(r, format!("没有代码为“{}”的{what}", r.get_ref()));
        }
    }

    fn check(mut self, p: &PlanFile) -> Vec<PlanError> {
        let (start, target) = (*p.plan.start_year.get_ref(), *p.plan.target_year.get_ref());
        if !crate::period::YEARS.contains(&start) {
            self.err(&p.plan.start_year, format!("起始年份{start}不合理"));
        }
        if target < start || target > start + 30 {
            self.err(&p.plan.target_year, format!("目标年份{target}应不早于起始年份{start}，且不超过30年"));
        }
        self.codes("城市", std::iter::once(&p.city.code));
        let parks = self.codes("园区", p.parks.iter().map(|x| &x.code));
        let units = self.codes("单位", p.units.iter().map(|x| &x.code));
        let chains = self.codes("产业链", p.chains.iter().map(|x| &x.code));
        self.codes("指标", p.indicators.iter().map(|x| &x.code));
        self.codes("举措", p.measures.iter().map(|x| &x.code));
        self.codes("任务量", p.measures.iter().flat_map(|m| m.quotas.iter().map(|q| &q.code)));
        let unit_kind: HashMap<&str, UnitKind> = p.units.iter().map(|u| (u.code.get_ref().as_str(), u.kind)).collect();

        for park in &p.parks {
            if let Some(parent) = &park.parent {
                self.refers("园区", &parks, parent);
            }
        }
        let mut region_names = HashSet::new();
        for r in &p.regions {
            let region = r.get_ref();
            if let Some(problem) = region.problem() {
                self.err(r, problem);
            } else if region.park.as_ref().is_some_and(|c| !parks.contains(c)) {
                self.err(
                    r,
                    format!("区域“{}”：没有代码为“{}”的园区", region.name, region.park.as_deref().unwrap_or("")),
                );
            } else if !region_names.insert(region.name.clone()) {
                self.err(r, format!("区域“{}”重复", region.name));
            }
        }
        for u in &p.units {
            for r in u.park.iter() {
                self.refers("园区", &parks, r);
            }
            for r in u.host.iter() {
                self.refers("单位", &units, r);
            }
            if u.kind != UnitKind::Group && !u.members.is_empty() {
                self.err(&u.code, format!("单位“{}”不是单位组（kind = \"group\"），不能有成员", u.name));
            }
            for m in &u.members {
                self.refers("单位", &units, m);
            }
        }
        for c in &p.chains {
            if let Some(parent) = &c.parent {
                self.refers("产业链", &chains, parent);
                if parent.get_ref() == c.code.get_ref() {
                    self.err(parent, format!("产业链“{}”不能以自己为上级", c.name));
                }
            }
            if let Some(office) = &c.office {
                self.refers("单位", &units, office);
                if unit_kind.get(office.get_ref().as_str()).is_some_and(|k| *k != UnitKind::ChainOffice) {
                    self.err(
                        office,
                        format!(
                            "产业链“{}”的链条办“{}”应为链条办类单位（kind = \"chain_office\"）",
                            c.name,
                            office.get_ref()
                        ),
                    );
                }
            }
            for r in &c.parks {
                self.refers("园区", &parks, r);
            }
        }
        for post in &p.posts {
            if *post.post.get_ref() == PostKind::ChainChief {
                self.err(&post.post, "链长写在 [[chains]] 的 chief 字段中，不在 [[posts]] 中");
            }
            for r in post.unit.iter() {
                self.refers("单位", &units, r);
            }
            for r in post.chain.iter() {
                self.refers("产业链", &chains, r);
            }
            let needs_chain = matches!(
                post.post.get_ref(),
                PostKind::ChainOfficeDirector | PostKind::ChainOfficeDeputy | PostKind::Liaison | PostKind::LeadBank
            );
            if needs_chain && post.chain.is_none() {
                self.err(&post.post, format!("{}须注明所属产业链（chain = \"…\"）", post.post.get_ref().label()));
            }
            if post.count == 0 || post.count > 1000 {
                self.err(&post.post, "人数（count）应在1到1000之间");
            }
        }
        self.check_indicators(p, &chains, &parks, start, target);
        for m in &p.measures {
            for r in m.lead.iter().chain(m.co.iter()) {
                self.refers("责任单位", &units, r);
            }
            if let Some(d) = &m.deadline
                && chrono::NaiveDate::parse_from_str(d.get_ref(), "%Y-%m-%d").is_err()
            {
                self.err(d, format!("截止日期“{}”应写成YYYY-MM-DD", d.get_ref()));
            }
            if let Some(f) = &m.progress_from
                && !PROGRESS_FROM.contains(&f.get_ref().as_str())
            {
                self.err(f, format!("进展来源（progress_from）“{}”应为 {}", f.get_ref(), PROGRESS_FROM.join(" 或 ")));
            }
            for q in &m.quotas {
                if Unit::parse(q.unit.get_ref()).is_none() {
                    self.err(&q.unit, format!("任务量“{}”的单位“{}”无法识别", q.name, q.unit.get_ref()));
                }
                if *q.min.get_ref() == 0 {
                    self.err(&q.min, format!("任务量“{}”的最低次数应大于0", q.name));
                }
            }
        }
        self.errors.sort_by_key(|e| e.line);
        self.errors
    }
}

mod indicators;

#[cfg(test)]
mod tests;
