//! 消息推送: the reminders pushed to the webhook or mailed, delivered or failing with their last
//! error, for the general office [X2].

use super::pages::{PageResult, layout, when};
use crate::AppState;
use crate::auth::{CurrentUser, require};
use crate::layout::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::IntoResponse;
use chainchief_domain::roles::Role;
use chainchief_store::notifications::{self, Notification};

#[derive(Template, WebTemplate)]
#[template(path = "org/pushes.html")]
struct PushesPage {
    l: Layout,
    rows: Vec<Notification>,
    configured: bool,
}

/// A reminder's delivery in words.
pub fn status(n: &Notification) -> String {
    match n.delivered_at {
        Some(at) if n.attempts > 1 => {
            format!("已推送（{}，第{}次；此前失败：{}）", when(&at), n.attempts, n.last_error)
        }
        Some(at) => format!("已推送（{}）", when(&at)),
        None if n.attempts >= notifications::MAX_ATTEMPTS => format!("推送失败，已放弃：{}", n.last_error),
        None if n.attempts > 0 => {
            format!("第{}次推送失败：{}；{} 重试", n.attempts, n.last_error, when(&n.next_attempt_at))
        }
        None => "待推送".into(),
    }
}

/// `GET /pushes`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    require(&state, &user, user.principal.has(Role::GeneralOffice), "GET /pushes").await?;
    let rows = notifications::recent(state.store.pool(), &user.principal.city_id).await?;
    let l = layout(&state, &user, "消息推送", "/pushes").await?;
    Ok(PushesPage { l, rows, configured: !crate::notify::channels(&state).is_empty() }.into_response())
}
