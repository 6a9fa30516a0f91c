//! The signed-in user's own account: who they are, their roles, changing their password, and
//! their second factor (dynamic code). A user who must first change the password or enrol a
//! second factor is sent here and told why.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect};
use chainchief_app::{accounts, sign_in};
use chainchief_domain::error::FieldError;
use chainchief_domain::{password, totp};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    username: String,
    roles: Vec<&'static str>,
    duty: Option<&'static str>,
    errors: Vec<FieldError>,
    min_len: usize,
    history: usize,
    factor: sign_in::SecondFactor,
    /// A fresh secret to enrol (grouped by four for reading), its raw form and its otpauth address.
    secret_shown: String,
    secret: String,
    uri: String,
    flash: Option<&'static str>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<FieldError>,
    secret: Option<String>,
    flash: Option<&'static str>,
) -> PageResult {
    let l = layout(state, user, "我的账号", "/account").await?;
    let roles = user.principal.grants.iter().map(|g| g.role.label()).collect();
    let factor = sign_in::second_factor(&state.ctx, &user.caller()).await.map_err(AppError::from)?;
    let secret = secret.unwrap_or_else(sign_in::new_secret);
    let shown = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    let uri = totp::otpauth_uri("链长通", &user.principal.username, &secret);
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = AccountPage {
        l,
        username: user.principal.username.clone(),
        roles,
        duty: user.obligation.map(|d| d.message()),
        errors,
        min_len: password::MIN_LEN,
        history: password::HISTORY,
        factor,
        secret_shown: shown.join(" "),
        secret,
        uri,
        flash,
    };
    Ok((status, page).into_response())
}

/// `GET /account`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    render(&state, &user, vec![], None, None).await
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
        Err(chainchief_app::Error::Invalid(errors)) => return render(&state, &user, errors, None, None).await,
        Err(e) => return Err(AppError::from(e).into()),
    }
    let cookie = crate::auth::clear_cookie(state.config.secure_cookies);
    Ok(([(SET_COOKIE, cookie)], Redirect::to("/login?changed=1")).into_response())
}

/// The enrol-a-second-factor form: the secret shown and the code the app then shows.
#[derive(Deserialize)]
pub struct EnrolForm {
    secret: String,
    code: String,
}

/// `POST /account/second-factor`: enrols the dynamic code after checking one code from the app.
pub async fn enrol_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<EnrolForm>,
) -> PageResult {
    match sign_in::enrol(&state.ctx, &user.caller(), f.secret.trim(), &f.code).await {
        Ok(()) => Ok(Redirect::to("/account?enrolled=1").into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => render(&state, &user, errors, Some(f.secret), None).await,
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// The stop-the-second-factor form.
#[derive(Deserialize)]
pub struct RemoveForm {
    current: String,
}

/// `POST /account/second-factor/remove`: stops the dynamic code, where the roles allow.
pub async fn remove_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<RemoveForm>,
) -> PageResult {
    match sign_in::remove(&state.ctx, &user.caller(), &f.current).await {
        Ok(()) => render(&state, &user, vec![], None, Some("动态口令已停用")).await,
        Err(chainchief_app::Error::Invalid(errors)) => render(&state, &user, errors, None, None).await,
        Err(e) => Err(AppError::from(e).into()),
    }
}
