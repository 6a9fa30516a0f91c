//! Meetings [O3]: topical meetings and on-site office meetings with chair, attendees and minutes;
//! their decisions become action items of units with deadlines, tracked by the 督办 lights. Who
//! records, sees and closes them is decided here.

use crate::{Caller, Context, Error, Result, allow};
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::roles::{Principal, Role};
use chainchief_domain::supervision::{ActionStatus, Light, MeetingKind, light};
use chainchief_domain::text::{optional, required};
use chainchief_store::meetings::{self, Item, Meeting, NewMeeting};
use chainchief_store::org;
use chrono::NaiveDate;

/// Who records meetings: the general office and the chain offices.
pub fn may_record(p: &Principal) -> bool {
    p.has_any(&[Role::GeneralOffice, Role::ChainOffice])
}

/// Who closes an action item: its unit, or the general office.
pub fn may_close(p: &Principal, i: &Item) -> bool {
    p.acts_for_unit(&i.unit_id) || p.has(Role::GeneralOffice)
}

/// An action item with its light.
pub struct ItemRow {
    /// The item.
    pub i: Item,
    /// Its light as of today.
    pub light: Light,
    /// Whether the caller may close it.
    pub can_close: bool,
}

/// The meetings the caller sees with their items: the leaders, offices and chain roles every
/// meeting; a unit the meetings that gave it action items.
pub async fn list(ctx: &Context, c: &Caller<'_>) -> Result<Vec<(Meeting, Vec<ItemRow>)>> {
    let p = c.principal;
    let pool = ctx.store.pool();
    let today = ctx.clock.today();
    let items = meetings::items(pool, &p.city_id).await?;
    let sees_all = p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]);
    Ok(meetings::list(pool, &p.city_id)
        .await?
        .into_iter()
        .map(|m| {
            let rows: Vec<ItemRow> = items
                .iter()
                .filter(|i| i.meeting_id == m.id)
                .map(|i| {
                    let done = i.status == ActionStatus::Done;
                    ItemRow {
                        light: NaiveDate::parse_from_str(&i.deadline, "%Y-%m-%d")
                            .map_or(Light::Green, |d| light(d, done, today)),
                        can_close: !done && may_close(p, i),
                        i: i.clone(),
                    }
                })
                .collect();
            (m, rows)
        })
        .filter(|(_, rows)| sees_all || rows.iter().any(|r| p.acts_for_unit(&r.i.unit_id)))
        .collect())
}

/// A decision of a meeting: what, which unit, by when.
pub struct Decision {
    /// 议定事项.
    pub body: String,
    /// The responsible unit.
    pub unit_id: String,
    /// The deadline, if typed correctly.
    pub deadline: Option<NaiveDate>,
}

/// A meeting as recorded.
pub struct MeetingInput {
    /// Its kind.
    pub kind: MeetingKind,
    /// 会议名称.
    pub title: String,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// 主持人.
    pub chair: String,
    /// 参会人员.
    pub attendees: String,
    /// 会议纪要.
    pub minutes: String,
    /// Its decisions, in order.
    pub decisions: Vec<Decision>,
}

/// Records a meeting already held with its decisions, each for a unit of the city by a deadline
/// not before the meeting; returns its id.
pub async fn record(ctx: &Context, c: &Caller<'_>, m: MeetingInput) -> Result<String> {
    let p = c.principal;
    allow(ctx, c, may_record(p), "POST /meetings").await?;
    if m.held_on > ctx.clock.today() {
        return Err(Error::field("held_on", "只能记录已召开的会议"));
    }
    let title = required("title", "会议名称", &m.title, 100)?;
    let chair = required("chair", "主持人", &m.chair, 50)?;
    let attendees = optional("attendees", "参会人员", &m.attendees, 500)?;
    let minutes = optional("minutes", "会议纪要", &m.minutes, 5000)?;
    let mut items = Vec::new();
    for (n, d) in m.decisions.into_iter().enumerate().map(|(i, d)| (i + 1, d)) {
        let unit_ok = is_valid_id(&d.unit_id) && org::unit(ctx.store.pool(), &p.city_id, &d.unit_id).await.is_ok();
        if !unit_ok {
            return Err(Error::field("unit", format!("第{n}项议定事项须选择责任单位")));
        }
        let deadline =
            d.deadline.ok_or_else(|| Error::field("deadline", format!("第{n}项议定事项的时限应写成YYYY-MM-DD")))?;
        if deadline < m.held_on {
            return Err(Error::field("deadline", format!("第{n}项议定事项的时限不能早于会议日期")));
        }
        items.push((d.body, d.unit_id, deadline.format("%Y-%m-%d").to_string()));
    }
    let held_on = m.held_on.format("%Y-%m-%d").to_string();
    let new = NewMeeting {
        city_id: &p.city_id,
        kind: m.kind,
        title: &title,
        held_on: &held_on,
        chair: &chair,
        attendees: &attendees,
        minutes: &minutes,
        items,
    };
    Ok(meetings::record(&ctx.store, &c.actor, &new).await?)
}

/// Closes an action item with how it was done, read at `version`.
pub async fn close_item(ctx: &Context, c: &Caller<'_>, id: &str, note: &str, version: i64) -> Result<()> {
    if !is_valid_id(id) {
        return Err(Error::NotFound);
    }
    let item = meetings::item(ctx.store.pool(), &c.principal.city_id, id).await?;
    allow(ctx, c, may_close(c.principal, &item), "POST /meetings/items/{id}").await?;
    let note = required("note", "落实情况", note, 1000)?;
    Ok(meetings::complete(&ctx.store, &c.actor, id, &note, version).await?)
}
