//! The fund pool [F3] and the talent pool [F4].

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::pools::{self as uc, AllocationInput, FundInput, PartnershipInput, TalentInput, TalentYear};
use chainchief_domain::money::MoneyUnit;
use chainchief_store::pools::{Allocation, Fund};
use serde::Deserialize;

/// A fund with its allocations and whether the caller keeps it.
struct FundRow {
    f: Fund,
    allocations: Vec<Allocation>,
    keeps: bool,
}

impl FundRow {
    /// Paid out of the fund so far.
    fn disbursed(&self) -> chainchief_domain::money::Money {
        chainchief_domain::money::Money::total(self.allocations.iter().map(|a| a.disbursed))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pools/funds.html")]
struct FundsPage {
    l: Layout,
    funds: Vec<FundRow>,
    can_create: bool,
    units: Vec<(String, String)>,
    enterprises: Vec<(String, String)>,
    projects: Vec<(String, String)>,
    year: i32,
    today: String,
}

impl FundsPage {
    /// An amount in 万元 for a form field.
    fn wan(&self, m: &chainchief_domain::money::Money) -> String {
        m.format_exact_in(MoneyUnit::Wan)
    }
}

/// `GET /funds`: the funds with their budget, allocations and disbursements.
pub async fn funds(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let funds: Vec<FundRow> = uc::funds(&state.ctx, &user.caller())
        .await?
        .into_iter()
        .map(|(f, allocations)| FundRow { keeps: uc::may_keep_fund(p, Some(&f)), f, allocations })
        .collect();
    let can_create = uc::may_keep_fund(p, None);
    let keeps_any = funds.iter().any(|r| r.keeps) || can_create;
    let pool = state.store.pool();
    let (units, enterprises, projects) = if keeps_any {
        (
            chainchief_app::factors::routable_units(&state.ctx, p).await?,
            chainchief_store::enterprises::names(pool, &p.city_id).await?,
            chainchief_store::projects::list(pool, &p.city_id).await?.into_iter().map(|x| (x.id, x.name)).collect(),
        )
    } else {
        Default::default()
    };
    let l = layout(&state, &user, "资金池", "/funds").await?.with_flash(f.msg.as_deref());
    Ok(FundsPage {
        l,
        funds,
        can_create,
        units,
        enterprises,
        projects,
        year: state.clock.year(),
        today: state.clock.today().format("%Y-%m-%d").to_string(),
    }
    .into_response())
}

/// `POST /funds`: sets up a fund's year.
pub async fn create_fund(State(state): State<AppState>, user: CurrentUser, Form(f): Form<FundInput>) -> PageResult {
    uc::create_fund(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to("/funds?msg=created").into_response())
}

/// The budget form.
#[derive(Deserialize)]
pub struct BudgetForm {
    budget: String,
    #[serde(default)]
    note: String,
    version: String,
}

/// `POST /funds/{id}`: changes a fund's budget.
pub async fn edit_fund(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<BudgetForm>,
) -> PageResult {
    uc::update_fund(&state.ctx, &user.caller(), &id, &f.budget, &f.note, super::version_of(&f.version)?).await?;
    Ok(Redirect::to("/funds?msg=saved").into_response())
}

/// `POST /funds/{id}/allocations`: allocates from a fund.
pub async fn allocate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<AllocationInput>,
) -> PageResult {
    uc::allocate(&state.ctx, &user.caller(), &id, &f).await?;
    Ok(Redirect::to("/funds?msg=created").into_response())
}

/// The disbursement form.
#[derive(Deserialize)]
pub struct DisburseForm {
    paid: String,
    disbursed_on: String,
    version: String,
}

/// `POST /funds/allocations/{id}`: records what has been paid out.
pub async fn disburse(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DisburseForm>,
) -> PageResult {
    let v = super::version_of(&f.version)?;
    uc::disburse(&state.ctx, &user.caller(), &id, &f.paid, &f.disbursed_on, v).await?;
    Ok(Redirect::to("/funds?msg=saved").into_response())
}

/// The talent page's query.
#[derive(Deserialize, Default)]
pub struct TalentQuery {
    year: Option<i32>,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pools/talent.html")]
struct TalentPage {
    l: Layout,
    t: TalentYear,
    chains: Vec<(String, String)>,
    today: String,
}

impl TalentPage {
    /// The year's aim (zeros when not set).
    fn aim(&self) -> chainchief_store::pools::Talent {
        self.t.aim.map(|(a, _)| a).unwrap_or_default()
    }

    /// Share of an aim reached, in words.
    fn share(&self, done: &i64, aim: &i64) -> String {
        if *aim == 0 { "—".into() } else { format!("{:.0}%", *done as f64 * 100.0 / *aim as f64) }
    }

    /// The statuses of a kind of partnership.
    fn statuses(&self, kind: &str) -> &'static [(&'static str, &'static str)] {
        uc::statuses(kind)
    }

    /// A status in words.
    fn status_label(&self, kind: &str, status: &str) -> &'static str {
        uc::statuses(kind).iter().find(|(c, _)| *c == status).map_or("", |(_, l)| *l)
    }
}

/// `GET /talent`: the year's intake against the aim, and the cooperation with schools.
pub async fn talent(State(state): State<AppState>, user: CurrentUser, Query(q): Query<TalentQuery>) -> PageResult {
    let year =
        q.year.filter(|y| (state.clock.year() - 5..=state.clock.year()).contains(y)).unwrap_or(state.clock.year());
    let t = uc::talent(&state.ctx, &user.caller(), year).await?;
    let p = &user.principal;
    let chains = chainchief_store::org::chains(state.store.pool(), &p.city_id)
        .await?
        .into_iter()
        .filter(|c| p.can_write_chain(&c.id))
        .map(|c| (c.id, c.name))
        .collect();
    let l = layout(&state, &user, "人才池", "/talent").await?.with_flash(q.msg.as_deref());
    Ok(TalentPage { l, t, chains, today: state.clock.today().format("%Y-%m-%d").to_string() }.into_response())
}

/// `POST /talent/intakes`: records an enterprise's intake of a year.
pub async fn set_intake(State(state): State<AppState>, user: CurrentUser, Form(f): Form<TalentInput>) -> PageResult {
    uc::set_intake(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/talent?year={}&msg=saved", f.year.trim())).into_response())
}

/// `POST /talent/aims`: sets the city's aim of a year.
pub async fn set_aim(State(state): State<AppState>, user: CurrentUser, Form(f): Form<TalentInput>) -> PageResult {
    uc::set_aim(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/talent?year={}&msg=saved", f.year.trim())).into_response())
}

/// `POST /talent/partnerships`: records a cooperation or a base.
pub async fn add_partnership(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<PartnershipInput>,
) -> PageResult {
    uc::add_partnership(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to("/talent?msg=created").into_response())
}
