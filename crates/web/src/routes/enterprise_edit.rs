//! Keeping an enterprise's profile [E1][E3]: the pages; the rules are in `chainchief_app::enterprises`.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::enterprises::{self as uc, ProfileInput, Side};
use chainchief_domain::error::FieldError;
use chainchief_domain::maps_file::Tier;
use chainchief_domain::money::{self, MoneyUnit};
use chainchief_store::enterprises as store;
use chainchief_store::{library, org};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/edit.html")]
struct EditPage {
    l: Layout,
    id: String,
    f: ProfileInput,
    parks: Vec<(String, String)>,
    errors: Vec<FieldError>,
    conflict: Option<String>,
    tiers: Vec<Tier>,
    all_tiers: &'static [Tier],
    can_certify: bool,
    years: Vec<store::YearFacts>,
    this_year: i32,
}

impl EditPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    f: ProfileInput,
    errors: Vec<FieldError>,
    conflict: Option<String>,
) -> PageResult {
    let parks =
        org::parks(state.store.pool(), &user.principal.city_id).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let tiers = library::tiers(state.store.pool(), id).await?;
    let href = format!("/enterprises/{id}");
    let l = layout(state, user, "编辑企业", "/enterprises")
        .await?
        .with_parents(&[("企业库", "/enterprises"), (f.name.as_str(), href.as_str())]);
    let status = match (&conflict, errors.is_empty()) {
        (Some(_), _) => axum::http::StatusCode::CONFLICT,
        (None, false) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => axum::http::StatusCode::OK,
    };
    let years = store::years(state.store.pool(), id).await?;
    let this_year = state.clock.year() - 1;
    let can_certify = chainchief_app::enterprises::certifiable(&state.ctx, &user.principal, id).await?;
    let page = EditPage {
        l,
        id: id.to_string(),
        f,
        parks,
        errors,
        conflict,
        tiers,
        all_tiers: Tier::ALL,
        can_certify,
        years,
        this_year,
    };
    Ok((status, page).into_response())
}

/// `GET /enterprises/{id}/edit`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    let e = uc::writable(&state.ctx, &user.caller(), &id, &format!("GET /enterprises/{id}/edit")).await?;
    render(&state, &user, &id, ProfileInput::of(e), vec![], None).await
}

/// `POST /enterprises/{id}/edit`.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ProfileInput>,
) -> PageResult {
    match uc::save_profile(&state.ctx, &user.caller(), &id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/enterprises/{id}")).into_response()),
        Err(chainchief_app::Error::Conflict(message)) => render(&state, &user, &id, f, vec![], Some(message)).await,
        Err(chainchief_app::Error::Invalid(errors)) => render(&state, &user, &id, f, errors, None).await,
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The tier form.
#[derive(Deserialize)]
pub struct TierForm {
    tier: String,
    since: String,
    remove: Option<String>,
}

/// `POST /enterprises/{id}/tiers`: adds a tier with the date it was granted, or removes one.
pub async fn set_tier(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<TierForm>,
) -> PageResult {
    let tier = Tier::from_code(&f.tier).ok_or_else(|| AppError::field("tier", "请选择梯队"))?;
    let since = match f.since.trim() {
        "" => None,
        d => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::field("since", "认定日期应写成YYYY-MM-DD"))?,
        ),
    };
    uc::set_tier(&state.ctx, &user.caller(), &id, tier, since, f.remove.is_some()).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}/edit")).into_response())
}

/// The relation form.
#[derive(Deserialize)]
pub struct RelationForm {
    direction: String,
    other_id: String,
    product: String,
    value: String,
    remove: Option<String>,
}

/// `POST /enterprises/{id}/relations`: records a supplier or customer of the enterprise (or removes one).
pub async fn relation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<RelationForm>,
) -> PageResult {
    if let Some(rel) = f.remove.as_deref() {
        uc::remove_relation(&state.ctx, &user.caller(), &id, rel).await?;
        return Ok(Redirect::to(&format!("/enterprises/{id}")).into_response());
    }
    let side = match f.direction.as_str() {
        "supplier" => Side::Supplier,
        "customer" => Side::Customer,
        _ => return Err(AppError::field("direction", "请选择对方是供应商还是客户").into()),
    };
    let value = money::optional_field("value", "年交易额", &f.value, MoneyUnit::Wan)?;
    uc::add_relation(&state.ctx, &user.caller(), &id, side, &f.other_id, &f.product, value).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}")).into_response())
}

/// The yearly facts form (revenue and output in 亿元, tax in 万元).
#[derive(Deserialize)]
pub struct YearForm {
    year: String,
    revenue: String,
    output: String,
    tax: String,
    employees: String,
    #[serde(default)]
    rd: String,
    #[serde(default)]
    main_business: String,
    #[serde(default)]
    debt_ratio: String,
}

/// `POST /enterprises/{id}/years`: records one year's revenue, output, tax, employees, R&D spend,
/// main-business revenue and debt ratio.
pub async fn set_year(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<YearForm>,
) -> PageResult {
    let facts = store::YearFacts {
        year: f.year.trim().parse().map_err(|_| AppError::field("year", "年度应为4位数字"))?,
        revenue: money::optional_field("revenue", "营业收入", &f.revenue, MoneyUnit::Yi)?,
        output: money::optional_field("output", "工业总产值", &f.output, MoneyUnit::Yi)?,
        tax: money::optional_field("tax", "税收", &f.tax, MoneyUnit::Wan)?,
        employees: uc::people("employees", "从业人员", &f.employees)?,
        rd: money::optional_field("rd", "研发投入", &f.rd, MoneyUnit::Wan)?,
        main_business: money::optional_field("main_business", "主营业务收入", &f.main_business, MoneyUnit::Yi)?,
        debt_ratio: uc::percent("debt_ratio", "资产负债率", &f.debt_ratio)?,
    };
    uc::record_year(&state.ctx, &user.caller(), &id, &facts).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}/edit")).into_response())
}
