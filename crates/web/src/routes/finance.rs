//! The lead bank of each chain [F2] and the 纾困 campaigns [F1].

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::campaigns::{self, ActionInput, CampaignInput, CampaignView};
use chainchief_app::factors::Tally;
use chainchief_app::finance::{self, BankInput, BankLine, CaseInput, Guarantees, GuarantorInput};
use chainchief_domain::money::{Money, MoneyUnit};
use chainchief_store::factors::Campaign;

/// An amount in 万元 for a form field.
fn wan(m: Money) -> String {
    m.format_exact_in(MoneyUnit::Wan)
}

#[derive(Template, WebTemplate)]
#[template(path = "finance/banks.html")]
struct BanksPage {
    l: Layout,
    lines: Vec<BankLine>,
    g: Guarantees,
    today: String,
}

/// `GET /finance`: each chain's lead bank, credit line and the line used, with its financing tally.
pub async fn banks(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let lines = finance::lines(&state.ctx, &user.principal).await?;
    let g = finance::guarantees(&state.ctx, &user.principal).await?;
    let l = layout(&state, &user, "一链一行", "/requests").await?.with_flash(f.msg.as_deref());
    Ok(BanksPage { l, lines, g, today: state.clock.today().format("%Y-%m-%d").to_string() }.into_response())
}

/// `POST /finance/banks`: sets a chain's lead bank (new, or read at `version`).
pub async fn set_bank(State(state): State<AppState>, user: CurrentUser, Form(f): Form<BankForm>) -> PageResult {
    let version = match f.version.trim() {
        "" => None,
        v => Some(super::version_of(v)?),
    };
    finance::set(&state.ctx, &user.caller(), &f.input, version).await?;
    Ok(Redirect::to("/finance?msg=saved").into_response())
}

/// The lead-bank form: the bank and the version read (empty for a new one).
#[derive(serde::Deserialize)]
pub struct BankForm {
    #[serde(flatten)]
    input: BankInput,
    #[serde(default)]
    version: String,
}

/// `POST /finance/guarantors`: records a guarantee company or a risk-compensation fund.
pub async fn add_guarantor(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<GuarantorInput>,
) -> PageResult {
    finance::add_guarantor(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to("/finance?msg=created").into_response())
}

/// `POST /finance/guarantees`: records a guaranteed loan.
pub async fn add_case(State(state): State<AppState>, user: CurrentUser, Form(f): Form<CaseInput>) -> PageResult {
    finance::add_case(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to("/finance?msg=created").into_response())
}

/// The closing form of a case.
#[derive(serde::Deserialize)]
pub struct CloseForm {
    outcome: String,
    #[serde(default)]
    paid: String,
    version: String,
}

/// `POST /finance/guarantees/{id}`: releases a case or records its compensation.
pub async fn close_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    finance::close_case(&state.ctx, &user.caller(), &id, &f.outcome, &f.paid, super::version_of(&f.version)?).await?;
    Ok(Redirect::to("/finance?msg=saved").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "finance/campaigns.html")]
struct CampaignsPage {
    l: Layout,
    rows: Vec<(Campaign, Tally)>,
    can_create: bool,
    units: Vec<(String, String)>,
    today: String,
}

/// `GET /campaigns`: the city's 纾困 campaigns.
pub async fn campaign_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let p = &user.principal;
    let rows = campaigns::list(&state.ctx, p).await?;
    let can_create = campaigns::may_keep(p, None);
    let units = if can_create { chainchief_app::factors::routable_units(&state.ctx, p).await? } else { Vec::new() };
    let l = layout(&state, &user, "纾困增效行动", "/requests").await?.with_flash(f.msg.as_deref());
    Ok(CampaignsPage { l, rows, can_create, units, today: state.clock.today().format("%Y-%m-%d").to_string() }
        .into_response())
}

/// `POST /campaigns`: starts a campaign.
pub async fn create_campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<CampaignInput>,
) -> PageResult {
    let id = campaigns::create(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/campaigns/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "finance/campaign.html")]
struct CampaignPage {
    l: Layout,
    v: CampaignView,
    units: Vec<(String, String)>,
    today: String,
}

/// `GET /campaigns/{id}`.
pub async fn campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let v = campaigns::get(&state.ctx, &user.caller(), &id).await?;
    let units = if v.can_edit {
        chainchief_app::factors::routable_units(&state.ctx, &user.principal).await?
    } else {
        Vec::new()
    };
    let l = layout(&state, &user, &v.campaign.name, "/requests")
        .await?
        .with_parents(&[("纾困增效行动", "/campaigns")])
        .with_flash(f.msg.as_deref());
    Ok(CampaignPage { l, v, units, today: state.clock.today().format("%Y-%m-%d").to_string() }.into_response())
}

/// `POST /campaigns/{id}`: saves a campaign read at `version`.
pub async fn edit_campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Edited<CampaignInput>>,
) -> PageResult {
    campaigns::update(&state.ctx, &user.caller(), &id, &f.input, f.version()?).await?;
    Ok(Redirect::to(&format!("/campaigns/{id}?msg=saved")).into_response())
}

/// `POST /campaigns/{id}/actions`: records an action of a campaign.
pub async fn add_action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ActionInput>,
) -> PageResult {
    campaigns::add_action(&state.ctx, &user.caller(), &id, &f).await?;
    Ok(Redirect::to(&format!("/campaigns/{id}?msg=created")).into_response())
}

impl BanksPage {
    /// The credit line in 万元 for the edit form.
    fn line_wan(&self, m: &Money) -> String {
        wan(*m)
    }
}
