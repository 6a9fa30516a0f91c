//! Entering a month's figures [T2][E5]: an enterprise user for its own enterprise, a chain office
//! for the enterprises on its chain and for its chain's own indicators. One check serves the
//! page and the API: month, unit (never converted), number, sign, magnitude against the history.

use super::pages::{PageError, PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::clock::format_millis;
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::quantity::{format_scaled, parse_scaled};
use chainchief_domain::roles::Role;
use chainchief_store::StoreError;
use chainchief_store::enterprises as ent_store;
use chainchief_store::figures::{self, NewFigure};
use chainchief_store::org::Indicator;
use chainchief_store::rollup;
use serde::Deserialize;

/// Whether the user may enter `ind` for `enterprise_key` (empty for the office's own figure);
/// refuses derived and rolled-up indicators and enterprises not on the indicator's chain.
pub async fn may_enter(
    state: &AppState,
    user: &CurrentUser,
    ind: &Indicator,
    enterprise_key: &str,
) -> Result<(), AppError> {
    if !ind.formula.trim().is_empty() {
        return Err(AppError::field("indicator", format!("“{}”由公式计算得出，不能填报", ind.name)));
    }
    if !ind.rolls_up_from.is_empty() {
        return Err(AppError::field(
            "indicator",
            format!("“{}”由企业指标“{}”汇总而来，请填报企业数据", ind.name, ind.rolls_up_from),
        ));
    }
    let what = format!("enter figure {} {}", ind.code, enterprise_key);
    if ind.scope == chainchief_domain::org::Scope::Enterprise {
        if !is_valid_id(enterprise_key) {
            return Err(AppError::field("enterprise", "企业指标须选择企业"));
        }
        let e = ent_store::get(state.store.pool(), &user.principal.city_id, enterprise_key)
            .await
            .map_err(|_| AppError::field("enterprise", "企业库中没有该企业"))?;
        let chains = ent_store::chains_of(state.store.pool(), &e.id).await?;
        require(state, user, user.principal.can_write_enterprise(&e.id, &chains), &what).await?;
        if let Some(c) = &ind.chain_id
            && !chains.contains(c)
        {
            return Err(AppError::field("enterprise", format!("企业“{}”不在该指标所属的产业链上", e.name)));
        }
        return Ok(());
    }
    if !enterprise_key.is_empty() {
        return Err(AppError::field("enterprise", "该指标不按企业填报，不要选择企业"));
    }
    let allowed = match &ind.chain_id {
        Some(c) => user.principal.can_write_chain(c),
        None => user.principal.has(Role::GeneralOffice),
    };
    require(state, user, allowed, &what).await
}

/// A typed figure.
pub struct Typed<'a> {
    /// Month, already checked.
    pub period: &'a str,
    /// The number as typed.
    pub value: &'a str,
    /// Unit as typed.
    pub unit: &'a str,
    /// The version read, for a correction.
    pub version: Option<i64>,
    /// Confirms a value far out of line.
    pub confirm: bool,
}

/// Checks a typed figure of `ind` for `enterprise_key`; the field errors name `value`/`unit`.
pub async fn check(
    state: &AppState,
    ind: &Indicator,
    enterprise_key: &str,
    t: &Typed<'_>,
) -> Result<NewFigure, FieldError> {
    if t.unit.trim() != ind.unit {
        return Err(FieldError::new(
            "unit",
            format!("单位应为“{}”（本指标的单位）；系统不自动换算，请换算后再填", ind.unit),
        ));
    }
    let value = parse_scaled(t.value).map_err(|e| FieldError::new("value", e.to_string()))?;
    if value < 0 && ind.aggregation == chainchief_domain::org::Aggregation::Sum {
        return Err(FieldError::new("value", "数值不能为负数"));
    }
    let own = rollup::entries_of(state.store.pool(), &ind.id, enterprise_key).await.unwrap_or_default();
    let mut earlier: Vec<i64> =
        own.iter().filter(|e| e.period != t.period && e.value_scaled > 0).map(|e| e.value_scaled).collect();
    if !t.confirm && !earlier.is_empty() && value > 0 {
        earlier.sort_unstable();
        let median = earlier[earlier.len() / 2];
        if value >= median.saturating_mul(1000) || value.saturating_mul(1000) <= median {
            return Err(FieldError::new(
                "value",
                format!(
                    "与以往数据相差上千倍（以往约为{}{}），请核对单位（如吨与万吨）；确认无误请勾选“确认数值无误”后再保存",
                    format_scaled(median),
                    ind.unit
                ),
            ));
        }
    }
    Ok(NewFigure {
        indicator_id: ind.id.clone(),
        enterprise_key: enterprise_key.to_string(),
        period: t.period.to_string(),
        value_scaled: value,
        unit: ind.unit.clone(),
        source: "entered".into(),
        source_file: String::new(),
        version: t.version,
    })
}

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

/// The enterprises the user may enter figures for (id, name).
async fn choices(state: &AppState, user: &CurrentUser) -> Result<Vec<(String, String)>, AppError> {
    let p = &user.principal;
    let pool = state.store.pool();
    let all = ent_store::names(pool, &p.city_id).await?;
    if p.has(Role::GeneralOffice) {
        return Ok(all);
    }
    let own: Vec<&str> =
        p.grants.iter().filter(|g| g.role == Role::Enterprise).filter_map(|g| g.enterprise_id.as_deref()).collect();
    let chains = ent_store::memberships(pool, &p.city_id).await?;
    let none = Vec::new();
    Ok(all
        .into_iter()
        .filter(|(id, _)| own.contains(&id.as_str()) || p.can_write_enterprise(id, chains.get(id).unwrap_or(&none)))
        .collect())
}

/// Whether an indicator is entered by hand for enterprises (`true`) or by an office (`false`).
fn entered_for_enterprises(ind: &Indicator) -> Option<bool> {
    let entered = ind.formula.trim().is_empty() && ind.rolls_up_from.is_empty();
    entered.then_some(ind.scope == chainchief_domain::org::Scope::Enterprise)
}

async fn lines(
    state: &AppState,
    inds: &[&Indicator],
    key: &str,
    period: &str,
    typed: &[(String, String)],
    errors: &[(String, String)],
) -> Result<Vec<Line>, AppError> {
    let shift = |months: u32| {
        chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.checked_sub_months(chrono::Months::new(months)))
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default()
    };
    let (prev, year_ago) = (shift(1), shift(12));
    let mut out = Vec::new();
    for ind in inds {
        let own = rollup::entries_of(state.store.pool(), &ind.id, key).await?;
        let at = |p: &str| own.iter().find(|e| e.period == p);
        let show = |p: &str| at(p).map(|e| format_scaled(e.value_scaled)).unwrap_or_else(|| "—".into());
        let current = at(period);
        let field = format!("v:{}", ind.id);
        out.push(Line {
            id: ind.id.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            typed: typed
                .iter()
                .find(|(k, _)| *k == field)
                .map(|(_, v)| v.clone())
                .or_else(|| current.map(|e| format_scaled(e.value_scaled)))
                .unwrap_or_default(),
            version: current.map(|e| e.version),
            previous: show(&prev),
            last_year: show(&year_ago),
            provenance: current.map(provenance).unwrap_or_else(|| "未填报".into()),
            error: errors.iter().find(|(id, _)| *id == ind.id).map(|(_, m)| m.clone()),
        });
    }
    Ok(out)
}

/// Who entered a figure, when and how, in words.
pub fn provenance(e: &rollup::Entry) -> String {
    let how = match e.source.as_str() {
        "imported" => format!("导入（{}）", e.source_file),
        "demo" => "演示数据".to_string(),
        _ => "页面填报".to_string(),
    };
    format!("{} · {} · {}", e.updated_by, format_millis(e.updated_at), how)
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
    let choices = choices(state, user).await?;
    let enterprise = q
        .enterprise
        .filter(|e| choices.iter().any(|(id, _)| id == e))
        .or_else(|| (choices.len() == 1).then(|| choices[0].0.clone()))
        .unwrap_or_default();
    let (all, _) = chainchief_app::indicators::definitions(state, &p.city_id).await?;
    let mut blocks = Vec::new();
    if !enterprise.is_empty() {
        let chains = ent_store::chains_of(state.store.pool(), &enterprise).await?;
        let inds: Vec<&Indicator> = all
            .iter()
            .filter(|i| entered_for_enterprises(i) == Some(true))
            .filter(|i| i.chain_id.as_ref().is_none_or(|c| chains.contains(c)))
            .collect();
        let name = choices.iter().find(|(id, _)| *id == enterprise).map(|(_, n)| n.clone()).unwrap_or_default();
        let lines = lines(state, &inds, &enterprise, &period, typed, errors).await?;
        blocks.push(Block { title: format!("{name} · 企业数据"), enterprise: enterprise.clone(), lines });
    }
    let office: Vec<&Indicator> = all
        .iter()
        .filter(|i| entered_for_enterprises(i) == Some(false))
        .filter(|i| match &i.chain_id {
            Some(c) => p.can_write_chain(c),
            None => p.has(Role::GeneralOffice),
        })
        .collect();
    if !office.is_empty() {
        let lines = lines(state, &office, "", &period, typed, errors).await?;
        blocks.push(Block { title: "产业链、园区与全市数据".into(), enterprise: String::new(), lines });
    }
    let due = all.iter().map(|i| i.due_day).min().and_then(|d| chainchief_app::reporting::due_date(&period, d));
    let needs_confirm = errors.iter().any(|(_, m)| m.contains("上千倍"));
    let status = if errors.is_empty() && message.is_none() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let l = layout(state, user, "数据填报", "/figures").await?.with_flash(q.msg.as_deref());
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
    let period = chainchief_app::month_to_date(&get("period").unwrap_or_default(), state.clock)?;
    let confirm = get("confirm").is_some();
    let (all, _) = chainchief_app::indicators::definitions(&state, &user.principal.city_id).await?;
    let mut errors = Vec::new();
    let mut figs = Vec::new();
    for (key, value) in form.iter().filter(|(k, v)| k.starts_with("v:") && !v.trim().is_empty()) {
        let id = &key[2..];
        let ind = all.iter().find(|i| i.id == id).ok_or(AppError::NotFound)?;
        let key = if ind.scope == chainchief_domain::org::Scope::Enterprise { enterprise.as_str() } else { "" };
        may_enter(&state, &user, ind, key).await.map_err(PageError)?;
        let version = get(&format!("ver:{id}")).and_then(|v| v.parse().ok());
        let t = Typed { period: &period, value, unit: &ind.unit, version, confirm };
        match check(&state, ind, key, &t).await {
            Ok(f) => figs.push(f),
            Err(e) => errors.push((ind.id.clone(), e.message)),
        }
    }
    if !errors.is_empty() {
        let msg = format!("有 {} 项未通过检查，均未保存，请修改后再保存", errors.len());
        return render(&state, &user, q, &form, &errors, Some(msg)).await;
    }
    if figs.is_empty() {
        return render(&state, &user, q, &form, &[], Some("没有填写任何数值".into())).await;
    }
    match figures::record_all(&state.store, &user.actor(), &figs).await {
        Ok(_) => {
            let to = format!("/figures?period={period}&enterprise={enterprise}&msg=saved");
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Conflict { by, at }) => {
            let msg = format!("数据已被他人修改（{by}，{at}），均未保存；下面显示的是您填写的数值，请刷新核对后再保存");
            let mut resp = render(&state, &user, q, &form, &[], Some(msg)).await?;
            *resp.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(resp)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
