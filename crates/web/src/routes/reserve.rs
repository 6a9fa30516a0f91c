//! The reserve library (后备库) [E3]: for a cultivation goal, the local enterprises that do not yet
//! hold it, each with every criterion met, missed by how much, or unknown, closest first; the
//! candidates the offices cultivate, with the one responsible and the follow-up notes.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::reserve::{self as uc, Candidate, MarkView};
use chainchief_domain::reserve::{Check, Standing, Target};
use chainchief_store::cultivation::{Mark, Note};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/reserve.html")]
struct ReservePage {
    l: Layout,
    targets: Vec<(String, String)>,
    goal: Target,
    rows: Vec<Candidate>,
    marked_only: bool,
}

/// Which goal, only the marked candidates, and `format=xlsx` for the export.
#[derive(Deserialize)]
pub struct ReserveQuery {
    target: Option<String>,
    marked: Option<String>,
    format: Option<String>,
    msg: Option<String>,
}

/// A check in words: ✓ the criterion, ✗ what is missing, ？ what is not recorded.
pub(crate) fn words(label: &str, c: &Check) -> String {
    match c {
        Check::Met => format!("✓ {label}"),
        Check::Missed(gap, _) => format!("✗ {gap}"),
        Check::Unknown(what) => format!("？{what}"),
    }
}

/// Whether a check is met (its words then say the criterion itself).
pub(crate) fn met(c: &Check) -> bool {
    *c == Check::Met
}

/// The level of a goal in words.
pub(crate) fn level(goal: &Target) -> &'static str {
    match goal.level.as_str() {
        "national" => "国家级",
        "provincial" => "省级",
        _ => "市级",
    }
}

/// `GET /enterprises/reserve?target=TIER&marked=1`.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ReserveQuery>) -> PageResult {
    let marked_only = q.marked.as_deref() == Some("1");
    let (goal, rows) =
        uc::candidates(&state.ctx, &user.caller(), q.target.as_deref().unwrap_or(""), marked_only).await?;
    if q.format.as_deref() == Some("xlsx") {
        crate::auth::record_taken(&state, &user, chainchief_app::Taken::Export, "reserve", None).await?;
        use chainchief_sheets::{CellOut, SheetOut, write_xlsx};
        let mut headers = vec!["企业".to_string(), "满足条件数".to_string(), "重点培育责任人".to_string()];
        headers.extend(goal.criteria.iter().map(|k| k.label.clone()));
        let data = rows
            .iter()
            .map(|r| {
                let mut cells = vec![
                    CellOut::Text(r.name.clone()),
                    CellOut::Int(r.standing.met as i64),
                    CellOut::Text(r.mark.as_ref().map(|m| m.owner.clone()).unwrap_or_default()),
                ];
                cells.extend(r.standing.checks.iter().map(|(label, c)| CellOut::Text(words(label, c))));
                cells
            })
            .collect();
        let bytes = write_xlsx(&[SheetOut { name: goal.label.clone(), headers, rows: data }])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        return Ok(super::library_io::xlsx(bytes, "reserve.xlsx"));
    }
    let l = layout(&state, &user, "后备库", "/enterprises/reserve")
        .await?
        .with_parents(&[("企业库", "/enterprises")])
        .with_flash(q.msg.as_deref());
    let targets = uc::criteria()?.targets.iter().map(|t| (t.tier.clone(), t.label.clone())).collect();
    Ok(ReservePage { l, targets, goal, rows, marked_only }.into_response())
}

/// A mark as typed.
#[derive(Deserialize)]
pub struct MarkForm {
    enterprise_id: String,
    tier: String,
    owner: String,
    #[serde(default)]
    next_step: String,
}

/// `POST /enterprises/reserve/marks`: an office marks a candidate it is cultivating.
pub async fn mark(State(state): State<AppState>, user: CurrentUser, Form(f): Form<MarkForm>) -> PageResult {
    let id = uc::mark(&state.ctx, &user.caller(), &f.enterprise_id, &f.tier, &f.owner, &f.next_step).await?;
    Ok(Redirect::to(&format!("/enterprises/reserve/marks/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "enterprises/mark.html")]
struct MarkPage {
    l: Layout,
    mark: Mark,
    goal: Target,
    standing: Option<Standing>,
    notes: Vec<Note>,
    history: Vec<(i64, String, String)>,
    can_edit: bool,
    today: String,
}

/// `GET /enterprises/reserve/marks/{id}`.
pub async fn mark_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let MarkView { mark, goal, standing, notes, history, can_edit } =
        uc::mark_view(&state.ctx, &user.caller(), &id).await?;
    let back = format!("/enterprises/reserve?target={}", goal.tier);
    let l = layout(&state, &user, &format!("{}：{}", mark.enterprise_name, goal.label), "/enterprises/reserve")
        .await?
        .with_parents(&[("企业库", "/enterprises"), ("后备库", &back)])
        .with_flash(f.msg.as_deref());
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    Ok(MarkPage { l, mark, goal, standing, notes, history, can_edit, today }.into_response())
}

/// The mark's owner and next step, with the version read.
#[derive(Deserialize)]
pub struct MarkEdit {
    owner: String,
    #[serde(default)]
    next_step: String,
    version: i64,
}

/// `POST /enterprises/reserve/marks/{id}`.
pub async fn edit_mark(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<MarkEdit>,
) -> PageResult {
    uc::update_mark(&state.ctx, &user.caller(), &id, &f.owner, &f.next_step, f.version).await?;
    Ok(Redirect::to(&format!("/enterprises/reserve/marks/{id}?msg=saved")).into_response())
}

/// A follow-up note.
#[derive(Deserialize)]
pub struct NoteForm {
    noted_on: String,
    body: String,
}

/// `POST /enterprises/reserve/marks/{id}/notes`.
pub async fn add_note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> PageResult {
    uc::add_note(&state.ctx, &user.caller(), &id, &f.noted_on, &f.body).await?;
    Ok(Redirect::to(&format!("/enterprises/reserve/marks/{id}?msg=saved")).into_response())
}
