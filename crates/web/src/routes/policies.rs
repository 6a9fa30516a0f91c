//! The policy library [F5]: the list with who qualifies, a policy's page with its applications,
//! and the forms of the general office.

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::policies::{self as uc, Library, Places, PolicyInput, PolicyView};
use chainchief_domain::eligibility::{Condition, Verdict};
use serde::Deserialize;

/// The list's query.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    level: Option<String>,
    tag: Option<String>,
    msg: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/list.html")]
struct ListPage {
    l: Layout,
    lib: Library,
    level: String,
    tag: String,
    can_edit: bool,
    today: String,
    max: usize,
}

/// `GET /policies`: the library, filtered by level or tag.
pub async fn list(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ListQuery>) -> PageResult {
    let mut lib = uc::library(&state.ctx, &user.caller()).await?;
    let level = q.level.unwrap_or_default();
    let tag = q.tag.unwrap_or_default();
    lib.entries.retain(|e| level.is_empty() || e.policy.level.code() == level);
    lib.entries.retain(|e| tag.is_empty() || e.policy.tags.split('、').any(|t| t == tag));
    let l = layout(&state, &user, "惠企政策库", "/policies").await?.with_flash(q.msg.as_deref());
    Ok(ListPage {
        l,
        lib,
        level,
        tag,
        can_edit: uc::may_keep(&user.principal),
        today: state.clock.today().format("%Y-%m-%d").to_string(),
        max: uc::MAX_CONDITIONS,
    }
    .into_response())
}

impl ListPage {
    /// Names for the conditions.
    fn places(&self) -> &Places {
        &self.lib.places
    }

    /// A new policy has no conditions yet.
    fn nth(&self, _n: &usize) -> Option<&Condition> {
        None
    }
}

/// `POST /policies`: adds a policy.
pub async fn create(State(state): State<AppState>, user: CurrentUser, Form(f): Form<PolicyInput>) -> PageResult {
    let id = uc::create(&state.ctx, &user.caller(), &f).await?;
    Ok(Redirect::to(&format!("/policies/{id}?msg=created")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "policies/show.html")]
struct ShowPage {
    l: Layout,
    v: PolicyView,
    today: String,
    max: usize,
}

impl ShowPage {
    /// A condition in words.
    fn words(&self, c: &Condition) -> String {
        self.v.places.words(c)
    }

    /// Names for the conditions.
    fn places(&self) -> &Places {
        &self.v.places
    }

    /// The caller's own verdict on the `i`-th condition.
    fn own_verdict(&self, i: usize) -> Option<Verdict> {
        self.v.own.as_ref().and_then(|(_, v)| v.get(i).copied())
    }

    /// The `n`-th condition (1-based) for the edit form.
    fn nth(&self, n: &usize) -> Option<&Condition> {
        self.v.entry.conditions.get(n - 1)
    }
}

/// `GET /policies/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(f): Query<FlashQuery>,
) -> PageResult {
    let v = uc::get(&state.ctx, &user.caller(), &id).await?;
    let l = layout(&state, &user, &v.entry.policy.title, "/policies")
        .await?
        .with_parents(&[("惠企政策库", "/policies")])
        .with_flash(f.msg.as_deref());
    Ok(ShowPage { l, v, today: state.clock.today().format("%Y-%m-%d").to_string(), max: uc::MAX_CONDITIONS }
        .into_response())
}

/// `POST /policies/{id}`: saves a policy read at `version`.
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Edited<PolicyInput>>,
) -> PageResult {
    uc::update(&state.ctx, &user.caller(), &id, &f.input, f.version()?).await?;
    Ok(Redirect::to(&format!("/policies/{id}?msg=saved")).into_response())
}

/// The application form.
#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    asked: String,
    #[serde(default)]
    note: String,
}

/// `POST /policies/{id}/applications`: the caller's enterprise applies.
pub async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ApplyForm>,
) -> PageResult {
    uc::apply(&state.ctx, &user.caller(), &id, &f.asked, &f.note).await?;
    Ok(Redirect::to(&format!("/policies/{id}?msg=created")).into_response())
}

/// The decision form.
#[derive(Deserialize)]
pub struct DecideForm {
    policy_id: String,
    decision: String,
    #[serde(default)]
    granted: String,
    #[serde(default)]
    reason: String,
    version: String,
}

/// `POST /policies/applications/{id}`: the general office decides an application.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    let approved = match f.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(crate::AppError::field("decision", "请选择兑现或不予通过").into()),
    };
    let version = super::version_of(&f.version)?;
    uc::decide(&state.ctx, &user.caller(), &id, approved, &f.granted, &f.reason, version).await?;
    let back = if chainchief_domain::ids::is_valid_id(&f.policy_id) {
        format!("/policies/{}", f.policy_id)
    } else {
        "/policies".into()
    };
    Ok(Redirect::to(&format!("{back}?msg=saved")).into_response())
}
