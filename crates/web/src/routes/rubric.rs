//! Tuning a chain's rating rubric [C4]: weights (summing to 100), the figure that earns a full
//! share, and the thresholds of 优势 and 潜力. Versioned and audited; ratings follow at once.

use super::org::checked_chain;
use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::rating::Rubric;
use chainchief_store::maps;

/// Field name, label, value of one rubric number.
type Number = (&'static str, &'static str, u32);

#[derive(Template, WebTemplate)]
#[template(path = "chains/rubric.html")]
struct RubricPage {
    l: Layout,
    chain_id: String,
    chain_name: String,
    numbers: Vec<Number>,
    version: Option<i64>,
    error: Option<String>,
    can_edit: bool,
}

fn numbers(r: &Rubric) -> Vec<Number> {
    vec![
        ("w_enterprises", "权重：本地企业数", r.w_enterprises),
        ("w_scale", "权重：规上企业数", r.w_scale),
        ("w_revenue", "权重：营业收入", r.w_revenue),
        ("w_innovation", "权重：创新型企业数", r.w_innovation),
        ("w_relations", "权重：本地配套关系数", r.w_relations),
        ("ref_enterprises", "满分参考：本地企业（家）", r.ref_enterprises),
        ("ref_scale", "满分参考：规上企业（家）", r.ref_scale),
        ("ref_revenue_yi", "满分参考：营业收入（亿元）", r.ref_revenue_yi),
        ("ref_innovation", "满分参考：创新型企业（家）", r.ref_innovation),
        ("ref_relations", "满分参考：本地配套关系（条）", r.ref_relations),
        ("advantage_from", "优势线（得分）", r.advantage_from),
        ("potential_from", "潜力线（得分，低于此为薄弱）", r.potential_from),
    ]
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    name: String,
    r: &Rubric,
    version: Option<i64>,
    error: Option<String>,
) -> PageResult {
    let href = format!("/chains/{id}/map?kind=status");
    let l = layout(state, user, "评价规则", "/chains")
        .await?
        .with_parents(&[("产业链", "/chains"), (name.as_str(), href.as_str())]);
    let status =
        if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    let can_edit = user.principal.can_write_chain(id);
    Ok((status, RubricPage { l, chain_id: id.into(), chain_name: name, numbers: numbers(r), version, error, can_edit })
        .into_response())
}

/// `GET /chains/{id}/rubric`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    let name = checked_chain(&state, &user, &id, &format!("GET /chains/{id}/rubric"), false).await?.chain.name;
    let stored = maps::rubric(state.store.pool(), &id).await?;
    let rubric = stored.as_ref().and_then(|(j, _)| serde_json::from_str(j).ok()).unwrap_or_default();
    render(&state, &user, &id, name, &rubric, stored.map(|s| s.1), None).await
}

/// `POST /chains/{id}/rubric`.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let name = checked_chain(&state, &user, &id, &format!("POST /chains/{id}/rubric"), true).await?.chain.name;
    let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut map = serde_json::Map::new();
    for (field, label, _) in numbers(&Rubric::default()) {
        match get(field).parse::<u32>() {
            Ok(n) if n <= 1000 => {
                map.insert(field.to_string(), serde_json::json!(n));
            }
            _ => {
                let msg = format!("{label}应为0到1000之间的整数");
                return render(&state, &user, &id, name, &Rubric::default(), None, Some(msg)).await;
            }
        }
    }
    let rubric: Rubric =
        serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| AppError::Internal(e.to_string()))?;
    let version = get("version").parse::<i64>().ok();
    match chainchief_app::chains::save_rubric(&state.ctx, &user.caller(), &id, &rubric, version).await {
        Ok(()) => {}
        Err(chainchief_app::Error::Invalid(errors)) => {
            let msg = errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；");
            return render(&state, &user, &id, name, &rubric, version, Some(msg)).await;
        }
        Err(e) => return Err(AppError::from(e).into()),
    }
    Ok(Redirect::to(&format!("/chains/{id}/map?kind=status")).into_response())
}
