//! Supply-demand docking 供需对接 [S1]: OEMs post what they need, local suppliers what they can
//! make; the system proposes matches with reasons; a deal becomes a supplier → customer relation
//! of the library and so raises the local supporting rate.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::docking::{self, Match, RULE};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::{optional, required};
use chainchief_store::supply::{self, Capability, Need};
use chainchief_store::{enterprises, maps};
use serde::Deserialize;

fn is_office(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice])
}

fn own_enterprise(p: &Principal) -> Option<String> {
    p.grants.iter().find(|g| g.role == Role::Enterprise).and_then(|g| g.enterprise_id.clone())
}

#[derive(Template, WebTemplate)]
#[template(path = "supply/list.html")]
struct ListPage {
    l: Layout,
    needs: Vec<Need>,
    capabilities: Vec<Capability>,
    oems: Vec<(String, String)>,
    suppliers: Vec<(String, String)>,
}

/// `GET /supply`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let pool = state.store.pool();
    let all = maps::enterprises_of_city(pool, &p.city_id).await?;
    let own = own_enterprise(p);
    let choose = |local: bool| -> Vec<(String, String)> {
        all.iter()
            .filter(
                |(id, _, l)| {
                    if is_office(p) { (*l == 1) == local || !local } else { own.as_deref() == Some(id.as_str()) }
                },
            )
            .map(|(id, name, _)| (id.clone(), name.clone()))
            .collect()
    };
    let page = ListPage {
        l: layout(&state, &user, "供需对接", "/supply").await?.with_flash(f.msg.as_deref()),
        needs: supply::needs(pool, &p.city_id).await?,
        capabilities: supply::capabilities(pool, &p.city_id).await?,
        oems: choose(false),
        suppliers: choose(true),
    };
    Ok(page.into_response())
}

/// A need or a capability.
#[derive(Deserialize)]
pub struct PostForm {
    kind: String,
    enterprise_id: String,
    part: String,
    #[serde(default)]
    process: String,
    #[serde(default)]
    extra: String,
    #[serde(default)]
    value: String,
}

/// `POST /supply`: an office posts for any enterprise, an enterprise for itself.
pub async fn post(State(state): State<AppState>, user: CurrentUser, Form(f): Form<PostForm>) -> PageResult {
    let p = &user.principal;
    if !matches!(f.kind.as_str(), "need" | "capability") {
        return Err(AppError::field("kind", "类型无效").into());
    }
    let allowed = is_office(p) || own_enterprise(p).as_deref() == Some(f.enterprise_id.as_str());
    require(&state, &user, allowed, "POST /supply").await?;
    if !is_valid_id(&f.enterprise_id) {
        return Err(AppError::field("enterprise_id", "请选择企业").into());
    }
    enterprises::get(state.store.pool(), &p.city_id, &f.enterprise_id)
        .await
        .map_err(|_| AppError::field("enterprise_id", "企业库中没有该企业"))?;
    let invalid = |e| AppError::Invalid(vec![e]);
    let part = required("part", "零部件/产品", &f.part, 60).map_err(invalid)?;
    let process = optional("process", "工艺", &f.process, 60).map_err(invalid)?;
    let extra = optional("extra", "说明", &f.extra, 200).map_err(invalid)?;
    let value = money::optional_field("value", "年采购额", &f.value, MoneyUnit::Wan)?;
    supply::post(&state.store, &user.actor(), &p.city_id, &f.kind, &f.enterprise_id, &part, &process, &extra, value)
        .await?;
    Ok(Redirect::to("/supply?msg=created").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "supply/need.html")]
struct NeedPage {
    l: Layout,
    need: Need,
    matches: Vec<Match>,
    deals: Vec<(String, String, i64, String, String)>,
    rule: &'static str,
    can_deal: bool,
    today: String,
}

async fn need_of(state: &AppState, p: &Principal, id: &str) -> Result<Need, AppError> {
    if !is_valid_id(id) {
        return Err(AppError::NotFound);
    }
    Ok(supply::need(state.store.pool(), &p.city_id, id).await?)
}

/// The proposed suppliers of a need.
async fn proposals(state: &AppState, p: &Principal, need: &Need) -> Result<Vec<Match>, AppError> {
    let pool = state.store.pool();
    let pairs = supply::pairs(pool, &p.city_id).await?;
    let members = enterprises::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    let oem_chains = members.get(&need.enterprise_id).unwrap_or(&none);
    let caps: Vec<docking::Capability> = supply::capabilities(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|c| docking::Capability {
            already_supplies: pairs.contains(&(c.enterprise_id.clone(), need.enterprise_id.clone())),
            on_chain: members.get(&c.enterprise_id).unwrap_or(&none).iter().any(|x| oem_chains.contains(x)),
            id: c.id,
            supplier_id: c.enterprise_id,
            supplier: c.enterprise_name,
            part: c.part,
            process: c.process,
        })
        .collect();
    Ok(docking::matches(&docking::Need { part: need.part.clone(), process: need.process.clone() }, &caps))
}

/// `GET /supply/needs/{id}`.
pub async fn need_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let p = &user.principal;
    let need = need_of(&state, p, &id).await?;
    let matches = proposals(&state, p, &need).await?;
    let deals = supply::deals(state.store.pool(), &p.city_id).await?.into_iter().filter(|d| d.0 == id).collect();
    let l = layout(&state, &user, &format!("{} · {}", need.enterprise_name, need.part), "/supply")
        .await?
        .with_parents(&[("供需对接", "/supply")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    Ok(NeedPage { l, need, matches, deals, rule: RULE, can_deal: is_office(p), today }.into_response())
}

/// A deal.
#[derive(Deserialize)]
pub struct DealForm {
    supplier_id: String,
    value: String,
    signed_on: String,
}

/// `POST /supply/needs/{id}/deals`: an office records a deal between a proposed supplier and the OEM.
pub async fn deal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DealForm>,
) -> PageResult {
    let p = &user.principal;
    require(&state, &user, is_office(p), "POST /supply/needs/{id}/deals").await?;
    let need = need_of(&state, p, &id).await?;
    if !proposals(&state, p, &need).await?.iter().any(|m| m.supplier_id == f.supplier_id) {
        return Err(AppError::field("supplier_id", "请选择推荐的本地供应商").into());
    }
    let value = money::optional_field("value", "年供货额", &f.value, MoneyUnit::Wan)?
        .filter(|v| *v > Money::ZERO)
        .ok_or_else(|| AppError::field("value", "请填写大于0的年供货额（万元）"))?;
    let on = chrono::NaiveDate::parse_from_str(f.signed_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("signed_on", "日期应写成YYYY-MM-DD"))?;
    if on > state.clock.today() {
        return Err(AppError::field("signed_on", "成交日期不能晚于今天").into());
    }
    supply::record_deal(
        &state.store,
        &user.actor(),
        &p.city_id,
        &need,
        &f.supplier_id,
        value,
        &on.format("%Y-%m-%d").to_string(),
    )
    .await?;
    Ok(Redirect::to(&format!("/supply/needs/{id}?msg=saved")).into_response())
}
