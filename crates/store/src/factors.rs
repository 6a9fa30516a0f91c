//! Factor guarantees [F1, F2]: routing rules per kind of request, 纾困 campaigns with their
//! actions, the requests with their answers and ratings, and the lead bank of each chain.

use crate::audit::{Actor, Event, append_changed};
use crate::{Result, Store, Val, Versioned, text, unique_as, update_versioned};
use chainchief_domain::factor::{FactorKind, Outcome, RequestStatus, Satisfaction};
use chainchief_domain::ids::new_id;
use chainchief_domain::money::Money;
use sqlx::{AnyPool, FromRow};

/// A routing rule: which unit answers a kind of request, within how many working days.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Route {
    /// Id.
    pub id: String,
    /// The kind routed.
    #[sqlx(try_from = "String")]
    pub kind: FactorKind,
    /// The unit that answers (none: the general office assigns each request).
    pub unit_id: Option<String>,
    /// Its name.
    pub unit_name: Option<String>,
    /// Working days from the day raised to the deadline.
    pub working_days: i64,
    /// Version.
    pub version: i64,
}

/// The city's routing rules.
pub async fn routes(pool: &AnyPool, city_id: &str) -> Result<Vec<Route>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.kind, r.unit_id, u.name AS unit_name, r.working_days, r.version FROM factor_routes r \
         LEFT JOIN units u ON u.id = r.unit_id WHERE r.city_id = $1",
    )
    .bind(city_id)
    .fetch_all(pool)
    .await?)
}

/// Sets the rule of `kind`: a new rule, or a change to the one read at `version`.
pub async fn set_route(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    kind: FactorKind,
    unit_id: Option<&str>,
    working_days: i64,
    version: Option<i64>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM factor_routes WHERE city_id = $1 AND kind = $2")
        .bind(city_id)
        .bind(kind.code())
        .fetch_optional(&mut *tx)
        .await?;
    let sets = vec![
        ("kind", text(kind.code())),
        ("unit_id", Val::Text(unit_id.map(str::to_string))),
        ("working_days", Val::Int(working_days)),
    ];
    let (id, before) =
        crate::upsert_versioned(&mut tx, actor, "factor_routes", city_id, existing.map(|e| e.0), version, sets).await?;
    let event = Event { action: "factor.route", entity: "factor_route", entity_id: Some(&id), before, after: None };
    append_changed(&mut tx, actor, "factor_routes", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// A request as lists and its page show it.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Request {
    /// Id.
    pub id: String,
    /// What it asks for.
    #[sqlx(try_from = "String")]
    pub kind: FactorKind,
    /// Title.
    pub title: String,
    /// Detail.
    pub detail: String,
    /// The enterprise that asks.
    pub enterprise_id: Option<String>,
    /// Its name.
    pub enterprise_name: Option<String>,
    /// The project that asks.
    pub project_id: Option<String>,
    /// Its name.
    pub project_name: Option<String>,
    /// The chain it belongs to.
    pub chain_id: Option<String>,
    /// Its name.
    pub chain_name: Option<String>,
    /// The 纾困 campaign it belongs to.
    pub campaign_id: Option<String>,
    /// Its name.
    pub campaign_name: Option<String>,
    /// The unit answering.
    pub unit_id: Option<String>,
    /// Its name.
    pub unit_name: Option<String>,
    /// Amount asked, in the kind's measure (分 for money, ×10⁴ otherwise).
    pub asked: Option<i64>,
    /// Day raised.
    pub raised_on: String,
    /// Deadline.
    pub deadline: Option<String>,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    /// The answer.
    pub outcome: Option<String>,
    /// Amount granted, in the kind's measure.
    pub granted: Option<i64>,
    /// Day granted (放款日 for a loan).
    pub granted_on: Option<String>,
    /// Why not (fully) granted, or where it was referred.
    pub reason: String,
    /// When answered.
    pub answered_at: Option<i64>,
    /// By whom.
    pub answered_by: Option<String>,
    /// The requester's rating.
    pub rating: Option<String>,
    /// The requester's comment.
    pub rating_comment: String,
    /// Who raised it.
    pub created_by: String,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: i64,
    /// By whom.
    pub updated_by: String,
}

impl Request {
    /// The answer, decoded.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome.as_deref().and_then(Outcome::from_code)
    }

    /// The rating, decoded.
    pub fn rating(&self) -> Option<Satisfaction> {
        self.rating.as_deref().and_then(Satisfaction::from_code)
    }

    /// The amount granted of a money request.
    pub fn granted_money(&self) -> Option<Money> {
        (self.kind.measure() == chainchief_domain::factor::Measure::Money)
            .then(|| self.granted.map(Money::from_fen))
            .flatten()
    }
}

const REQUEST_COLUMNS: &str = "r.id, r.kind, r.title, r.detail, r.enterprise_id, e.name AS enterprise_name, \
    r.project_id, p.name AS project_name, r.chain_id, ch.name AS chain_name, r.campaign_id, c.name AS campaign_name, \
    r.unit_id, u.name AS unit_name, r.asked, r.raised_on, r.deadline, r.status, r.outcome, r.granted, r.granted_on, \
    r.reason, r.answered_at, r.answered_by, r.rating, r.rating_comment, r.created_by, r.version, r.updated_at, \
    r.updated_by FROM factor_requests r LEFT JOIN enterprises e ON e.id = r.enterprise_id \
    LEFT JOIN projects p ON p.id = r.project_id LEFT JOIN chains ch ON ch.id = r.chain_id \
    LEFT JOIN relief_campaigns c ON c.id = r.campaign_id LEFT JOIN units u ON u.id = r.unit_id";

/// The city's requests, newest first.
pub async fn requests(pool: &AnyPool, city_id: &str) -> Result<Vec<Request>> {
    let sql = format!("SELECT {REQUEST_COLUMNS} WHERE r.city_id = $1 ORDER BY r.raised_on DESC, r.created_at DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One request of the city.
pub async fn request(pool: &AnyPool, city_id: &str, id: &str) -> Result<Request> {
    crate::one_in_city(pool, format!("SELECT {REQUEST_COLUMNS} WHERE r.city_id = $1 AND r.id = $2"), city_id, id).await
}

/// A new request, checked.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// Kind.
    pub kind: FactorKind,
    /// Title.
    pub title: String,
    /// Detail.
    pub detail: String,
    /// Enterprise.
    pub enterprise_id: Option<String>,
    /// Project.
    pub project_id: Option<String>,
    /// Chain.
    pub chain_id: Option<String>,
    /// Campaign.
    pub campaign_id: Option<String>,
    /// Unit routed to (none: unrouted).
    pub unit_id: Option<String>,
    /// Amount asked.
    pub asked: Option<i64>,
    /// Day raised.
    pub raised_on: String,
    /// Deadline (none while unrouted).
    pub deadline: Option<String>,
}

/// Records a new request; returns its id.
pub async fn create_request(store: &Store, actor: &Actor, city_id: &str, r: &NewRequest) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let status = if r.unit_id.is_some() { RequestStatus::Handling } else { RequestStatus::Unrouted };
    let mut sets = vec![
        ("kind", text(r.kind.code())),
        ("title", text(&r.title)),
        ("detail", text(&r.detail)),
        ("enterprise_id", Val::Text(r.enterprise_id.clone())),
        ("project_id", Val::Text(r.project_id.clone())),
        ("chain_id", Val::Text(r.chain_id.clone())),
        ("campaign_id", Val::Text(r.campaign_id.clone())),
        ("unit_id", Val::Text(r.unit_id.clone())),
        ("asked", Val::OptInt(r.asked)),
        ("raised_on", text(&r.raised_on)),
        ("deadline", Val::Text(r.deadline.clone())),
        ("status", text(status.code())),
        ("reason", text("")),
        ("rating_comment", text("")),
    ];
    sets.extend(crate::versioned_row(&id, city_id, actor));
    crate::insert(&mut tx, "factor_requests", sets).await?;
    let event =
        Event { action: "factor.raise", entity: "factor_request", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "factor_requests", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// A change to a request read at `version`, audited as `action`.
async fn change_request(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    version: i64,
    action: &'static str,
    sets: Vec<(&'static str, Val)>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let change = Versioned { table: "factor_requests", id, city_id: Some(city_id), version, sets };
    let before = update_versioned(&mut tx, actor, change).await?;
    let event = Event { action, entity: "factor_request", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "factor_requests", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// Routes a request to `unit_id` due on `deadline`.
pub async fn route_request(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    version: i64,
    unit_id: &str,
    deadline: &str,
) -> Result<()> {
    let sets = vec![
        ("unit_id", text(unit_id)),
        ("deadline", text(deadline)),
        ("status", text(RequestStatus::Handling.code())),
    ];
    change_request(store, actor, city_id, id, version, "factor.assign", sets).await
}

/// An answer to a request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// How it was answered.
    pub outcome: Outcome,
    /// Amount granted.
    pub granted: Option<i64>,
    /// Day granted.
    pub granted_on: Option<String>,
    /// Why not (fully), or where referred.
    pub reason: String,
}

/// Answers a request read at `version`.
pub async fn answer_request(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    version: i64,
    a: &Answer,
) -> Result<()> {
    let sets = vec![
        ("status", text(RequestStatus::Answered.code())),
        ("outcome", text(a.outcome.code())),
        ("granted", Val::OptInt(a.granted)),
        ("granted_on", Val::Text(a.granted_on.clone())),
        ("reason", text(&a.reason)),
        ("answered_at", Val::Int(actor.at)),
        ("answered_by", text(&actor.name)),
    ];
    change_request(store, actor, city_id, id, version, "factor.answer", sets).await
}

/// Records the requester's rating of a request read at `version`.
pub async fn rate_request(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    version: i64,
    rating: Satisfaction,
    comment: &str,
) -> Result<()> {
    let sets = vec![
        ("status", text(RequestStatus::Rated.code())),
        ("rating", text(rating.code())),
        ("rating_comment", text(comment)),
    ];
    change_request(store, actor, city_id, id, version, "factor.rate", sets).await
}

/// A 纾困 campaign.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct Campaign {
    /// Id.
    pub id: String,
    /// Name, e.g. 土地供应保障行动.
    pub name: String,
    /// The leader in charge.
    pub leader: String,
    /// The lead unit.
    pub unit_id: Option<String>,
    /// Its name.
    pub unit_name: Option<String>,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// What it aims at.
    pub goal: String,
    /// Results so far.
    pub results: String,
    /// Version.
    pub version: i64,
}

/// What is written for a campaign.
#[derive(Debug, Clone)]
pub struct CampaignFields {
    /// Name.
    pub name: String,
    /// Leader.
    pub leader: String,
    /// Lead unit.
    pub unit_id: Option<String>,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Goal.
    pub goal: String,
    /// Results.
    pub results: String,
}

impl CampaignFields {
    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("name", text(&self.name)),
            ("leader", text(&self.leader)),
            ("unit_id", Val::Text(self.unit_id.clone())),
            ("starts_on", text(&self.starts_on)),
            ("ends_on", text(&self.ends_on)),
            ("goal", text(&self.goal)),
            ("results", text(&self.results)),
        ]
    }
}

const CAMPAIGN_COLUMNS: &str = "c.id, c.name, c.leader, c.unit_id, u.name AS unit_name, c.starts_on, c.ends_on, c.goal, \
    c.results, c.version FROM relief_campaigns c LEFT JOIN units u ON u.id = c.unit_id";

/// The city's campaigns, latest first.
pub async fn campaigns(pool: &AnyPool, city_id: &str) -> Result<Vec<Campaign>> {
    let sql = format!("SELECT {CAMPAIGN_COLUMNS} WHERE c.city_id = $1 ORDER BY c.starts_on DESC, c.name");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// One campaign of the city.
pub async fn campaign(pool: &AnyPool, city_id: &str, id: &str) -> Result<Campaign> {
    crate::one_in_city(pool, format!("SELECT {CAMPAIGN_COLUMNS} WHERE c.city_id = $1 AND c.id = $2"), city_id, id).await
}

fn duplicate_campaign(name: &str) -> String {
    format!("已有名为“{name}”的行动，请打开它修改")
}

/// Starts a campaign; returns its id.
pub async fn create_campaign(store: &Store, actor: &Actor, city_id: &str, f: &CampaignFields) -> Result<String> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let mut sets = f.sets();
    sets.extend(crate::versioned_row(&id, city_id, actor));
    let message = duplicate_campaign(&f.name);
    crate::insert(&mut tx, "relief_campaigns", sets).await.map_err(unique_as("name", &message))?;
    let event =
        Event { action: "campaign.create", entity: "relief_campaign", entity_id: Some(&id), before: None, after: None };
    append_changed(&mut tx, actor, "relief_campaigns", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a campaign read at `version`.
pub async fn update_campaign(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    id: &str,
    f: &CampaignFields,
    version: i64,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let message = duplicate_campaign(&f.name);
    let change = Versioned { table: "relief_campaigns", id, city_id: Some(city_id), version, sets: f.sets() };
    let before = update_versioned(&mut tx, actor, change).await.map_err(crate::clash_as("name", &message))?;
    let event =
        Event { action: "campaign.update", entity: "relief_campaign", entity_id: Some(id), before, after: None };
    append_changed(&mut tx, actor, "relief_campaigns", &[("id", id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// An action of a campaign.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct CampaignAction {
    /// Day done.
    pub done_on: String,
    /// What was done.
    pub action: String,
    /// What came of it.
    pub result: String,
    /// Who recorded it.
    pub created_by: String,
}

/// The actions of a campaign, latest first.
pub async fn actions(pool: &AnyPool, campaign_id: &str) -> Result<Vec<CampaignAction>> {
    Ok(sqlx::query_as(
        "SELECT done_on, action, result, created_by FROM campaign_actions WHERE campaign_id = $1 \
         ORDER BY done_on DESC, created_at DESC",
    )
    .bind(campaign_id)
    .fetch_all(pool)
    .await?)
}

/// Records an action of a campaign.
pub async fn add_action(
    store: &Store,
    actor: &Actor,
    campaign_id: &str,
    done_on: &str,
    action: &str,
    result: &str,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let id = new_id();
    let sets = vec![
        ("id", text(&id)),
        ("campaign_id", text(campaign_id)),
        ("done_on", text(done_on)),
        ("action", text(action)),
        ("result", text(result)),
        ("created_at", Val::Int(actor.at)),
        ("created_by", text(&actor.name)),
    ];
    crate::insert(&mut tx, "campaign_actions", sets).await?;
    let event = Event {
        action: "campaign.action",
        entity: "relief_campaign",
        entity_id: Some(campaign_id),
        before: None,
        after: None,
    };
    append_changed(&mut tx, actor, "campaign_actions", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}

/// The lead bank of a chain (一链一行) and its dedicated credit line.
#[derive(Debug, Clone, serde::Serialize, FromRow)]
pub struct ChainBank {
    /// Id.
    pub id: String,
    /// The chain.
    pub chain_id: String,
    /// Its name.
    pub chain_name: String,
    /// The lead bank (主办行).
    pub bank: String,
    /// Partner banks (参与行), joined by 、.
    pub partners: String,
    /// The bank's lead and contact.
    pub contact: String,
    /// Its credit policy for the chain.
    pub credit_policy: String,
    /// Dedicated credit line.
    #[sqlx(rename = "credit_line_fen")]
    pub credit_line: Money,
    /// First day of the line.
    pub starts_on: String,
    /// Last day of the line.
    pub ends_on: String,
    /// Its desks in parks.
    pub desks: String,
    /// Version.
    pub version: i64,
}

/// What is written for a chain's lead bank.
#[derive(Debug, Clone)]
pub struct ChainBankFields {
    /// Chain.
    pub chain_id: String,
    /// Bank.
    pub bank: String,
    /// Partners.
    pub partners: String,
    /// Contact.
    pub contact: String,
    /// Credit policy.
    pub credit_policy: String,
    /// Credit line.
    pub credit_line: Money,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Desks in parks.
    pub desks: String,
}

impl ChainBankFields {
    fn sets(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("chain_id", text(&self.chain_id)),
            ("bank", text(&self.bank)),
            ("partners", text(&self.partners)),
            ("contact", text(&self.contact)),
            ("credit_policy", text(&self.credit_policy)),
            ("credit_line_fen", Val::Int(self.credit_line.fen())),
            ("starts_on", text(&self.starts_on)),
            ("ends_on", text(&self.ends_on)),
            ("desks", text(&self.desks)),
        ]
    }
}

const BANK_COLUMNS: &str = "b.id, b.chain_id, ch.name AS chain_name, b.bank, b.partners, b.contact, b.credit_policy, \
    b.credit_line_fen, b.starts_on, b.ends_on, b.desks, b.version FROM chain_banks b JOIN chains ch ON ch.id = b.chain_id";

/// The lead banks of the city's chains, in chain order.
pub async fn chain_banks(pool: &AnyPool, city_id: &str) -> Result<Vec<ChainBank>> {
    let sql = format!("SELECT {BANK_COLUMNS} WHERE b.city_id = $1 ORDER BY ch.position");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(city_id).fetch_all(pool).await?)
}

/// Sets a chain's lead bank: a new record, or a change to the one read at `version`.
pub async fn set_chain_bank(
    store: &Store,
    actor: &Actor,
    city_id: &str,
    f: &ChainBankFields,
    was: Option<(&str, i64)>,
) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let (id, before, action) = match was {
        Some((id, version)) => {
            let change = Versioned { table: "chain_banks", id, city_id: Some(city_id), version, sets: f.sets() };
            (id.to_string(), update_versioned(&mut tx, actor, change).await?, "bank.update")
        }
        None => {
            let id = new_id();
            let mut sets = f.sets();
            sets.extend(crate::versioned_row(&id, city_id, actor));
            crate::insert(&mut tx, "chain_banks", sets)
                .await
                .map_err(unique_as("chain_id", "该产业链已有主办行，请打开它修改"))?;
            (id, None, "bank.create")
        }
    };
    let event = Event { action, entity: "chain_bank", entity_id: Some(&id), before, after: None };
    append_changed(&mut tx, actor, "chain_banks", &[("id", &id)], event).await?;
    tx.commit().await?;
    Ok(())
}
