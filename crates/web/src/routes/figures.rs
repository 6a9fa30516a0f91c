//! Entering a month's figures [T2][E5]: an enterprise user for its own enterprise, a chain office
//! for the enterprises on its chain and for its chain's own indicators. One check serves the
//! page and the API: month, unit (never converted), number, sign, magnitude against the history.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::accounts::People;
use chainchief_app::figures::{self as uc, Saved, TypedLine};
use chainchief_domain::clock::format_millis;
use chainchief_domain::quantity::format_scaled;
use chainchief_domain::roles::Role;
use chainchief_store::enterprises as ent_store;
use chainchief_store::org::Indicator;
use chainchief_store::rollup;
use serde::Deserialize;

/// One line of the entry form.
struct Line {
    id: String,
    name: String,
    unit: String,
    typed: String,
    version: Option<i64>,
    previous: String,
    last_year: String,
    provenance: String,
    error: Option<String>,
}

/// A group of lines saved together.
struct Block {
    title: String,
    enterprise: String,
    lines: Vec<Line>,
}

#[derive(Template, WebTemplate)]
#[template(path = "figures/entry.html")]
struct EntryPage {
    l: Layout,
    period: String,
    due: String,
    enterprise: String,
    choices: Vec<(String, String)>,
    blocks: Vec<Block>,
    message: Option<String>,
    needs_confirm: bool,
    is_office: bool,
}

/// Month and enterprise chosen.
#[derive(Deserialize)]
pub struct EntryQuery {
    period: Option<String>,
    enterprise: Option<String>,
    msg: Option<String>,
}

async fn lines(
    state: &AppState,
    inds: &[&Indicator],
    key: &str,
    period: &str,
    typed: &[(String, String)],
    errors: &[(String, String)],
    people: &People,
) -> Result<Vec<Line>, AppError> {
    let known = uc::known(&state.ctx, inds, key, period).await?;
    let show = |v: Option<i64>| v.map(format_scaled).unwrap_or_else(|| "—".into());
    Ok(inds
        .iter()
        .zip(known)
        .map(|(ind, k)| {
            let field = format!("v:{}", ind.id);
            Line {
                id: ind.id.clone(),
                name: ind.name.clone(),
                unit: ind.unit.clone(),
                typed: typed
                    .iter()
                    .find(|(k, _)| *k == field)
                    .map(|(_, v)| v.clone())
                    .or_else(|| k.current.as_ref().map(|e| format_scaled(e.value_scaled)))
                    .unwrap_or_default(),
                version: k.current.as_ref().map(|e| e.version),
                previous: show(k.previous),
                last_year: show(k.last_year),
                provenance: k.current.as_ref().map(|e| provenance(e, people)).unwrap_or_else(|| "未填报".into()),
                error: errors.iter().find(|(id, _)| *id == ind.id).map(|(_, m)| m.clone()),
            }
        })
        .collect())
}

/// Who entered a figure (by name and unit), when and how, in words.
pub fn provenance(e: &rollup::Entry, people: &People) -> String {
    let how = match e.source.as_str() {
        "imported" => format!("导入（{}）", e.source_file),
        "demo" => "演示数据".to_string(),
        _ => "页面填报".to_string(),
    };
    format!("{} · {} · {}", people.who(&e.updated_by), format_millis(e.updated_at), how)
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    q: EntryQuery,
    typed: &[(String, String)],
    errors: &[(String, String)],
    message: Option<String>,
) -> PageResult {
    let p = &user.principal;
    let period = match q.period.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => chainchief_app::month_to_date(s, state.clock)?,
        None => state.clock.last_month().to_string(),
    };
    let choices = uc::choices(state, p).await?;
    let enterprise = q
        .enterprise
        .filter(|e| choices.iter().any(|(id, _)| id == e))
        .or_else(|| (choices.len() == 1).then(|| choices[0].0.clone()))
        .unwrap_or_default();
    let (all, _) = chainchief_app::indicators::definitions(state, &p.city_id).await?;
    let l = layout(state, user, "数据填报", "/figures").await?.with_flash(q.msg.as_deref());
    let mut blocks = Vec::new();
    if !enterprise.is_empty() {
        let chains = ent_store::chains_of(state.store.pool(), &enterprise).await?;
        let inds: Vec<&Indicator> = all
            .iter()
            .filter(|i| uc::entered_for_enterprises(i) == Some(true))
            .filter(|i| i.chain_id.as_ref().is_none_or(|c| chains.contains(c)))
            .collect();
        let name = choices.iter().find(|(id, _)| *id == enterprise).map(|(_, n)| n.clone()).unwrap_or_default();
        let lines = lines(state, &inds, &enterprise, &period, typed, errors, &l.people).await?;
        blocks.push(Block { title: format!("{name} · 企业数据"), enterprise: enterprise.clone(), lines });
    }
    let office: Vec<&Indicator> = all
        .iter()
        .filter(|i| uc::entered_for_enterprises(i) == Some(false))
        .filter(|i| uc::may_enter_office_figure(p, i))
        .collect();
    if !office.is_empty() {
        let lines = lines(state, &office, "", &period, typed, errors, &l.people).await?;
        blocks.push(Block { title: "产业链、园区与全市数据".into(), enterprise: String::new(), lines });
    }
    let due = all.iter().map(|i| i.due_day).min().and_then(|d| chainchief_app::reporting::due_date(&period, d));
    let needs_confirm = errors.iter().any(|(_, m)| m.contains("上千倍"));
    let status = if errors.is_empty() && message.is_none() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EntryPage {
        l,
        due: due.map(|d| d.format("%Y年%m月%d日").to_string()).unwrap_or_default(),
        period,
        enterprise,
        choices,
        blocks,
        message,
        needs_confirm,
        is_office: p.has_any(&[Role::GeneralOffice, Role::ChainOffice]),
    };
    Ok((status, page).into_response())
}

/// `GET /figures?period=YYYY-MM&enterprise=ID`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<EntryQuery>) -> PageResult {
    render(&state, &user, q, &[], &[], None).await
}

/// `POST /figures`: every filled line of one block, saved together or not at all.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string());
    let enterprise = get("enterprise").unwrap_or_default();
    let q = EntryQuery { period: get("period"), enterprise: Some(enterprise.clone()), msg: None };
    let period = get("period").unwrap_or_default();
    let typed: Vec<TypedLine> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("v:").map(|id| (id, v)))
        .map(|(id, v)| TypedLine {
            indicator_id: id.to_string(),
            value: v.clone(),
            version: get(&format!("ver:{id}")).and_then(|v| v.parse().ok()),
        })
        .collect();
    let confirm = get("confirm").is_some();
    match uc::record_block(&state.ctx, &user.caller(), &period, &enterprise, &typed, confirm).await? {
        Saved::All => {
            let to = format!("/figures?period={period}&enterprise={enterprise}&msg=saved");
            Ok(Redirect::to(&to).into_response())
        }
        Saved::Refused(errors) => {
            let msg = format!("有 {} 项未通过检查，均未保存，请修改后再保存", errors.len());
            render(&state, &user, q, &form, &errors, Some(msg)).await
        }
        Saved::Nothing => render(&state, &user, q, &form, &[], Some("没有填写任何数值".into())).await,
        Saved::Conflict(who) => {
            let msg = format!("数据已被他人修改（{who}），均未保存；下面显示的是您填写的数值，请刷新核对后再保存");
            let mut resp = render(&state, &user, q, &form, &[], Some(msg)).await?;
            *resp.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(resp)
        }
    }
}
