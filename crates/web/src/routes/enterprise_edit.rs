//! Keeping an enterprise's profile [E1][E3]: its users, its chains' offices and the general office
//! edit the registered facts; a credit code that fails the checksum needs an audited reason.

use super::pages::{PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::credit_code::CreditCode;
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::maps_file::{TIERS, tier_label};
use chainchief_domain::money::{self, MoneyUnit};
use chainchief_domain::text;
use chainchief_store::enterprises::{self as store, Profile};
use chainchief_store::{library, org};
use serde::Deserialize;

/// The profile form, as typed.
#[derive(Deserialize, Clone, Default)]
pub struct ProfileForm {
    name: String,
    short_name: String,
    credit_code: String,
    override_reason: String,
    park_id: String,
    scale: String,
    ownership: String,
    listed: Option<String>,
    revenue: String,
    employees: String,
    products: String,
    contacts: String,
    #[serde(default)]
    town: String,
    #[serde(default)]
    technologies: String,
    version: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/edit.html")]
struct EditPage {
    l: Layout,
    id: String,
    f: ProfileForm,
    parks: Vec<(String, String)>,
    errors: Vec<FieldError>,
    conflict: Option<String>,
    tiers: Vec<(String, String)>,
    all_tiers: Vec<(&'static str, &'static str)>,
    years: Vec<store::YearFacts>,
    this_year: i32,
}

impl EditPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
    }
}

async fn writable(state: &AppState, user: &CurrentUser, id: &str, what: &str) -> Result<store::Enterprise, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    let e = store::get(state.store.pool(), &user.principal.city_id, id).await?;
    let chains = store::chains_of(state.store.pool(), id).await?;
    require(state, user, user.principal.can_write_enterprise(id, &chains), what).await?;
    Ok(e)
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    f: ProfileForm,
    errors: Vec<FieldError>,
    conflict: Option<String>,
) -> PageResult {
    let parks =
        org::parks(state.store.pool(), &user.principal.city_id).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let tiers =
        library::tiers(state.store.pool(), id).await?.into_iter().map(|t| (tier_label(&t).to_string(), t)).collect();
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
    let page = EditPage {
        l,
        id: id.to_string(),
        f,
        parks,
        errors,
        conflict,
        tiers,
        all_tiers: TIERS.to_vec(),
        years,
        this_year,
    };
    Ok((status, page).into_response())
}

/// `GET /enterprises/{id}/edit`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    let e = writable(&state, &user, &id, &format!("GET /enterprises/{id}/edit")).await?;
    let f = ProfileForm {
        name: e.name,
        short_name: e.short_name,
        credit_code: e.credit_code.unwrap_or_default(),
        override_reason: e.code_override_reason,
        park_id: e.park_id.unwrap_or_default(),
        scale: e.scale,
        ownership: e.ownership,
        listed: (e.listed == 1).then(|| "1".to_string()),
        revenue: e.revenue.map(|m| m.format_exact_in(MoneyUnit::Yi)).unwrap_or_default(),
        employees: e.employees.map(|n| n.to_string()).unwrap_or_default(),
        products: e.products,
        contacts: e.contacts,
        town: e.town,
        technologies: e.technologies,
        version: e.version,
    };
    render(&state, &user, &id, f, vec![], None).await
}

fn validate(f: &ProfileForm, parks: &[String]) -> Result<Profile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text::required("name", "企业名称", &f.name, 100).map_err(|e| errors.push(e)).ok();
    let short = text::required("short_name", "简称", &f.short_name, 40).map_err(|e| errors.push(e)).ok();
    let reason = text::optional("override_reason", "特批理由", &f.override_reason, 300)
        .map_err(|e| errors.push(e))
        .ok()
        .unwrap_or_default();
    let (code, override_reason) = match f.credit_code.trim() {
        "" => (None, String::new()),
        raw => match CreditCode::parse(raw) {
            Ok(c) => (Some(c.as_str().to_string()), String::new()),
            Err(e) if reason.is_empty() => {
                errors.push(FieldError::new("credit_code", e.to_string()));
                (None, String::new())
            }
            Err(_) => match CreditCode::parse_legacy(raw) {
                Ok(c) => (Some(c.as_str().to_string()), reason.clone()),
                Err(e) => {
                    errors.push(FieldError::new("credit_code", format!("{e}（只有校验码不符的早期试点代码可以特批）")));
                    (None, String::new())
                }
            },
        },
    };
    let park_id = Some(f.park_id.clone()).filter(|p| !p.is_empty());
    if park_id.as_ref().is_some_and(|p| !parks.contains(p)) {
        errors.push(FieldError::new("park_id", "请选择本市的园区"));
    }
    if !f.scale.is_empty() && chainchief_domain::org::Scale::from_code(&f.scale).is_none() {
        errors.push(FieldError::new("scale", "请选择规上或规下"));
    }
    if !["domestic", "foreign"].contains(&f.ownership.as_str()) {
        errors.push(FieldError::new("ownership", "请选择内资或外资"));
    }
    let revenue = money::optional_field("revenue", "营业收入", &f.revenue, MoneyUnit::Yi)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let employees = match f.employees.trim() {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                errors.push(FieldError::new("employees", "从业人员应为非负整数"));
                None
            }
        },
    };
    let products = text::optional("products", "主要产品", &f.products, 300).map_err(|e| errors.push(e)).ok();
    let contacts = text::optional("contacts", "联系人", &f.contacts, 300).map_err(|e| errors.push(e)).ok();
    let town = text::optional("town", "所在乡镇", &f.town, 40).map_err(|e| errors.push(e)).ok().unwrap_or_default();
    let technologies = text::optional("technologies", "技术与工艺特点", &f.technologies, 500)
        .map_err(|e| errors.push(e))
        .ok()
        .unwrap_or_default();
    match (name, short, products, contacts) {
        (Some(name), Some(short_name), Some(products), Some(contacts)) if errors.is_empty() => Ok(Profile {
            town,
            technologies,
            name,
            short_name,
            credit_code: code,
            code_override_reason: override_reason,
            park_id,
            scale: f.scale.clone(),
            ownership: f.ownership.clone(),
            listed: f.listed.is_some(),
            revenue,
            employees,
            products,
            contacts,
        }),
        _ => Err(errors),
    }
}

/// `POST /enterprises/{id}/edit`.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ProfileForm>,
) -> PageResult {
    writable(&state, &user, &id, &format!("POST /enterprises/{id}/edit")).await?;
    let parks: Vec<String> =
        org::parks(state.store.pool(), &user.principal.city_id).await?.into_iter().map(|p| p.id).collect();
    let profile = match validate(&f, &parks) {
        Ok(p) => p,
        Err(errors) => return render(&state, &user, &id, f, errors, None).await,
    };
    match store::update_profile(&state.store, &user.actor(), &user.principal.city_id, &id, &profile, f.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/enterprises/{id}")).into_response()),
        Err(e @ chainchief_store::StoreError::Conflict { .. }) => {
            render(&state, &user, &id, f, vec![], Some(e.to_string())).await
        }
        Err(chainchief_store::StoreError::Duplicate { field, message }) => {
            render(&state, &user, &id, f, vec![FieldError::new(&field, message)], None).await
        }
        Err(e) => Err(e.into()),
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
    writable(&state, &user, &id, &format!("POST /enterprises/{id}/tiers")).await?;
    if !TIERS.iter().any(|t| t.0 == f.tier) {
        return Err(AppError::field("tier", "请选择梯队").into());
    }
    let since = f.since.trim();
    if !since.is_empty() && chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").is_err() {
        return Err(AppError::field("since", "认定日期应写成YYYY-MM-DD").into());
    }
    store::set_tier(
        &state.store,
        &user.actor(),
        &id,
        &f.tier,
        Some(since).filter(|s| !s.is_empty()),
        f.remove.is_some(),
    )
    .await?;
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
    writable(&state, &user, &id, &format!("POST /enterprises/{id}/relations")).await?;
    if let Some(rel) = f.remove.as_deref() {
        store::remove_relation(&state.store, &user.actor(), &id, rel).await?;
        return Ok(Redirect::to(&format!("/enterprises/{id}")).into_response());
    }
    if f.other_id == id || !is_valid_id(&f.other_id) {
        return Err(AppError::field("other_id", "请选择另一家企业").into());
    }
    store::get(state.store.pool(), &user.principal.city_id, &f.other_id)
        .await
        .map_err(|_| AppError::field("other_id", "请选择企业库中的企业"))?;
    let product = text::required("product", "产品", &f.product, 100)?;
    let value = money::optional_field("value", "年交易额", &f.value, MoneyUnit::Wan)?;
    let (supplier, customer) = match f.direction.as_str() {
        "supplier" => (f.other_id.as_str(), id.as_str()),
        "customer" => (id.as_str(), f.other_id.as_str()),
        _ => return Err(AppError::field("direction", "请选择对方是供应商还是客户").into()),
    };
    store::add_relation(&state.store, &user.actor(), &user.principal.city_id, supplier, customer, &product, value)
        .await?;
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
}

/// `POST /enterprises/{id}/years`: records one year's revenue, output, tax and employees.
pub async fn set_year(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<YearForm>,
) -> PageResult {
    writable(&state, &user, &id, &format!("POST /enterprises/{id}/years")).await?;
    let year: i64 = f
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
        .ok_or_else(|| AppError::field("year", "年度应为4位数字"))?;
    if year > i64::from(state.clock.year()) {
        return Err(AppError::field("year", "不能填报未来年度的数据").into());
    }
    let employees = match f.employees.trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| AppError::field("employees", "从业人员应为非负整数"))?,
        ),
    };
    let facts = store::YearFacts {
        year,
        revenue: money::optional_field("revenue", "营业收入", &f.revenue, MoneyUnit::Yi)?,
        output: money::optional_field("output", "工业总产值", &f.output, MoneyUnit::Yi)?,
        tax: money::optional_field("tax", "税收", &f.tax, MoneyUnit::Wan)?,
        employees,
    };
    store::set_year(&state.store, &user.actor(), &id, &facts).await?;
    Ok(Redirect::to(&format!("/enterprises/{id}/edit")).into_response())
}
