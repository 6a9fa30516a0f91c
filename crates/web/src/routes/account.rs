//! The signed-in user's own account: who they are, their roles, and changing their password.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect};
use chainchief_app::passwords;
use chainchief_domain::error::FieldError;
use chainchief_domain::password::check_strength;
use chainchief_store::users;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    username: String,
    roles: Vec<&'static str>,
    errors: Vec<FieldError>,
}

async fn render(state: &AppState, user: &CurrentUser, errors: Vec<FieldError>) -> PageResult {
    let l = layout(state, user, "我的账号", "/account").await?;
    let roles = user.principal.grants.iter().map(|g| g.role.label()).collect();
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, AccountPage { l, username: user.principal.username.clone(), roles, errors }).into_response())
}

/// `GET /account`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    render(&state, &user, vec![]).await
}

/// The change-password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /account/password`: checks the current password; all sessions end, so the user signs in again.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let me = users::get(state.store.pool(), &user.principal.city_id, &user.principal.user_id).await?;
    let (current, hash) = (f.current.clone(), me.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&current, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut errors = Vec::new();
    if !ok {
        errors.push(FieldError::new("current", "当前密码不正确"));
    }
    if let Err(e) = check_strength(&f.new) {
        errors.push(FieldError::new("new", e.message));
    } else if f.new != f.confirm {
        errors.push(FieldError::new("confirm", "两次输入的新密码不一致"));
    } else if f.new == f.current {
        errors.push(FieldError::new("new", "新密码不能与当前密码相同"));
    }
    if !errors.is_empty() {
        return render(&state, &user, errors).await;
    }
    users::set_password(&state.store, &user.actor(), &me.id, &passwords::hash(&f.new)?).await?;
    let cookie = crate::auth::clear_cookie(state.config.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login?changed=1")).into_response())
}
