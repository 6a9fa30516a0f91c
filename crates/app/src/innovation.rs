//! Innovation carriers [N1][N3][N4]: platforms, consortia and alliances, associations and public
//! service platforms with their members and activities. A chain office keeps its chain's, the
//! general office every one (and those of no chain); the government users read them; an
//! enterprise sees those it hosts or belongs to.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::innovation::{self as rules, Band, CarrierKind, Family, Level, MemberRole, MemberType};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::innovation::{self as store, Activity, Carrier, CarrierFields, Evaluation, Member, NewMember};
use chainchief_store::{maps, org};
use chrono::NaiveDate;

/// Holds a government role (anything but an enterprise's or an administrator's).
fn in_government(p: &Principal) -> bool {
    p.grants.iter().any(|g| !g.role.is_admin() && g.role != Role::Enterprise)
}

/// Who keeps the innovation records of `chain` (none: of the whole city): the general office,
/// or the chain's office.
pub fn may_keep(p: &Principal, chain: Option<&str>) -> bool {
    match chain {
        Some(c) => p.can_write_chain(c),
        None => p.has(Role::GeneralOffice),
    }
}

/// Who reads an innovation record of `chain` naming the enterprises `related`: whoever reads the
/// chain (a record of no chain: any government user), and an enterprise named in it.
pub fn may_read(p: &Principal, chain: Option<&str>, related: &[&str]) -> bool {
    let by_chain = match chain {
        Some(c) => p.can_read_chain(c),
        None => in_government(p),
    };
    by_chain || p.own_enterprise().is_some_and(|e| related.contains(&e))
}

/// The enterprises a carrier names: its host and its members.
fn related<'a>(c: &'a Carrier, members: &'a [Member]) -> Vec<&'a str> {
    c.host_enterprise_id
        .iter()
        .map(String::as_str)
        .chain(members.iter().filter(|m| m.carrier_id == c.id).filter_map(|m| m.enterprise_id.as_deref()))
        .collect()
}

/// What the forms offer: chains the caller keeps, their nodes, the city's enterprises.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// (id, name) of the chains the caller keeps records of.
    pub chains: Vec<(String, String)>,
    /// (id, chain id, name) of their nodes.
    pub nodes: Vec<(String, String, String)>,
    /// (id, name) of the city's enterprises.
    pub enterprises: Vec<(String, String)>,
    /// Whether the caller may keep records of no chain.
    pub city_wide: bool,
}

/// The choices offered to the caller's forms.
pub async fn choices(ctx: &Context, p: &Principal) -> Result<Choices> {
    let pool = ctx.store.pool();
    let chains: Vec<(String, String)> = org::chains(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|c| may_keep(p, Some(&c.id)))
        .map(|c| (c.id, c.name))
        .collect();
    let nodes = maps::nodes_of_city(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|(_, chain, _, _)| chains.iter().any(|(c, _)| c == chain))
        .map(|(id, chain, name, _)| (id, chain, name))
        .collect();
    let enterprises = if chains.is_empty() {
        Vec::new()
    } else {
        maps::enterprises_of_city(pool, &p.city_id).await?.into_iter().map(|(id, name, _)| (id, name)).collect()
    };
    Ok(Choices { chains, nodes, enterprises, city_wide: may_keep(p, None) })
}

/// A list of carriers as the caller sees it.
pub struct CarrierList {
    /// The carriers of the family the caller may read, filtered.
    pub rows: Vec<Carrier>,
    /// (id, name) of the chains of the rows, for the filter.
    pub chains: Vec<(String, String)>,
    /// What the add form offers (empty when the caller keeps nothing).
    pub choices: Choices,
}

/// What a list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct CarrierFilter {
    /// Family shown.
    pub family: Option<Family>,
    /// One chain.
    pub chain_id: Option<String>,
    /// One level.
    pub level: Option<Level>,
    /// Words in the name, host or purpose.
    pub q: String,
}

/// The carriers of the city `p` may read.
pub async fn readable(ctx: &Context, p: &Principal) -> Result<Vec<Carrier>> {
    let pool = ctx.store.pool();
    let members = store::members_in_city(pool, &p.city_id).await?;
    Ok(store::carriers(pool, &p.city_id)
        .await?
        .into_iter()
        .filter(|x| may_read(p, x.chain_id.as_deref(), &related(x, &members)))
        .collect())
}

/// The carriers the caller may read, narrowed by `f`.
pub async fn list(ctx: &Context, c: &Caller<'_>, f: &CarrierFilter) -> Result<CarrierList> {
    let p = c.principal;
    let readable = readable(ctx, p).await?;
    let mut chains: Vec<(String, String)> = Vec::new();
    for x in &readable {
        if let (Some(id), Some(name)) = (&x.chain_id, &x.chain_name)
            && !chains.iter().any(|(c, _)| c == id)
        {
            chains.push((id.clone(), name.clone()));
        }
    }
    let q = f.q.trim();
    let rows = readable
        .into_iter()
        .filter(|x| f.family.is_none_or(|fam| x.kind.family() == fam))
        .filter(|x| f.chain_id.as_deref().is_none_or(|id| x.chain_id.as_deref() == Some(id)))
        .filter(|x| f.level.is_none_or(|l| x.level == l))
        .filter(|x| q.is_empty() || x.name.contains(q) || x.host_name.contains(q) || x.purpose.contains(q))
        .collect();
    Ok(CarrierList { rows, chains, choices: choices(ctx, p).await? })
}

/// A carrier with its members, activities and history.
pub struct CarrierView {
    /// The carrier.
    pub carrier: Carrier,
    /// Members, the leader first.
    pub members: Vec<Member>,
    /// Activities, newest first.
    pub activities: Vec<Activity>,
    /// (when, who, action) of its changes.
    pub history: Vec<(i64, String, String)>,
    /// Whether the caller may change it.
    pub can_edit: bool,
    /// What the edit forms offer.
    pub choices: Choices,
    /// The enterprises named here whose pages the caller may open.
    pub openable: std::collections::HashSet<String>,
    /// Its evaluations, newest year first.
    pub evaluations: Vec<Evaluation>,
    /// What they call for (整改, 撤销), if anything.
    pub warning: Option<String>,
}

async fn carrier_of(ctx: &Context, p: &Principal, id: &str) -> Result<Carrier> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    Ok(store::carrier(ctx.store.pool(), &p.city_id, id).await?)
}

/// One carrier, for one who may read it.
pub async fn get(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<CarrierView> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let carrier = carrier_of(ctx, p, id).await?;
    let members = store::members(pool, &carrier.id).await?;
    allow(ctx, c, may_read(p, carrier.chain_id.as_deref(), &related(&carrier, &members)), "GET /innovation/{id}")
        .await?;
    let can_edit = may_keep(p, carrier.chain_id.as_deref());
    let activities = store::activities(pool, &carrier.id).await?;
    let named =
        related(&carrier, &members).into_iter().chain(activities.iter().filter_map(|a| a.enterprise_id.as_deref()));
    let openable = crate::enterprises::openable(ctx, p, named).await?;
    let evaluations = evaluations_of(ctx, &p.city_id, &carrier.id).await?;
    Ok(CarrierView {
        warning: warning(&evaluations),
        evaluations,
        openable,
        activities,
        history: chainchief_store::audit::history_of(pool, &carrier.id).await?,
        choices: if can_edit { choices(ctx, p).await? } else { Choices::default() },
        can_edit,
        members,
        carrier,
    })
}

/// A carrier as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CarrierInput {
    /// Kind code.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Level code.
    pub level: String,
    /// Year.
    #[serde(default)]
    pub since_year: String,
    /// Chain id, or empty for the whole city.
    #[serde(default)]
    pub chain_id: String,
    /// Node id, or empty.
    #[serde(default)]
    pub node_id: String,
    /// Host enterprise id, or empty.
    #[serde(default)]
    pub host_enterprise_id: String,
    /// Host named in words.
    #[serde(default)]
    pub host_name: String,
    /// 认定部门及文号.
    #[serde(default)]
    pub approval: String,
    /// Task, services or field.
    #[serde(default)]
    pub purpose: String,
}

/// Checks a chain, a node of it and an enterprise named in a form against the city's data.
pub(crate) async fn check_places(
    ctx: &Context,
    p: &Principal,
    chain_id: &str,
    node_id: &str,
    enterprise: (&'static str, &str),
) -> Result<(Option<String>, Option<String>, Option<String>)> {
    let pool = ctx.store.pool();
    let chain = match chain_id.trim() {
        "" => None,
        id => {
            if !is_valid_id(id) || org::chain(pool, &p.city_id, id).await.is_err() {
                return Err(Error::field("chain_id", "所选产业链不存在"));
            }
            Some(id.to_string())
        }
    };
    let node = match node_id.trim() {
        "" => None,
        id => {
            let on_chain = match &chain {
                Some(c) if is_valid_id(id) => maps::node(pool, c, id).await.is_ok(),
                _ => false,
            };
            if !on_chain {
                return Err(Error::field("node_id", "所选环节不在该产业链上"));
            }
            Some(id.to_string())
        }
    };
    let (field, raw) = enterprise;
    let ent = match raw.trim() {
        "" => None,
        id => {
            if !is_valid_id(id) || chainchief_store::enterprises::get(pool, &p.city_id, id).await.is_err() {
                return Err(Error::field(field, "企业库中没有该企业"));
            }
            Some(id.to_string())
        }
    };
    Ok((chain, node, ent))
}

/// A carrier as typed, checked against the city's data.
pub(crate) async fn fields(ctx: &Context, p: &Principal, i: &CarrierInput) -> Result<CarrierFields> {
    let kind = rules::parse_code("kind", "载体类型", &i.kind, CarrierKind::from_code)?;
    let name = required("name", "名称", &i.name, 60)?;
    let level = rules::parse_code("level", "认定级别", &i.level, Level::from_code)?;
    let since_year = rules::parse_year_upto("since_year", "认定（成立）年份", &i.since_year, ctx.clock.year())?;
    let (chain_id, node_id, host_enterprise_id) =
        check_places(ctx, p, &i.chain_id, &i.node_id, ("host_enterprise_id", &i.host_enterprise_id)).await?;
    let host_name = optional("host_name", "依托单位", &i.host_name, 60)?;
    if host_enterprise_id.is_none() && host_name.is_empty() {
        return Err(Error::field("host_enterprise_id", "请选择依托企业或填写依托单位"));
    }
    Ok(CarrierFields {
        kind,
        name,
        level,
        since_year,
        chain_id,
        node_id,
        host_enterprise_id,
        host_name,
        approval: optional("approval", "认定部门及文号", &i.approval, 100)?,
        purpose: optional("purpose", "任务或服务内容", &i.purpose, 500)?,
    })
}

/// Records a new carrier in a chain the caller keeps; returns its id.
pub async fn create(ctx: &Context, c: &Caller<'_>, i: &CarrierInput) -> Result<String> {
    let p = c.principal;
    let f = fields(ctx, p, i).await?;
    allow(ctx, c, may_keep(p, f.chain_id.as_deref()), "POST /innovation").await?;
    Ok(store::create_carrier(&ctx.store, &c.actor, &p.city_id, &f).await?)
}

/// Changes a carrier read at `version`; moving it to another chain needs that chain too.
pub async fn update(ctx: &Context, c: &Caller<'_>, id: &str, i: &CarrierInput, version: i64) -> Result<()> {
    let p = c.principal;
    let was = carrier_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, was.chain_id.as_deref()), "POST /innovation/{id}").await?;
    let f = fields(ctx, p, i).await?;
    allow(ctx, c, may_keep(p, f.chain_id.as_deref()), "POST /innovation/{id}").await?;
    Ok(store::update_carrier(&ctx.store, &c.actor, &p.city_id, id, &f, version).await?)
}

/// A member as typed in the form: an enterprise of the library or another body by name.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MemberInput {
    /// Enterprise id, or empty.
    #[serde(default)]
    pub enterprise_id: String,
    /// Name of a body outside the library (中南大学).
    #[serde(default)]
    pub name: String,
    /// Type code.
    pub member_type: String,
    /// Role code.
    pub role: String,
}

/// Adds a member to a carrier the caller keeps: twice is refused, and a consortium has one leader.
pub async fn add_member(ctx: &Context, c: &Caller<'_>, id: &str, i: &MemberInput) -> Result<()> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let carrier = carrier_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, carrier.chain_id.as_deref()), "POST /innovation/{id}/members").await?;
    let role = rules::parse_code("role", "成员角色", &i.role, MemberRole::from_code)?;
    let (enterprise_id, name, member_type) = match i.enterprise_id.trim() {
        "" => (
            None,
            required("name", "成员名称", &i.name, 60)?,
            rules::parse_code("member_type", "成员类型", &i.member_type, MemberType::from_code)?,
        ),
        e => {
            let found =
                if is_valid_id(e) { chainchief_store::enterprises::get(pool, &p.city_id, e).await.ok() } else { None };
            let found = found.ok_or_else(|| Error::field("enterprise_id", "企业库中没有该企业"))?;
            (Some(found.id), found.name, MemberType::Enterprise)
        }
    };
    let members = store::members(pool, &carrier.id).await?;
    if let Some(m) = members.iter().find(|m| m.name == name) {
        return Err(Error::field("enterprise_id", format!("“{}”已是该载体的{}成员", m.name, m.role.label())));
    }
    if role == MemberRole::Lead
        && let Some(lead) = members.iter().find(|m| m.role == MemberRole::Lead)
    {
        return Err(Error::field("role", format!("已有牵头单位“{}”，一个载体只有一个牵头单位", lead.name)));
    }
    let m = NewMember { enterprise_id, name, member_type, role };
    Ok(store::add_member(&ctx.store, &c.actor, &carrier.id, &m).await?)
}

/// Removes a member of a carrier the caller keeps.
pub async fn remove_member(ctx: &Context, c: &Caller<'_>, id: &str, member_id: &str) -> Result<()> {
    let p = c.principal;
    let carrier = carrier_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, carrier.chain_id.as_deref()), "POST /innovation/{id}/members/{member}/delete").await?;
    if !is_valid_id(member_id) {
        return Err(Error::NotFound);
    }
    Ok(store::remove_member(&ctx.store, &c.actor, &carrier.id, member_id).await?)
}

/// Records an activity of a carrier the caller keeps, on a day not to come.
pub async fn add_activity(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    held_on: &str,
    title: &str,
    enterprise_id: &str,
) -> Result<()> {
    let p = c.principal;
    let carrier = carrier_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, carrier.chain_id.as_deref()), "POST /innovation/{id}/activities").await?;
    let on = NaiveDate::parse_from_str(held_on.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field("held_on", "日期应写成YYYY-MM-DD"))?;
    if on > ctx.clock.today() {
        return Err(Error::field("held_on", "活动日期不能晚于今天"));
    }
    let title = required("title", "活动或服务内容", title, 200)?;
    let (_, _, enterprise) = check_places(ctx, p, "", "", ("enterprise_id", enterprise_id)).await?;
    let on = on.format("%Y-%m-%d").to_string();
    Ok(store::add_activity(&ctx.store, &c.actor, &carrier.id, &on, &title, enterprise.as_deref()).await?)
}

/// The evaluations of one carrier, newest year first.
async fn evaluations_of(ctx: &Context, city_id: &str, carrier_id: &str) -> Result<Vec<Evaluation>> {
    let all = store::evaluations(ctx.store.pool(), city_id).await?;
    Ok(all.into_iter().filter(|e| e.carrier_id == carrier_id).collect())
}

/// What a carrier's evaluations, newest year first, call for.
pub fn warning(newest_first: &[Evaluation]) -> Option<String> {
    let bands: Vec<(i32, Band)> =
        newest_first.iter().map(|e| (i32::try_from(e.year).unwrap_or_default(), e.band)).collect();
    rules::evaluation_warning(&bands)
}

/// An evaluation as typed in the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EvaluationInput {
    /// The year evaluated.
    pub year: String,
    /// Band code.
    pub band: String,
    /// Score 0–100, or empty.
    #[serde(default)]
    pub score: String,
    /// Hard floors failed, the action taken.
    #[serde(default)]
    pub note: String,
}

/// Records a carrier's evaluation of a year: not before it was recognised, not in the future,
/// once a year.
pub async fn add_evaluation(ctx: &Context, c: &Caller<'_>, id: &str, i: &EvaluationInput) -> Result<()> {
    let p = c.principal;
    let carrier = carrier_of(ctx, p, id).await?;
    allow(ctx, c, may_keep(p, carrier.chain_id.as_deref()), "POST /innovation/{id}/evaluations").await?;
    let year = rules::parse_year_upto("year", "评价年份", &i.year, ctx.clock.year())?
        .ok_or_else(|| Error::field("year", "请填写评价年份"))?;
    if let Some(since) = carrier.since_year.filter(|s| i64::from(year) < *s) {
        return Err(Error::field("year", format!("评价年份不能早于认定（成立）年份{since}年")));
    }
    let band = rules::parse_code("band", "评价结果", &i.band, Band::from_code)?;
    let score = match i.score.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => Some(n),
            _ => return Err(Error::field("score", "评价得分应为0至100的整数")),
        },
    };
    let e = Evaluation {
        carrier_id: carrier.id,
        year: i64::from(year),
        band,
        score,
        note: optional("note", "说明", &i.note, 200)?,
        created_by: String::new(),
    };
    Ok(store::add_evaluation(&ctx.store, &c.actor, &e).await?)
}

/// The carriers as a worksheet, with the columns of the list.
pub fn sheet(rows: &[Carrier]) -> chainchief_sheets::SheetOut {
    use chainchief_sheets::{CellOut, SheetOut};
    let t = |s: &str| CellOut::Text(s.to_string());
    SheetOut {
        name: "创新载体".into(),
        headers: [
            "名称",
            "类型",
            "级别",
            "认定（成立）年份",
            "产业链",
            "环节",
            "依托单位",
            "认定部门及文号",
            "任务或服务内容",
            "成员数",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|c| {
                vec![
                    t(&c.name),
                    t(c.kind.label()),
                    t(c.level.label()),
                    t(&c.since_year.map(|y| y.to_string()).unwrap_or_default()),
                    t(c.chain_name.as_deref().unwrap_or("全市")),
                    t(c.node_name.as_deref().unwrap_or("")),
                    t(&c.host_name),
                    t(&c.approval),
                    t(&c.purpose),
                    t(&c.members.to_string()),
                ]
            })
            .collect(),
    }
}

/// The words for an action in the history of a carrier, a key technology or a cultivation mark.
pub fn action_words(action: &str) -> &str {
    match action {
        "carrier.create" => "登记",
        "carrier.update" | "technology.update" => "修改",
        "carrier.member_add" => "增加成员",
        "carrier.member_remove" => "移除成员",
        "carrier.activity" => "记录活动",
        "carrier.evaluate" => "登记评价",
        "technology.create" => "列入攻关清单",
        "cultivation.mark" => "列为重点培育",
        "cultivation.update" => "修改责任人或下一步",
        "cultivation.note" => "记录跟进",
        "access.denied" => "被拒绝的访问",
        other => other,
    }
}

/// The innovation layer of a chain's map: on each node, the carriers of the chain that work on it
/// or have member enterprises placed on it, with those members' roles first (e.g. 牵头·铜基新材料创新联合体).
pub async fn map_layer(
    ctx: &Context,
    p: &Principal,
    chain_id: &str,
    data: &chainchief_store::maps::ChainMapData,
) -> Result<crate::maps::Marks> {
    let pool = ctx.store.pool();
    let members = store::members_in_city(pool, &p.city_id).await?;
    let mut marks = crate::maps::Marks::new();
    for c in store::carriers(pool, &p.city_id).await?.iter().filter(|c| c.chain_id.as_deref() == Some(chain_id)) {
        let mut on: Vec<(String, Vec<&str>)> = Vec::new();
        let mut note = |node: &str, role: Option<&'static str>| {
            let at = match on.iter().position(|(n, _)| n == node) {
                Some(i) => i,
                None => {
                    on.push((node.to_string(), Vec::new()));
                    on.len() - 1
                }
            };
            if let Some(r) = role
                && !on[at].1.contains(&r)
            {
                on[at].1.push(r);
            }
        };
        if let Some(n) = &c.node_id {
            note(n, None);
        }
        for m in members.iter().filter(|m| m.carrier_id == c.id) {
            let Some(e) = &m.enterprise_id else { continue };
            for placed in data.placements.iter().filter(|x| x.enterprise_id == *e) {
                note(&placed.node_id, Some(m.role.label()));
            }
        }
        for (node, roles) in on {
            let line = if roles.is_empty() { c.name.clone() } else { format!("{}·{}", roles.join("、"), c.name) };
            marks.entry(node).or_default().push(line);
        }
    }
    Ok(marks)
}
