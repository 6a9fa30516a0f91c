//! Meetings [O3]: topical meetings and on-site office meetings with chair, attendees and minutes;
//! their decisions become action items of units with deadlines, tracked by the 督办 lights.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::{Light, light};
use chainchief_domain::text::{optional, required};
use chainchief_store::meetings::{self, Item, Meeting, NewMeeting};
use chainchief_store::org;
use serde::Deserialize;

/// Meeting kinds: (code, label).
pub const KINDS: [(&str, &str); 2] = [("topical", "专题会议"), ("onsite", "现场办公会")];

/// The label of a kind.
pub fn kind_label(code: &str) -> &'static str {
    KINDS.iter().find(|(c, _)| *c == code).map_or("会议", |(_, l)| l)
}

fn may_record(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice])
}

/// An action item with its light.
pub struct ItemRow {
    /// The item.
    pub i: Item,
    /// Its light.
    pub light: Light,
    /// Whether the viewer may close it.
    pub can_close: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/meetings.html")]
struct MeetingsPage {
    l: Layout,
    meetings: Vec<(Meeting, Vec<ItemRow>)>,
    units: Vec<(String, String)>,
    can_record: bool,
    today: String,
}

/// `GET /meetings`: the leaders, offices and chain roles see every meeting; a unit the meetings
/// that gave it action items.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let pool = state.store.pool();
    let today = state.clock.today();
    let items = meetings::items(pool, &p.city_id).await?;
    let sees_all = p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]);
    let meetings = meetings::list(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|m| {
            let rows: Vec<ItemRow> = items
                .iter()
                .filter(|i| i.meeting_id == m.id)
                .map(|i| ItemRow {
                    light: chrono::NaiveDate::parse_from_str(&i.deadline, "%Y-%m-%d")
                        .map_or(Light::Green, |d| light(d, i.status == "done", today)),
                    can_close: i.status != "done" && (p.acts_for_unit(&i.unit_id) || p.has(Role::GeneralOffice)),
                    i: i.clone(),
                })
                .collect();
            (m, rows)
        })
        .filter(|(_, rows)| sees_all || rows.iter().any(|r| p.acts_for_unit(&r.i.unit_id)))
        .collect();
    let units = org::units(pool, &p.city_id).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let l = layout(&state, &user, "会议与议定事项", "/meetings").await?.with_flash(f.msg.as_deref());
    let page =
        MeetingsPage { l, meetings, units, can_record: may_record(p), today: today.format("%Y-%m-%d").to_string() };
    Ok(page.into_response())
}

/// `POST /meetings`: a meeting with up to five decisions (`item_n`, `unit_n`, `deadline_n`).
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let p = &user.principal;
    require(&state, &user, may_record(p), "POST /meetings").await?;
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let invalid = |e| AppError::Invalid(vec![e]);
    let kind = get("kind");
    if !KINDS.iter().any(|(c, _)| *c == kind) {
        return Err(AppError::field("kind", "请选择会议类型").into());
    }
    let today = state.clock.today();
    let held = chrono::NaiveDate::parse_from_str(&get("held_on"), "%Y-%m-%d")
        .map_err(|_| AppError::field("held_on", "日期应写成YYYY-MM-DD"))?;
    if held > today {
        return Err(AppError::field("held_on", "只能记录已召开的会议").into());
    }
    let title = required("title", "会议名称", &get("title"), 100).map_err(invalid)?;
    let chair = required("chair", "主持人", &get("chair"), 50).map_err(invalid)?;
    let attendees = optional("attendees", "参会人员", &get("attendees"), 500).map_err(invalid)?;
    let minutes = optional("minutes", "会议纪要", &get("minutes"), 5000).map_err(invalid)?;
    let units: Vec<String> = org::units(state.store.pool(), &p.city_id).await?.into_iter().map(|u| u.id).collect();
    let mut items = Vec::new();
    for n in 1..=5 {
        let body = get(&format!("item_{n}"));
        if body.is_empty() {
            continue;
        }
        let unit = get(&format!("unit_{n}"));
        if !units.contains(&unit) {
            return Err(AppError::field("unit", format!("第{n}项议定事项须选择责任单位")).into());
        }
        let deadline = chrono::NaiveDate::parse_from_str(&get(&format!("deadline_{n}")), "%Y-%m-%d")
            .map_err(|_| AppError::field("deadline", format!("第{n}项议定事项的时限应写成YYYY-MM-DD")))?;
        if deadline < held {
            return Err(AppError::field("deadline", format!("第{n}项议定事项的时限不能早于会议日期")).into());
        }
        items.push((body, unit, deadline.format("%Y-%m-%d").to_string()));
    }
    let held_on = held.format("%Y-%m-%d").to_string();
    let m = NewMeeting {
        city_id: &p.city_id,
        kind: &kind,
        title: &title,
        held_on: &held_on,
        chair: &chair,
        attendees: &attendees,
        minutes: &minutes,
        items,
    };
    meetings::record(&state.store, &user.actor(), &m).await?;
    Ok(Redirect::to("/meetings?msg=created").into_response())
}

/// Closing an item.
#[derive(Deserialize)]
pub struct DoneForm {
    note: String,
    version: i64,
}

/// `POST /meetings/items/{id}`: the responsible unit (or the general office) closes an action item.
pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DoneForm>,
) -> PageResult {
    let p = &user.principal;
    if !is_valid_id(&id) {
        return Err(AppError::NotFound.into());
    }
    let item = meetings::item(state.store.pool(), &p.city_id, &id).await?;
    require(&state, &user, p.acts_for_unit(&item.unit_id) || p.has(Role::GeneralOffice), "POST /meetings/items/{id}")
        .await?;
    let note = required("note", "落实情况", &f.note, 1000).map_err(|e| AppError::Invalid(vec![e]))?;
    meetings::complete(&state.store, &user.actor(), &id, &note, f.version).await?;
    Ok(Redirect::to("/meetings?msg=saved").into_response())
}
