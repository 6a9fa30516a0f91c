//! The enterprise's workspace [E5] (我的企业): the enterprise user's home.

use super::pages::{FlashQuery, PageResult, layout};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::factors::RaiseChoices;
use chainchief_app::workspace::{self as uc, Workspace};
use chainchief_domain::reserve::Check;

#[derive(Template, WebTemplate)]
#[template(path = "workspace.html")]
struct WorkspacePage {
    l: Layout,
    w: Workspace,
    choices: RaiseChoices,
}

/// `GET /my`: the workspace of the user's enterprise; others go to the home page.
pub async fn page(State(state): State<AppState>, user: CurrentUser, Query(f): Query<FlashQuery>) -> PageResult {
    let Some(w) = uc::mine(&state.ctx, &user.caller()).await? else {
        return Ok(Redirect::to("/").into_response());
    };
    let title = format!("我的企业 · {}", w.enterprise.short_name);
    let l = layout(&state, &user, &title, "/my").await?.with_flash(f.msg.as_deref());
    let choices = RaiseChoices { own: true, campaigns: w.campaigns.clone(), ..RaiseChoices::default() };
    Ok(WorkspacePage { l, w, choices }.into_response())
}

impl WorkspacePage {
    /// A criterion in words.
    fn words(&self, label: &str, c: &Check) -> String {
        super::reserve::words(label, c)
    }
}
