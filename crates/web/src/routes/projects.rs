//! Projects [I3][P1]: opened from a target, moved 线索 → 洽谈 → 签约 → 供地/审批 → 在建 → 投产
//! by the stage rules (no skipped data, dates in order, none in the future), every move kept.

use super::pages::{FlashQuery, PageResult, layout, when};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::projects::{self as uc, Detail, Given, MonthLine, Opening, StageChange};
use chainchief_domain::error::FieldError;
use chainchief_domain::money::{self, Money, MoneyUnit};
use chainchief_domain::project::{Kind, Method, Stage};
use chainchief_domain::text::required;
use chainchief_store::projects::{self, Project, StageMove};
use chrono::NaiveDate;
use serde::Deserialize;

/// An amount in 万元 for pages, with its unit.
pub fn wan(v: &Option<Money>) -> String {
    money::shown(*v, MoneyUnit::Wan)
}

#[derive(Template, WebTemplate)]
#[template(path = "investment/projects.html")]
struct ProjectsPage {
    l: Layout,
    rows: Vec<Project>,
}

/// `GET /projects`.
pub async fn list_page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let rows = uc::list(&state.ctx, &user.caller()).await?;
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
    let opening = Opening {
        name: required("name", "项目名称", &f.name, 100)?,
        planned: money::optional_field("planned", "计划投资", &f.planned, MoneyUnit::Wan)?,
        target_id: f.target_id,
        node_id: f.node_id,
    };
    let id = uc::open(&state.ctx, &user.caller(), opening).await?;
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
    months: Vec<MonthLine>,
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
    let Detail { project: p, history, months, milestones, files, can_change } =
        uc::detail(&state.ctx, &user.caller(), id).await?;
    let (_, rule) = chainchief_app::board::rules()?;
    let city = &user.principal.city_id;
    let l = layout(state, user, &p.name, "/projects").await?.with_parents(&[("项目", "/projects")]).with_flash(msg);
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = ProjectPage {
        l,
        can_write: can_change,
        p,
        history,
        stages: Stage::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        errors,
        form,
        months,
        milestones,
        today: state.clock.today(),
        rule: chainchief_domain::project::rule_text(rule),
        files,
        kinds: Kind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        methods: Method::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        parks: chainchief_store::org::parks(state.store.pool(), city)
            .await?
            .into_iter()
            .map(|x| (x.id, x.name))
            .collect(),
        units: chainchief_store::org::units(state.store.pool(), city)
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

/// A date of the form: `None` when the form does not carry the field, `Some(None)` when it is empty.
fn date(form: &[(String, String)], key: &'static str, label: &str, errors: &mut Vec<FieldError>) -> Given<NaiveDate> {
    let v = form.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim())?;
    if v.is_empty() {
        return Some(None);
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Some(Some(d)),
        Err(_) => {
            errors.push(FieldError::new(key, format!("{label}应写成YYYY-MM-DD")));
            None
        }
    }
}

/// An amount of the form in 万元: `None` when the form does not carry the field, `Some(None)` when empty.
fn amount(form: &[(String, String)], key: &'static str, label: &str, errors: &mut Vec<FieldError>) -> Given<Money> {
    let v = form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())?;
    money::optional_field(key, label, v, MoneyUnit::Wan).map_err(|e| errors.push(e)).ok()
}

/// `POST /projects/{id}/stage`: moves the project with the facts the new stage needs.
pub async fn move_stage(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let to = Stage::from_code(&get("to"));
    if to.is_none() {
        errors.push(FieldError::new("to", "请选择目标阶段"));
    }
    let change = StageChange {
        to: to.unwrap_or(Stage::Lead),
        reason: get("reason"),
        planned: amount(&form, "planned", "计划投资", &mut errors),
        signed_amount: amount(&form, "signed", "签约金额", &mut errors),
        signed_on: date(&form, "signed_on", "签约日期", &mut errors),
        approval_on: date(&form, "approval_on", "供地/审批日期", &mut errors),
        started_on: date(&form, "started_on", "开工日期", &mut errors),
        producing_on: date(&form, "producing_on", "投产日期", &mut errors),
        version: get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?,
    };
    if errors.is_empty() {
        match uc::move_stage(&state.ctx, &user.caller(), &id, change).await {
            Ok(()) => return Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response()),
            Err(chainchief_app::Error::Invalid(fields)) => errors = fields,
            Err(e) => return Err(AppError::from(e).into()),
        }
    }
    render(&state, &user, &id, None, errors, form).await
}

/// A stage move in words.
pub fn move_text(m: &StageMove, l: &crate::layout::Layout) -> String {
    let reason = if m.reason.is_empty() { String::new() } else { format!("（{}）", m.reason) };
    format!(
        "{} {} 由“{}”到“{}”{reason}",
        when(&m.moved_at),
        l.who(&m.moved_by),
        m.from_stage.label(),
        m.to_stage.label()
    )
}

/// A stored amount as typed in a form in 万元 (no unit).
pub fn plain(v: &Option<Money>) -> Option<String> {
    v.map(|m| m.format_exact_in(MoneyUnit::Wan))
}

/// `POST /projects/{id}/edit`: name, company, kind, method, park, lead unit, major flag.
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let some = |v: String| (!v.is_empty()).then_some(v);
    let props = projects::Props {
        name: required("name", "项目名称", &get("name"), 100)?,
        company_name: required("company_name", "项目公司", &get("company_name"), 100)?,
        kind: get("kind"),
        method: get("method"),
        park_id: some(get("park_id")),
        lead_unit_id: some(get("lead_unit_id")),
        major: !get("major").is_empty(),
    };
    let version = get("version").parse().map_err(|_| AppError::field("version", "缺少版本号"))?;
    uc::edit(&state.ctx, &user.caller(), &id, props, version).await?;
    Ok(Redirect::to(&format!("/projects/{id}?msg=saved")).into_response())
}
