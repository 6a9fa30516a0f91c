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
use chainchief_app::accounts;
use chainchief_domain::error::FieldError;
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
    match accounts::change_own_password(&state.ctx, &user.caller(), &f.current, &f.new, &f.confirm).await {
        Ok(()) => {}
        Err(chainchief_app::Error::Invalid(errors)) => return render(&state, &user, errors).await,
        Err(e) => return Err(AppError::from(e).into()),
    }
    let cookie = crate::auth::clear_cookie(state.config.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login?changed=1")).into_response())
}
