//! Meetings [O3]: topical meetings and on-site office meetings with chair, attendees and minutes;
//! their decisions become action items of units with deadlines, tracked by the 督办 lights.

use super::pages::{FlashQuery, PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::meetings::{self as uc, Decision, ItemRow, MeetingInput};
use chainchief_domain::supervision::{ActionStatus, MeetingKind};
use chainchief_store::meetings::Meeting;
use chainchief_store::org;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "org/meetings.html")]
struct MeetingsPage {
    l: Layout,
    meetings: Vec<(Meeting, Vec<ItemRow>)>,
    kinds: &'static [MeetingKind],
    units: Vec<(String, String)>,
    can_record: bool,
    today: String,
}

/// `GET /meetings`: the leaders, offices and chain roles see every meeting; a unit the meetings
/// that gave it action items.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let p = &user.principal;
    let meetings = uc::list(&state.ctx, &user.caller()).await?;
    let units = org::units(state.store.pool(), &p.city_id).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let l = layout(&state, &user, "会议与议定事项", "/meetings").await?.with_flash(f.msg.as_deref());
    let page = MeetingsPage { l, meetings, kinds: MeetingKind::ALL, units, can_record: uc::may_record(p), today };
    Ok(page.into_response())
}

/// `POST /meetings`: a meeting with up to five decisions (`item_n`, `unit_n`, `deadline_n`).
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let day = |k: &str| chrono::NaiveDate::parse_from_str(&get(k), "%Y-%m-%d").ok();
    let decisions = (1..=5)
        .filter(|n| !get(&format!("item_{n}")).is_empty())
        .map(|n| Decision {
            body: get(&format!("item_{n}")),
            unit_id: get(&format!("unit_{n}")),
            deadline: day(&format!("deadline_{n}")),
        })
        .collect();
    let meeting = MeetingInput {
        kind: MeetingKind::from_code(&get("kind")).ok_or_else(|| AppError::field("kind", "请选择会议类型"))?,
        held_on: day("held_on").ok_or_else(|| AppError::field("held_on", "日期应写成YYYY-MM-DD"))?,
        title: get("title"),
        chair: get("chair"),
        attendees: get("attendees"),
        minutes: get("minutes"),
        decisions,
    };
    uc::record(&state.ctx, &user.caller(), meeting).await?;
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
    uc::close_item(&state.ctx, &user.caller(), &id, &f.note, f.version).await?;
    Ok(Redirect::to("/meetings?msg=saved").into_response())
}
