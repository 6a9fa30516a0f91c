//! Projects [I3][P1]: opened from a target, moved 线索 → 洽谈 → 签约 → 供地/审批 → 在建 → 投产
//! by the stage rules (no skipped data, dates in order, none in the future), every move kept.

use super::pages::{FlashQuery, PageResult, layout, when};
use super::targets::may_read;
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::project::{Facts, Kind, Method, Stage, check_move};
use chainchief_domain::quantity::{format_scaled, parse_scaled};
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::text::required;
use chainchief_store::investment;
use chainchief_store::projects::{self, Move, NewProject, Project, StageMove};
use chrono::NaiveDate;
use serde::Deserialize;

/// An amount in 万元 for pages.
pub fn wan(v: &Option<i64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{}万元", format_scaled(v)))
}

/// Who may change a project: the general office, its chain's office, its lead unit.
pub fn may_change(p: &Principal, project: &Project) -> bool {
    p.has(Role::GeneralOffice)
        || p.can_write_chain(&project.chain_id)
        || project.lead_unit_id.as_deref().is_some_and(|u| p.acts_for_unit(u))
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/projects.html")]
struct ProjectsPage {
    l: Layout,
    rows: Vec<Project>,
}

/// `GET /projects`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let p = &user.principal;
    require(&state, &user, may_read(p), "GET /projects").await?;
    let rows = projects::list(state.store.pool(), &p.city_id).await?;
    Ok(ProjectsPage { l: layout(&state, &user, "项目", "/projects").await?, rows }.into_response())
}

/// A new project from a target.
#[derive(Deserialize)]
pub struct NewForm {
    target_id: String,
    name: String,
    node_id: String,
    #[serde(default)]
    planned: String,
}

/// `POST /projects`: opens a project at 线索 for a target's node.
pub async fn create(State(state): State<AppState>, user: CurrentUser, Form(f): Form<NewForm>) -> PageResult {
    let p = &user.principal;
    if !is_valid_id(&f.target_id) || !is_valid_id(&f.node_id) {
        return Err(AppError::field("node_id", "请选择目标企业和环节").into());
    }
    let pool = state.store.pool();
    let target = investment::target(pool, &p.city_id, &f.target_id).await?;
    let chain_id = investment::node_chain(pool, &p.city_id, &f.node_id)
        .await
        .map_err(|_| AppError::field("node_id", "没有这个环节"))?;
    let allowed = p.has_any(&[Role::GeneralOffice, Role::ResponsibleUnit]) || p.can_write_chain(&chain_id);
    require(&state, &user, allowed, "POST /projects").await?;
    let name = required("name", "项目名称", &f.name, 100).map_err(|e| AppError::Invalid(vec![e]))?;
    let planned = match f.planned.trim() {
        "" => None,
        t => Some(parse_scaled(t).map_err(|e| AppError::field("planned", e.to_string()))?),
    };
    let city = chainchief_store::org::city(pool, &p.city_id).await?;
    let new = NewProject {
        city_id: p.city_id.clone(),
        company_name: format!("{}（{}）", target.name.split('（').next().unwrap_or(&target.name), city.name),
        name,
        target_id: Some(target.id),
        chain_id,
        node_id: Some(f.node_id),
        park_id: None,
        lead_unit_id: target.owner_unit_id,
        kind: Kind::NewSigned.code().into(),
        method: Method::ViaBusiness.code().into(),
        major: planned.is_some_and(|v| v >= 100_000 * 10_000),
        planned_wan: planned,
    };
    let id = projects::create(&state.store, &user.actor(), &new).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/project.html")]
struct ProjectPage {
    l: Layout,
    p: Project,
    history: Vec<StageMove>,
    stages: Vec<(&'static str, &'static str)>,
    can_write: bool,
    errors: Vec<FieldError>,
    form: Vec<(String, String)>,
    months: Vec<(String, String, String, String, String, &'static str)>,
    milestones: Vec<chainchief_store::tracking::Milestone>,
    today: chrono::NaiveDate,
    rule: String,
    files: Vec<chainchief_store::safety::Attachment>,
    kinds: Vec<(&'static str, &'static str)>,
    methods: Vec<(&'static str, &'static str)>,
    parks: Vec<(String, String)>,
    units: Vec<(String, String)>,
}

impl ProjectPage {
    /// The stage the form proposes: the one typed, else the next one.
    fn target(&self) -> String {
        let typed = self.typed("to", &None);
        if !typed.is_empty() {
            return typed;
        }
        let now = self.p.stage;
        now.next().unwrap_or(now).code().to_string()
    }

    /// Whether a stage is behind the current one.
    fn passed(&self, code: &str) -> bool {
        let now = self.p.stage.index();
        Stage::from_code(code).is_some_and(|s| s.index() < now)
    }

    fn typed(&self, key: &str, stored: &Option<String>) -> String {
        self.form.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).or_else(|| stored.clone()).unwrap_or_default()
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    msg: Option<&str>,
    errors: Vec<FieldError>,
    form: Vec<(String, String)>,
) -> PageResult {
    let pr = &user.principal;
    require(state, user, may_read(pr), "GET /projects/{id}").await?;
    if !is_valid_id(id) {
        return Err(AppError::NotFound.into());
    }
    let p = projects::get(state.store.pool(), &pr.city_id, id).await?;
    let history = projects::history(state.store.pool(), id).await?;
    let (_, rule) = chainchief_app::board::rules()?;
    let mut cum = (0, 0);
    let months = chainchief_store::tracking::months(state.store.pool(), &pr.city_id, "9999-12")
        .await?
        .into_iter()
        .filter(|m| m.project_id == id)
        .map(|m| {
            cum = (cum.0 + m.planned_wan.unwrap_or(0), cum.1 + m.actual_wan.unwrap_or(0));
            let status = chainchief_domain::project::progress_status(cum.0, cum.1, rule).label();
            (m.period, wan(&m.planned_wan), wan(&m.actual_wan), format_scaled(cum.0), format_scaled(cum.1), status)
        })
        .collect();
    let milestones = chainchief_store::tracking::milestones(state.store.pool(), &pr.city_id)
        .await?
        .into_iter()
        .filter(|m| m.project_id == id)
        .collect();
    let l = layout(state, user, &p.name, "/projects").await?.with_parents(&[("项目", "/projects")]).with_flash(msg);
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = ProjectPage {
        l,
        can_write: may_change(pr, &p),
        p,
        history,
        stages: Stage::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        errors,
        form,
        months,
        milestones,
        today: state.clock.today(),
        rule: chainchief_domain::project::rule_text(rule),
        files: chainchief_store::safety::attachments(state.store.pool(), &pr.city_id, "project", id).await?,
        kinds: Kind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        methods: Method::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        parks: chainchief_store::org::parks(state.store.pool(), &pr.city_id)
            .await?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect(),
        units: chainchief_store::org::units(state.store.pool(), &pr.city_id)
            .await?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect(),
    };
    Ok((status, page).into_response())
}

/// `GET /projects/{id}`.
pub async fn show_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    render(&state, &user, &id, f.msg.as_deref(), vec![], vec![]).await
}

/// A date of the form, or the stored one when the form does not carry the field.
fn date(
    form: &[(String, String)],
    key: &'static str,
    label: &str,
    stored: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let v = form.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).or(stored.as_deref()).unwrap_or("");
    if v.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d");
    if d.is_err() {
        errors.push(FieldError::new(key, format!("{label}应写成YYYY-MM-DD")));
    }
    d.ok()
}

/// An amount of the form, or the stored one when the form does not carry the field.
fn amount(
    form: &[(String, String)],
    key: &'static str,
    label: &str,
    stored: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let Some(v) = form.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()) else { return stored };
    if v.is_empty() {
        return None;
    }
    match parse_scaled(v) {
        Ok(x) if x >= 0 => Some(x),
        _ => {
            errors.push(FieldError::new(key, format!("{label}应为不带单位的数字（万元）")));
            None
        }
    }
}

/// `POST /projects/{id}/stage`: moves the project with the facts the new stage needs.
pub async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let pr = &user.principal;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let p = projects::get(state.store.pool(), &pr.city_id, &id).await?;
    require(&state, &user, may_change(pr, &p), "POST /projects/{id}/stage").await?;
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let to = Stage::from_code(&get("to"));
    let facts = Facts {
        planned_wan: amount(&form, "planned", "计划投资", p.planned_wan, &mut errors),
        signed_wan: amount(&form, "signed", "签约金额", p.signed_wan, &mut errors),
        signed_on: date(&form, "signed_on", "签约日期", &p.signed_on, &mut errors),
        land_or_approval_on: date(&form, "approval_on", "供地/审批日期", &p.approval_on, &mut errors),
        started_on: date(&form, "started_on", "开工日期", &p.started_on, &mut errors),
        producing_on: date(&form, "producing_on", "投产日期", &p.producing_on, &mut errors),
        node_id: p.node_id.clone(),
    };
    let from = p.stage;
    match to {
        None => errors.push(FieldError::new("to", "请选择目标阶段")),
        Some(to) if errors.is_empty() => {
            if let Err(mut e) = check_move(from, to, &facts, state.clock.today()) {
                errors.append(&mut e);
            }
            if to.index() < from.index() && get("reason").is_empty() {
                errors.push(FieldError::new("reason", "退回上一阶段须写明原因"));
            }
        }
        Some(_) => {}
    }
    if !errors.is_empty() {
        return render(&state, &user, &id, None, errors, form).await;
    }
    let fmt = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let m = Move {
        from: p.stage.code().to_string(),
        to: to.map(|s| s.code().to_string()).unwrap_or_default(),
        reason: get("reason"),
        facts: projects::Facts {
            planned_wan: facts.planned_wan,
            signed_wan: facts.signed_wan,
            signed_on: fmt(facts.signed_on),
            approval_on: fmt(facts.land_or_approval_on),
            started_on: fmt(facts.started_on),
            producing_on: fmt(facts.producing_on),
        },
        version: get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?,
    };
    projects::move_stage(&state.store, &user.actor(), &pr.city_id, &id, &m).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}

/// A stage move in words.
pub fn move_text(m: &StageMove) -> String {
    let reason = if m.reason.is_empty() { String::new() } else { format!("（{}）", m.reason) };
    format!("{} {} 由“{}”到“{}”{reason}", when(&m.moved_at), m.moved_by, m.from_stage.label(), m.to_stage.label())
}

/// A stored amount as typed in a form (no unit).
pub fn plain(v: &Option<i64>) -> Option<String> {
    v.map(format_scaled)
}

/// `POST /projects/{id}/edit`: name, company, kind, method, park, lead unit, major flag.
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let pr = &user.principal;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let p = projects::get(state.store.pool(), &pr.city_id, &id).await?;
    require(&state, &user, may_change(pr, &p), "POST /projects/{id}/edit").await?;
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let invalid = |e| AppError::Invalid(vec![e]);
    let kind = Kind::from_code(&get("kind")).ok_or_else(|| AppError::field("kind", "请选择项目类型"))?;
    let method = Method::from_code(&get("method")).ok_or_else(|| AppError::field("method", "请选择招商方式"))?;
    let pool = state.store.pool();
    let pick = |v: String, known: Vec<String>, field: &'static str| -> Result<Option<String>, AppError> {
        if v.is_empty() {
            Ok(None)
        } else if known.contains(&v) {
            Ok(Some(v))
        } else {
            Err(AppError::field(field, "选项无效"))
        }
    };
    let parks = chainchief_store::org::parks(pool, &pr.city_id).await?.into_iter().map(|x| x.id).collect();
    let units = chainchief_store::org::units(pool, &pr.city_id).await?.into_iter().map(|x| x.id).collect();
    let props = projects::Props {
        name: required("name", "项目名称", &get("name"), 100).map_err(invalid)?,
        company_name: required("company_name", "项目公司", &get("company_name"), 100).map_err(invalid)?,
        kind: kind.code().into(),
        method: method.code().into(),
        park_id: pick(get("park_id"), parks, "park_id")?,
        lead_unit_id: pick(get("lead_unit_id"), units, "lead_unit_id")?,
        major: !get("major").is_empty(),
    };
    let version = get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?;
    projects::update_props(&state.store, &user.actor(), &pr.city_id, &id, &props, version).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}
