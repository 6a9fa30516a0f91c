//! Supply-demand docking 供需对接 [S1]: OEMs post what they need, local suppliers what they can
//! make; the system proposes matches with reasons; a deal becomes a supplier → customer relation
//! of the library and so raises the local supporting rate.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::supply::{self as uc, Board, NeedView, Posting};
use chainchief_domain::docking::{Match, RULE};
use chainchief_domain::money::{self, MoneyUnit};
use chainchief_store::supply::{Capability, Deal, Need};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "supply/list.html")]
struct ListPage {
    l: Layout,
    needs: Vec<(Need, bool)>,
    capabilities: Vec<Capability>,
    oems: Vec<(String, String)>,
    suppliers: Vec<(String, String)>,
}

/// `GET /supply`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let Board { needs, capabilities, oems, suppliers } = uc::board(&state.ctx, &user.caller()).await?;
    let l = layout(&state, &user, "供需对接", "/supply").await?.with_flash(f.msg.as_deref());
    Ok(ListPage { l, needs, capabilities, oems, suppliers }.into_response())
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
    let kind = match f.kind.as_str() {
        "need" => Posting::Need,
        "capability" => Posting::Capability,
        _ => return Err(AppError::field("kind", "类型无效").into()),
    };
    let value = money::optional_field("value", "年采购额", &f.value, MoneyUnit::Wan)?;
    uc::post(&state.ctx, &user.caller(), kind, &f.enterprise_id, &f.part, &f.process, &f.extra, value).await?;
    Ok(Redirect::to("/supply?msg=created").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "supply/need.html")]
struct NeedPage {
    l: Layout,
    need: Need,
    matches: Vec<Match>,
    deals: Vec<Deal>,
    rule: &'static str,
    can_deal: bool,
    today: String,
}

/// `GET /supply/needs/{id}`.
pub async fn need_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let NeedView { need, matches, deals, can_deal } = uc::need(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &format!("{} · {}", need.enterprise_name, need.part), "/supply")
        .await?
        .with_parents(&[("供需对接", "/supply")])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    Ok(NeedPage { l, need, matches, deals, rule: RULE, can_deal, today }.into_response())
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
    let value = money::optional_field("value", "年供货额", &f.value, MoneyUnit::Wan)?
        .ok_or_else(|| AppError::field("value", "请填写大于0的年供货额（万元）"))?;
    let on = chrono::NaiveDate::parse_from_str(f.signed_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("signed_on", "日期应写成YYYY-MM-DD"))?;
    uc::record_deal(&state.ctx, &user.caller(), &id, &f.supplier_id, value, on).await?;
    Ok(Redirect::to(&format!("/supply/needs/{id}?msg=saved")).into_response())
}
