//! Key technologies [N2] (关键核心技术攻关清单): each on a chain and node, with the enterprise that
//! takes it on, its partners and consortium, and the stages it reached, which never go back; and
//! innovation results [N5]: standards and invention patents with the rewards granted. Kept by the
//! chain's office and the general office; an enterprise reads its own. Results are read by whoever
//! may open their enterprise.

use crate::innovation::{Choices, check_places, choices, may_keep, may_read};
use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::innovation::{self as rules, Family, ResultKind, TechCategory, TechStage};
use chainchief_domain::money::Money;
use chainchief_domain::roles::Principal;
use chainchief_domain::text::{optional, required};
use chainchief_store::enterprises;
use chainchief_store::innovation as carriers;
use chainchief_store::technologies::{
    self as store, Achievement, NewAchievement, StageReached, Technology, TechnologyFields,
};

/// The enterprises a technology names: the one that takes it on.
fn related(t: &Technology) -> Vec<&str> {
    t.owner_enterprise_id.iter().map(String::as_str).collect()
}

/// What a technology list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct TechnologyFilter {
    /// One chain.
    pub chain_id: Option<String>,
    /// One category.
    pub category: Option<TechCategory>,
    /// One stage.
    pub stage: Option<TechStage>,
}

/// The technologies the caller reads, with their stages.
pub struct TechnologyList {
    /// Technologies, by chain and name.
    pub rows: Vec<Technology>,
    /// (id, name) of the chains of the rows the caller reads, for the filter.
    pub chains: Vec<(String, String)>,
    /// What the add form offers.
    pub choices: Choices,
    /// (id, chain id, name) of the consortia the caller may attach.
    pub consortia: Vec<(String, Option<String>, String)>,
}

/// The consortia and alliances of the city: (id, chain id, name).
async fn consortia(ctx: &Context, p: &Principal) -> Result<Vec<(String, Option<String>, String)>> {
    Ok(carriers::carriers(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|c| c.kind.family() == Family::Consortium)
        .map(|c| (c.id, c.chain_id, c.name))
        .collect())
}

/// The key technologies of the city `p` may read.
pub async fn readable(ctx: &Context, p: &Principal) -> Result<Vec<Technology>> {
    Ok(store::technologies(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|t| may_read(p, Some(&t.chain_id), &related(t)))
        .collect())
}

/// The key technologies the caller may read, narrowed by `f`.
pub async fn list(ctx: &Context, c: &Caller<'_>, f: &TechnologyFilter) -> Result<TechnologyList> {
    let p = c.principal;
    let readable = readable(ctx, p).await?;
    let mut chains: Vec<(String, String)> = Vec::new();
    for t in &readable {
        if !chains.iter().any(|(id, _)| *id == t.chain_id) {
            chains.push((t.chain_id.clone(), t.chain_name.clone()));
        }
    }
    let rows = readable
        .into_iter()
        .filter(|t| f.chain_id.as_deref().is_none_or(|id| t.chain_id == id))
        .filter(|t| f.category.is_none_or(|k| t.category == k))
        .filter(|t| f.stage.is_none_or(|s| t.stage == s))
        .collect();
    let choices = choices(ctx, p).await?;
    let consortia = if choices.chains.is_empty() { Vec::new() } else { consortia(ctx, p).await? };
    Ok(TechnologyList { rows, chains, choices, consortia })
}

/// The stages every technology of the city reached, for those the caller reads (the roadmap).
pub async fn stages_of(ctx: &Context, p: &Principal, ids: &[&str]) -> Result<Vec<StageReached>> {
    Ok(store::stages(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|s| ids.contains(&s.technology_id.as_str()))
        .collect())
}

/// A technology with its stages and history.
pub struct TechnologyView {
    /// The technology.
    pub technology: Technology,
    /// Stages reached, oldest first.
    pub stages: Vec<StageReached>,
    /// (when, who, action) of its changes.
    pub history: Vec<(i64, String, String)>,
    /// Whether the caller may change it.
    pub can_edit: bool,
    /// What the edit form offers.
    pub choices: Choices,
    /// Consortia the edit form offers.
    pub consortia: Vec<(String, Option<String>, String)>,
    /// Whether the caller may open the page of the enterprise that takes it on.
    pub owner_open: bool,
    /// Whether the caller may open the page of its consortium.
    pub consortium_open: bool,
}

async fn technology_of(ctx: &Context, p: &Principal, id: &str) -> Result<Technology> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(store::technology(ctx.store.pool(), &p.city_id, id).await?)
}

/// One technology, for one who may read it.
pub async fn get(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<TechnologyView> {
    let p = c.principal;
    let technology = technology_of(ctx, p, id).await?;
    allow(ctx, c, may_read(p, Some(&technology.chain_id), &related(&technology)), "GET /innovation/technologies/{id}")
        .await?;
    let can_edit = may_keep(p, Some(&technology.chain_id));
    let owner_open = !crate::enterprises::openable(ctx, p, related(&technology)).await?.is_empty();
    let consortium_open = match &technology.consortium_id {
        Some(id) => crate::innovation::readable(ctx, p).await?.iter().any(|c| c.id == *id),
        None => false,
    };
    Ok(TechnologyView {
        owner_open,
        consortium_open,
        stages: stages_of(ctx, p, &[technology.id.as_str()]).await?,
        history: chainchief_store::audit::history_of(ctx.store.pool(), &technology.id).await?,
        choices: if can_edit { choices(ctx, p).await? } else { Choices::default() },
        consortia: if can_edit { consortia(ctx, p).await? } else { Vec::new() },
        can_edit,
        technology,
    })
}

/// A technology as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TechnologyInput {
    /// Chain id.
    pub chain_id: String,
    /// Node id, or empty.
    #[serde(default)]
    pub node_id: String,
    /// Name.
    pub name: String,
    /// Category code.
    pub category: String,
    /// The enterprise that takes it on, or empty.
    #[serde(default)]
    pub owner_enterprise_id: String,
    /// Partners separated by 、 or commas.
    #[serde(default)]
    pub partners: String,
    /// Consortium id, or empty.
    #[serde(default)]
    pub consortium_id: String,
    /// Stage code.
    pub stage: String,
    /// Target year.
    #[serde(default)]
    pub target_year: String,
    /// 具体指标要求.
    #[serde(default)]
    pub goal: String,
    /// Progress.
    #[serde(default)]
    pub progress: String,
}

/// Partners named once each, joined by 、; a name given twice is refused.
fn partners(raw: &str) -> Result<String> {
    let mut names: Vec<&str> = Vec::new();
    for n in raw.split(['、', ',', '，', ';', '；', '\n']).map(str::trim).filter(|n| !n.is_empty()) {
        if names.contains(&n) {
            return Err(Error::field("partners", format!("合作单位“{n}”填写了两次")));
        }
        if n.chars().count() > 60 {
            return Err(Error::field("partners", format!("合作单位“{n}”过长（不超过60字）")));
        }
        names.push(n);
    }
    if names.len() > 20 {
        return Err(Error::field("partners", "合作单位不超过20个"));
    }
    Ok(names.join("、"))
}

/// A technology as typed, checked against the city's data.
pub(crate) async fn fields(ctx: &Context, p: &Principal, i: &TechnologyInput) -> Result<TechnologyFields> {
    if i.chain_id.trim().is_empty() {
        return Err(Error::field("chain_id", "请选择产业链"));
    }
    let (chain_id, node_id, owner_enterprise_id) =
        check_places(ctx, p, &i.chain_id, &i.node_id, ("owner_enterprise_id", &i.owner_enterprise_id)).await?;
    let chain_id = chain_id.unwrap_or_default();
    let consortium_id = match i.consortium_id.trim() {
        "" => None,
        id => {
            let found = consortia(ctx, p).await?.into_iter().find(|(c, _, _)| c == id);
            match found {
                Some((id, chain, _)) if chain.as_deref().is_none_or(|c| c == chain_id) => Some(id),
                Some((_, _, name)) => {
                    return Err(Error::field("consortium_id", format!("创新联合体“{name}”属于另一条产业链")));
                }
                None => return Err(Error::field("consortium_id", "所选创新联合体不存在")),
            }
        }
    };
    let year = ctx.clock.year();
    let target_year = match i.target_year.trim().trim_end_matches('年') {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (2000..=year + 15).contains(&y) => Some(y),
            _ => return Err(Error::field("target_year", format!("完成年份应为2000至{}之间的年份", year + 15))),
        },
    };
    Ok(TechnologyFields {
        chain_id,
        node_id,
        name: required("name", "技术名称", &i.name, 60)?,
        category: rules::parse_code("category", "技术类别", &i.category, TechCategory::from_code)?,
        owner_enterprise_id,
        partners: partners(&i.partners)?,
        consortium_id,
        stage: rules::parse_code("stage", "攻关阶段", &i.stage, TechStage::from_code)?,
        target_year,
        goal: optional("goal", "具体指标要求", &i.goal, 500)?,
        progress: optional("progress", "进展", &i.progress, 1000)?,
    })
}

fn today(ctx: &Context) -> String {
    ctx.clock.today().format("%Y-%m-%d").to_string()
}

/// Lists a new key technology on a chain the caller keeps; returns its id.
pub async fn create(ctx: &Context, c: &Caller<'_>, i: &TechnologyInput) -> Result<String> {
    let p = c.principal;
    let f = fields(ctx, p, i).await?;
    allow(ctx, c, may_keep(p, Some(&f.chain_id)), "POST /innovation/technologies").await?;
    Ok(store::create_technology(&ctx.store, &c.actor, &p.city_id, &f, &today(ctx)).await?)
}

/// Changes a technology read at `version`; its stage moves forward or stays.
pub async fn update(ctx: &Context, c: &Caller<'_>, id: &str, i: &TechnologyInput, version: i64) -> Result<()> {
    let p = c.principal;
    let was = technology_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, Some(&was.chain_id)), "POST /innovation/technologies/{id}").await?;
    let f = fields(ctx, p, i).await?;
    allow(ctx, c, may_keep(p, Some(&f.chain_id)), "POST /innovation/technologies/{id}").await?;
    was.stage.check_move(f.stage)?;
    Ok(store::update_technology(&ctx.store, &c.actor, &p.city_id, id, &f, version, &today(ctx)).await?)
}

/// The results the caller reads, with whom the caller may record results for.
pub struct AchievementList {
    /// Results of the enterprises the caller may open (see [`crate::enterprises::may_read`]), newest first.
    pub rows: Vec<Achievement>,
    /// The rewards of the rows, in all.
    pub rewarded: Money,
    /// (id, name) of the enterprises the caller may record results for.
    pub enterprises: Vec<(String, String)>,
}

/// The standards and patents the caller may read.
pub async fn achievements(ctx: &Context, c: &Caller<'_>) -> Result<AchievementList> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let all = store::achievements(pool, &p.city_id).await?;
    let open = crate::enterprises::openable(ctx, p, all.iter().map(|a| a.enterprise_id.as_str())).await?;
    let rows: Vec<Achievement> = all.into_iter().filter(|a| open.contains(&a.enterprise_id)).collect();
    let enterprises = enterprises::names(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(id, _)| crate::enterprises::may_certify(p, members.get(id).unwrap_or(&none)))
        .collect();
    Ok(AchievementList { rewarded: Money::total(rows.iter().filter_map(|a| a.reward)), rows, enterprises })
}

/// A result as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AchievementInput {
    /// Enterprise id.
    pub enterprise_id: String,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Standard or patent number.
    pub number: String,
    /// Year.
    pub granted_year: String,
}

/// Records a standard or a patent of an enterprise the caller keeps, with its reward.
pub async fn add_achievement(
    ctx: &Context,
    c: &Caller<'_>,
    i: &AchievementInput,
    reward: Option<Money>,
) -> Result<String> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let enterprise_id = i.enterprise_id.trim();
    if !is_valid_id(enterprise_id) || enterprises::get(pool, &p.city_id, enterprise_id).await.is_err() {
        return Err(Error::field("enterprise_id", "企业库中没有该企业"));
    }
    let chains = enterprises::chains_of(pool, enterprise_id).await?;
    allow(ctx, c, crate::enterprises::may_certify(p, &chains), "POST /innovation/results").await?;
    let r = achievement(ctx, i, reward)?;
    Ok(store::add_achievement(&ctx.store, &c.actor, &p.city_id, &r).await?)
}

/// A result as typed, checked (its enterprise is checked by the caller).
pub(crate) fn achievement(ctx: &Context, i: &AchievementInput, reward: Option<Money>) -> Result<NewAchievement> {
    let enterprise_id = i.enterprise_id.trim();
    let granted_year = rules::parse_year_upto("granted_year", "发布（授权）年份", &i.granted_year, ctx.clock.year())?
        .ok_or_else(|| Error::field("granted_year", "请填写发布（授权）年份"))?;
    if reward.is_some_and(|r| r < Money::ZERO) {
        return Err(Error::field("reward", "奖励金额不能为负数"));
    }
    Ok(NewAchievement {
        enterprise_id: enterprise_id.to_string(),
        kind: rules::parse_code("kind", "成果类别", &i.kind, ResultKind::from_code)?,
        title: required("title", "标准或专利名称", &i.title, 100)?,
        number: required("number", "标准号或专利号", &i.number, 40)?,
        granted_year,
        reward,
    })
}

/// The technologies as a worksheet, with the columns of the list.
pub fn sheet(rows: &[Technology]) -> chainchief_sheets::SheetOut {
    use chainchief_sheets::{CellOut, SheetOut};
    let t = |s: &str| CellOut::Text(s.to_string());
    SheetOut {
        name: "关键核心技术攻关清单".into(),
        headers: [
            "技术名称",
            "类别",
            "产业链",
            "环节",
            "揭榜企业",
            "合作单位",
            "创新联合体",
            "攻关阶段",
            "完成年份",
            "具体指标要求",
            "进展",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|x| {
                vec![
                    t(&x.name),
                    t(x.category.label()),
                    t(&x.chain_name),
                    t(x.node_name.as_deref().unwrap_or("")),
                    t(x.owner_name.as_deref().unwrap_or("")),
                    t(&x.partners),
                    t(x.consortium_name.as_deref().unwrap_or("")),
                    t(x.stage.label()),
                    t(&x.target_year.map(|y| y.to_string()).unwrap_or_default()),
                    t(&x.goal),
                    t(&x.progress),
                ]
            })
            .collect(),
    }
}

/// The results as a worksheet.
pub fn achievement_sheet(rows: &[Achievement]) -> chainchief_sheets::SheetOut {
    use chainchief_domain::money::{MoneyUnit, cell};
    use chainchief_sheets::{CellOut, SheetOut};
    let t = |s: &str| CellOut::Text(s.to_string());
    SheetOut {
        name: "标准与发明专利".into(),
        headers: ["企业", "类别", "名称", "编号", "年份", "奖励（万元）"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    t(&a.enterprise_name),
                    t(a.kind.label()),
                    t(&a.title),
                    t(&a.number),
                    t(&a.granted_year.to_string()),
                    t(&cell(a.reward, MoneyUnit::Wan)),
                ]
            })
            .collect(),
    }
}
