//! Factor requests [F1] (要素保障诉求): an enterprise or a project asks for land, financing,
//! energy, talent, an approval or 纾困 relief; the city's routing rule sends it to the unit that
//! answers that kind within so many working days (or to the general office to assign); the unit
//! — or, for financing, the chain's lead bank — grants it in full or in part, refuses it with a
//! reason or refers it; the requester rates the answer. Summaries per unit, kind and bank.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::factor::{self as rules, FactorKind, Outcome, RequestStatus, Satisfaction};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::org::UnitKind;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::{Light, closed_light, light};
use chainchief_domain::text::{optional, required};
use chainchief_domain::workdays::Calendar;
use chainchief_store::factors::{self as store, Answer, NewRequest, Request, Route};
use chainchief_store::{enterprises, org, projects};
use chrono::NaiveDate;

/// Working days a request has when the general office assigns it by hand and no rule names a
/// figure (the 10 工作日 of the Hunan enterprise-request practice).
pub const DEFAULT_WORKING_DAYS: i64 = 10;

/// A request with where it stands against its deadline.
pub struct Row {
    /// The request.
    pub r: Request,
    /// Its light, once it has a deadline.
    pub light: Option<Light>,
    /// Working days left to the deadline (negative when late), while it is unanswered.
    pub days_left: Option<i64>,
}

impl Row {
    fn lit(r: Request, today: NaiveDate) -> Row {
        let due = r.deadline.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let answered = r.status.is_answered();
        let light = due.map(|d| match r.answered_at {
            Some(at) if answered => closed_light(d, chainchief_domain::clock::beijing_day(at)),
            _ => light(d, answered, today),
        });
        let days_left = due.filter(|_| !answered).map(|d| Calendar::national().working_days_between(today, d));
        Row { r, light, days_left }
    }

    /// Answered after its deadline, or still open past it.
    pub fn late(&self) -> bool {
        matches!(self.light, Some(Light::Red | Light::ClosedLate))
    }

    /// The amount asked, with its unit.
    pub fn asked(&self) -> String {
        self.r.asked.map(|a| self.r.kind.format_amount(a)).unwrap_or_default()
    }

    /// The amount granted, with its unit.
    pub fn granted(&self) -> String {
        self.r.granted.map(|a| self.r.kind.format_amount(a)).unwrap_or_default()
    }
}

/// Whether `p` is the lead bank of the request's chain and the request asks for financing.
fn is_its_bank(p: &Principal, r: &Request) -> bool {
    r.kind == FactorKind::Financing && r.chain_id.as_deref().is_some_and(|c| p.holds_on_chain(&[Role::LeadBank], c))
}

/// Whether `p` speaks for the requester: who raised it, or a user of the enterprise that asks.
fn is_requester(p: &Principal, r: &Request) -> bool {
    r.created_by == p.username || r.enterprise_id.as_deref().is_some_and(|e| p.own_enterprise() == Some(e))
}

/// Whether `p` may see a request: the leaders and the general office all; the chain's chief,
/// office and liaisons their chain's; the unit it is routed to; the requester; the chain's lead bank its
/// chain's financing requests.
pub fn may_see(p: &Principal, r: &Request) -> bool {
    p.reads_whole_city()
        || is_requester(p, r)
        || r.chain_id
            .as_deref()
            .is_some_and(|c| p.holds_on_chain(&[Role::ChainChief, Role::ChainOffice, Role::Liaison], c))
        || r.unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
        || is_its_bank(p, r)
}

/// Whether `p` may route (or re-route) a request not yet answered: the general office, or the
/// chain's office.
pub fn may_assign(p: &Principal, r: &Request) -> bool {
    !r.status.is_answered()
        && (p.has(Role::GeneralOffice) || r.chain_id.as_deref().is_some_and(|c| p.can_write_chain(c)))
}

/// Whether `p` may answer a request being handled: the unit it is routed to, or for financing the
/// chain's lead bank.
pub fn may_answer(p: &Principal, r: &Request) -> bool {
    r.status == RequestStatus::Handling && is_answerer(p, r)
}

/// Whether `p` answers for the request: the unit it is routed to, or its chain's lead bank.
fn is_answerer(p: &Principal, r: &Request) -> bool {
    r.unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u)) || is_its_bank(p, r)
}

/// Whether `p` may rate an answered request: only the requester.
pub fn may_rate(p: &Principal, r: &Request) -> bool {
    r.status == RequestStatus::Answered && is_requester(p, r)
}

/// Answered and waiting for the requester's rating.
pub fn is_waiting_rating(r: &Request) -> bool {
    r.status == RequestStatus::Answered
}

/// What a request waits for from `p`, if anything: 待分派, 待答复 or 待评价 (the general office
/// oversees the answering, it does not answer for the unit).
pub fn waiting_on(p: &Principal, r: &Request) -> Option<&'static str> {
    match r.status {
        RequestStatus::Unrouted if may_assign(p, r) => Some("待分派"),
        RequestStatus::Handling if r.unit_id.as_deref().is_some_and(|u| p.holds_unit(u)) || is_its_bank(p, r) => {
            Some("待答复")
        }
        RequestStatus::Answered if may_rate(p, r) => Some("待评价"),
        _ => None,
    }
}

/// The requests `p` sees that are being handled and due within three days or already late, for
/// the reminders pushed to the channels.
pub async fn due_soon(ctx: &Context, p: &Principal) -> Result<Vec<Row>> {
    Ok(rows(ctx, p)
        .await?
        .into_iter()
        .filter(|r| r.r.status == RequestStatus::Handling && matches!(r.light, Some(Light::Yellow | Light::Red)))
        .collect())
}

/// The requests of the city `p` may see, newest first.
pub async fn rows(ctx: &Context, p: &Principal) -> Result<Vec<Row>> {
    let today = ctx.clock.today();
    Ok(store::requests(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|r| may_see(p, r))
        .map(|r| Row::lit(r, today))
        .collect())
}

/// A conflict when the request changed since the caller read it at `version` (whoever decided
/// first wins; the later decision is refused before its own checks).
fn unchanged_since(r: &Request, version: i64) -> Result<()> {
    if r.version == version {
        return Ok(());
    }
    let at = chainchief_domain::clock::format_millis(r.updated_at);
    Err(chainchief_store::StoreError::Conflict { by: r.updated_by.clone(), at }.into())
}

/// One request the caller may see.
pub async fn visible(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Row> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let r = store::request(ctx.store.pool(), &c.principal.city_id, id).await?;
    allow(ctx, c, may_see(c.principal, &r), &format!("factor request {id}")).await?;
    Ok(Row::lit(r, ctx.clock.today()))
}

/// What a request's page shows and what the caller may do with it.
pub struct Detail {
    /// The request.
    pub row: Row,
    /// (when, who, action) of its steps.
    pub history: Vec<(i64, String, String)>,
    /// May route it.
    pub can_assign: bool,
    /// May answer it.
    pub can_answer: bool,
    /// May rate it.
    pub can_rate: bool,
    /// (id, name) of the units it may be routed to.
    pub units: Vec<(String, String)>,
    /// The deadline a hand assignment proposes.
    pub proposed_deadline: String,
    /// Comments of the chain's offices, chief and liaisons.
    pub comments: Vec<chainchief_store::liaison::Comment>,
    /// May comment.
    pub can_comment: bool,
}

/// A request with its history, for a caller who may see it.
pub async fn detail(ctx: &Context, c: &Caller<'_>, id: &str) -> Result<Detail> {
    let row = visible(ctx, c, id).await?;
    let p = c.principal;
    let can_assign = may_assign(p, &row.r);
    let units = if can_assign { routable_units(ctx, p).await? } else { Vec::new() };
    let days = rule_of(ctx, p, row.r.kind).await?.map_or(DEFAULT_WORKING_DAYS, |r| r.working_days);
    let (comments, can_comment) = crate::liaison::comments(ctx, p, id, row.r.chain_id.as_deref()).await?;
    Ok(Detail {
        comments,
        can_comment,
        history: chainchief_store::audit::history_of(ctx.store.pool(), id).await?,
        can_answer: may_answer(p, &row.r),
        can_rate: may_rate(p, &row.r),
        proposed_deadline: deadline_after(ctx, days),
        can_assign,
        units,
        row,
    })
}

/// The units a request may be routed to: departments, park committees, offices, towns and banks,
/// not the leadership or groups of units.
pub async fn routable_units(ctx: &Context, p: &Principal) -> Result<Vec<(String, String)>> {
    Ok(org::units(ctx.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|u| !matches!(u.kind, UnitKind::Leadership | UnitKind::Group))
        .map(|u| (u.id, u.name))
        .collect())
}

async fn rule_of(ctx: &Context, p: &Principal, kind: FactorKind) -> Result<Option<Route>> {
    Ok(store::routes(ctx.store.pool(), &p.city_id).await?.into_iter().find(|r| r.kind == kind))
}

/// The day `days` working days after today.
fn deadline_after(ctx: &Context, days: i64) -> String {
    let days = u32::try_from(days.clamp(1, 365)).unwrap_or(1);
    Calendar::national().add_working_days(ctx.clock.today(), days).format("%Y-%m-%d").to_string()
}

/// A request as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestInput {
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Detail.
    #[serde(default)]
    pub detail: String,
    /// Amount asked, in the kind's unit.
    #[serde(default)]
    pub asked: String,
    /// Enterprise id (others than an enterprise user name it).
    #[serde(default)]
    pub enterprise_id: String,
    /// Project id, or empty.
    #[serde(default)]
    pub project_id: String,
    /// Campaign id, or empty.
    #[serde(default)]
    pub campaign_id: String,
}

/// Whether `p` may raise a request for an enterprise on `chains`: its own users, the general
/// office, the office of a chain it is on.
fn may_raise_for(p: &Principal, enterprise_id: &str, chains: &[String]) -> bool {
    p.can_write_enterprise(enterprise_id, chains)
}

/// Raises a request; it is routed by the city's rule for its kind. Returns its id.
pub async fn raise(ctx: &Context, c: &Caller<'_>, i: &RequestInput) -> Result<String> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let kind = FactorKind::from_code(i.kind.trim()).ok_or_else(|| Error::field("kind", "请选择诉求类型"))?;
    let title = required("title", "诉求事项", &i.title, 100)?;
    let detail = optional("detail", "具体情况", &i.detail, 2000)?;
    let asked = kind.parse_amount("asked", "诉求数额", &i.asked)?;
    let (enterprise_id, project_id, chain_id) = match (i.project_id.trim(), i.enterprise_id.trim()) {
        ("", "") => match p.own_enterprise() {
            Some(e) => (Some(e.to_string()), None, enterprises::chains_of(pool, e).await?.into_iter().next()),
            None => return Err(Error::field("enterprise_id", "请选择提出诉求的企业或项目")),
        },
        ("", e) => {
            if !is_valid_id(e) || enterprises::get(pool, &p.city_id, e).await.is_err() {
                return Err(Error::field("enterprise_id", "企业库中没有该企业"));
            }
            let chains = enterprises::chains_of(pool, e).await?;
            allow(ctx, c, may_raise_for(p, e, &chains), "POST /requests").await?;
            (Some(e.to_string()), None, chains.into_iter().next())
        }
        (id, _) => {
            if !is_valid_id(id) {
                return Err(Error::field("project_id", "项目无效"));
            }
            let pr =
                projects::get(pool, &p.city_id, id).await.map_err(|_| Error::field("project_id", "没有这个项目"))?;
            allow(ctx, c, crate::problems::may_raise_on(p, &pr), "POST /requests").await?;
            (None, Some(pr.id), Some(pr.chain_id))
        }
    };
    let campaign_id = match i.campaign_id.trim() {
        "" => None,
        id => {
            if !is_valid_id(id) || store::campaign(pool, &p.city_id, id).await.is_err() {
                return Err(Error::field("campaign_id", "所选纾困行动不存在"));
            }
            Some(id.to_string())
        }
    };
    let rule = rule_of(ctx, p, kind).await?;
    let unit_id = rule.as_ref().and_then(|r| r.unit_id.clone());
    let deadline = rule.filter(|r| r.unit_id.is_some()).map(|r| deadline_after(ctx, r.working_days));
    let new = NewRequest {
        kind,
        title,
        detail,
        enterprise_id,
        project_id,
        chain_id,
        campaign_id,
        unit_id,
        asked,
        raised_on: ctx.clock.today().format("%Y-%m-%d").to_string(),
        deadline,
    };
    Ok(store::create_request(&ctx.store, &c.actor, &p.city_id, &new).await?)
}

/// Comments on a request the caller sees: the chain's offices, chief and liaisons.
pub async fn comment(ctx: &Context, c: &Caller<'_>, id: &str, body: &str) -> Result<()> {
    let row = visible(ctx, c, id).await?;
    crate::liaison::comment(ctx, c, "factor_request", id, row.r.chain_id.as_deref(), body).await
}

/// Routes a request read at `version` to a unit with a deadline (by hand).
pub async fn assign(
    ctx: &Context,
    c: &Caller<'_>,
    id: &str,
    unit_id: &str,
    deadline: &str,
    version: i64,
) -> Result<()> {
    let row = visible(ctx, c, id).await?;
    let p = c.principal;
    allow(ctx, c, may_assign(p, &row.r), &format!("POST /requests/{id}/assign")).await?;
    unchanged_since(&row.r, version)?;
    if !routable_units(ctx, p).await?.iter().any(|(u, _)| u == unit_id.trim()) {
        return Err(Error::field("unit_id", "请选择承办单位"));
    }
    let day = NaiveDate::parse_from_str(deadline.trim(), "%Y-%m-%d")
        .map_err(|_| Error::field("deadline", "办理时限应为日期，如 2026-12-31"))?;
    if day < ctx.clock.today() {
        return Err(Error::field("deadline", "办理时限不能早于今天"));
    }
    let day = day.format("%Y-%m-%d").to_string();
    Ok(store::route_request(&ctx.store, &c.actor, &p.city_id, id, version, unit_id.trim(), &day).await?)
}

/// An answer as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AnswerInput {
    /// Outcome code.
    pub outcome: String,
    /// Amount granted, in the kind's unit.
    #[serde(default)]
    pub granted: String,
    /// Day granted (放款日), or empty for today.
    #[serde(default)]
    pub granted_on: String,
    /// Why not (fully), or where referred.
    #[serde(default)]
    pub reason: String,
}

/// Answers a request read at `version`: its unit, or for financing its chain's lead bank.
pub async fn answer(ctx: &Context, c: &Caller<'_>, id: &str, i: &AnswerInput, version: i64) -> Result<()> {
    let row = visible(ctx, c, id).await?;
    let p = c.principal;
    allow(ctx, c, is_answerer(p, &row.r), &format!("POST /requests/{id}/answer")).await?;
    unchanged_since(&row.r, version)?;
    if row.r.status != RequestStatus::Handling {
        return Err(Error::field("outcome", "该诉求已答复或尚未分派，不能再答复"));
    }
    let outcome = Outcome::from_code(i.outcome.trim()).ok_or_else(|| Error::field("outcome", "请选择办理结果"))?;
    let reason = optional("reason", "说明", &i.reason, 1000)?;
    let typed = row.r.kind.parse_amount("granted", "满足数额", &i.granted)?;
    let granted = rules::granted(outcome, row.r.asked, typed, &reason)?;
    let granted_on = match (granted, i.granted_on.trim()) {
        (None, _) => None,
        (Some(_), "") => Some(ctx.clock.today()),
        (Some(_), d) => {
            let d = NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| Error::field("granted_on", "落实日期应为日期，如 2026-12-01"))?;
            if d > ctx.clock.today() {
                return Err(Error::field("granted_on", "落实日期不能晚于今天"));
            }
            Some(d)
        }
    };
    let a = Answer { outcome, granted, granted_on: granted_on.map(|d| d.format("%Y-%m-%d").to_string()), reason };
    Ok(store::answer_request(&ctx.store, &c.actor, &p.city_id, id, version, &a).await?)
}

/// The requester rates the answer of a request read at `version`.
pub async fn rate(ctx: &Context, c: &Caller<'_>, id: &str, rating: &str, comment: &str, version: i64) -> Result<()> {
    let row = visible(ctx, c, id).await?;
    let p = c.principal;
    allow(ctx, c, is_requester(p, &row.r), &format!("POST /requests/{id}/rate")).await?;
    unchanged_since(&row.r, version)?;
    if row.r.status != RequestStatus::Answered {
        return Err(Error::field("rating", "诉求答复后才能评价，且只能评价一次"));
    }
    let rating = Satisfaction::from_code(rating.trim()).ok_or_else(|| Error::field("rating", "请选择满意度"))?;
    let comment = optional("comment", "评价意见", comment, 500)?;
    if rating == Satisfaction::Unsatisfied && comment.is_empty() {
        return Err(Error::field("comment", "不满意时请写明原因，以便督办"));
    }
    Ok(store::rate_request(&ctx.store, &c.actor, &p.city_id, id, version, rating, &comment).await?)
}

/// Counts of a group of requests (a unit, a kind, a bank).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tally {
    /// Requests.
    pub count: usize,
    /// Answered.
    pub answered: usize,
    /// Answered by the deadline.
    pub on_time: usize,
    /// Open past the deadline or answered after it.
    pub late: usize,
    /// Granted in full or in part.
    pub granted: usize,
    /// Rated.
    pub rated: usize,
    /// Rated 满意 or 基本满意.
    pub satisfied: usize,
}

impl Tally {
    /// Counts one request.
    pub(crate) fn add(&mut self, row: &Row) {
        self.count += 1;
        if row.r.status.is_answered() {
            self.answered += 1;
            if !row.late() {
                self.on_time += 1;
            }
            if matches!(row.r.outcome(), Some(Outcome::Granted | Outcome::Partly)) {
                self.granted += 1;
            }
        }
        if row.late() {
            self.late += 1;
        }
        if let Some(s) = row.r.rating() {
            self.rated += 1;
            if s.counts_satisfied() {
                self.satisfied += 1;
            }
        }
    }

    /// A share in words ("—" when there is nothing to share).
    fn share(part: usize, whole: usize) -> String {
        if whole == 0 { "—".into() } else { format!("{:.0}%", part as f64 * 100.0 / whole as f64) }
    }

    /// 按时办结率: answered by the deadline, of those answered.
    pub fn on_time_share(&self) -> String {
        Tally::share(self.on_time, self.answered)
    }

    /// 满足率: granted in full or in part, of those answered.
    pub fn granted_share(&self) -> String {
        Tally::share(self.granted, self.answered)
    }

    /// 满意率: 满意 and 基本满意, of those rated.
    pub fn satisfied_share(&self) -> String {
        Tally::share(self.satisfied, self.rated)
    }
}

/// Tallies of `rows` grouped by `key`, in the order the groups first appear, then the whole.
pub fn tally_by<K: PartialEq + Clone>(rows: &[Row], key: impl Fn(&Row) -> K) -> (Vec<(K, Tally)>, Tally) {
    let mut groups: Vec<(K, Tally)> = Vec::new();
    let mut all = Tally::default();
    for row in rows {
        let k = key(row);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, t)) => t.add(row),
            None => {
                let mut t = Tally::default();
                t.add(row);
                groups.push((k, t));
            }
        }
        all.add(row);
    }
    (groups, all)
}

/// The routing rules of the city, one per kind (a kind without a rule goes to the general office).
pub async fn routes(ctx: &Context, p: &Principal) -> Result<Vec<(FactorKind, Option<Route>)>> {
    let set = store::routes(ctx.store.pool(), &p.city_id).await?;
    Ok(FactorKind::ALL.iter().map(|k| (*k, set.iter().find(|r| r.kind == *k).cloned())).collect())
}

/// Sets the rule of a kind (the general office): the unit that answers it and its working days.
pub async fn set_route(
    ctx: &Context,
    c: &Caller<'_>,
    kind: &str,
    unit_id: &str,
    days: &str,
    version: Option<i64>,
) -> Result<()> {
    let p = c.principal;
    allow(ctx, c, p.has(Role::GeneralOffice), "POST /requests/routes").await?;
    let kind = FactorKind::from_code(kind.trim()).ok_or_else(|| Error::field("kind", "诉求类型无效"))?;
    let unit_id = match unit_id.trim() {
        "" => None,
        u if routable_units(ctx, p).await?.iter().any(|(id, _)| id == u) => Some(u),
        _ => return Err(Error::field("unit_id", "承办单位无效")),
    };
    let days = match days.trim().parse::<i64>() {
        Ok(d) if (1..=60).contains(&d) => d,
        _ => return Err(Error::field("working_days", "办理时限应为1至60个工作日")),
    };
    Ok(store::set_route(&ctx.store, &c.actor, &p.city_id, kind, unit_id, days, version).await?)
}

/// What the raise form offers a caller.
#[derive(Default)]
pub struct RaiseChoices {
    /// The caller's own enterprise: it raises for itself.
    pub own: bool,
    /// (id, name) of the enterprises the caller may raise for.
    pub enterprises: Vec<(String, String)>,
    /// (id, name) of the projects the caller may raise for.
    pub projects: Vec<(String, String)>,
    /// (id, name) of the city's campaigns.
    pub campaigns: Vec<(String, String)>,
}

impl RaiseChoices {
    /// Whether the caller may raise any request.
    pub fn any(&self) -> bool {
        self.own || !self.enterprises.is_empty() || !self.projects.is_empty()
    }
}

/// What the caller may raise requests for.
pub async fn raise_choices(ctx: &Context, p: &Principal) -> Result<RaiseChoices> {
    let pool = ctx.store.pool();
    let own = p.own_enterprise().is_some();
    let (enterprises, projects) = if own || !p.has_any(&[Role::GeneralOffice, Role::ChainOffice, Role::ResponsibleUnit])
    {
        (Vec::new(), Vec::new())
    } else {
        let members = enterprises::memberships(pool, &p.city_id).await?;
        let none = Vec::new();
        let list = enterprises::names(pool, &p.city_id)
            .await?
            .into_iter()
            .filter(|(id, _)| may_raise_for(p, id, members.get(id).unwrap_or(&none)))
            .collect();
        (list, crate::problems::raisable_projects(ctx, p).await?)
    };
    let campaigns = store::campaigns(pool, &p.city_id).await?.into_iter().map(|c| (c.id, c.name)).collect();
    Ok(RaiseChoices { own, enterprises, projects, campaigns })
}

/// The words for an audited step of a request, a campaign or a lead bank.
pub fn action_words(action: &str) -> &str {
    match action {
        "factor.raise" => "提出诉求",
        "factor.assign" => "分派",
        "factor.answer" => "答复",
        "factor.rate" => "评价",
        "campaign.create" => "发起行动",
        "campaign.update" => "修改行动",
        "campaign.action" => "记录工作",
        "bank.create" => "确定主办行",
        "bank.update" => "修改主办行信息",
        "access.denied" => "被拒绝的访问",
        other => other,
    }
}
