//! Accounts and roles, with the admin roles kept apart (三权分立): the system admin manages
//! accounts, the security admin grants roles; neither sees business data or the audit log.

use super::pages::{PageResult, layout};
use crate::auth::CurrentUser;
use crate::layout::Layout;
use crate::{AppError, AppState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use chainchief_app::accounts::{self, Account};
use chainchief_domain::error::FieldError;
use chainchief_domain::roles::Role;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<Account>,
    can_manage: bool,
    can_grant: bool,
    roles: Vec<(&'static str, &'static str)>,
    scopes: Vec<(String, String)>,
    /// The city's units (id, name), for an account's unit.
    units: Vec<(String, String)>,
    errors: Vec<FieldError>,
    form: NewUserForm,
}

async fn users_view(
    state: &AppState,
    user: &CurrentUser,
    errors: Vec<FieldError>,
    form: NewUserForm,
    msg: Option<&str>,
) -> PageResult {
    let (rows, scopes) = accounts::overview(&state.ctx, &user.caller()).await?;
    // The units an account may belong to are the units a role may be scoped to.
    let units = scopes
        .iter()
        .filter_map(|(code, words)| {
            Some((code.strip_prefix("unit:")?.to_string(), words.trim_start_matches("单位：").to_string()))
        })
        .collect();
    let page = UsersPage {
        l: layout(state, user, "用户与角色", "/admin/users").await?.with_flash(msg),
        users: rows,
        can_manage: accounts::may_keep_accounts(&user.principal),
        can_grant: accounts::may_grant(&user.principal),
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        scopes,
        units,
        form,
        errors,
    };
    let status =
        if page.errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, page).into_response())
}

/// `GET /admin/users`.
pub async fn users_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<super::pages::FlashQuery>,
) -> PageResult {
    users_view(&state, &user, vec![], NewUserForm::default(), q.msg.as_deref()).await
}

/// The new-account form.
#[derive(Deserialize, Default, Clone)]
pub struct NewUserForm {
    username: String,
    display_name: String,
    password: String,
    #[serde(default)]
    unit_id: String,
}

/// `POST /admin/users`.
pub async fn create_user(State(state): State<AppState>, user: CurrentUser, Form(f): Form<NewUserForm>) -> PageResult {
    match accounts::create(&state.ctx, &user.caller(), &f.username, &f.display_name, &f.password, &f.unit_id).await {
        Ok(_) => Ok(Redirect::to("/admin/users?msg=created").into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => {
            users_view(&state, &user, errors, NewUserForm { password: String::new(), ..f }, None).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// A form carrying the version read.
#[derive(Deserialize)]
pub struct VersionForm {
    version: i64,
}

/// An account's unit, with the version read.
#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    unit_id: String,
    version: i64,
}

/// `POST /admin/users/{id}/unlock`: ends the lock of an account locked after failed logins.
pub async fn unlock_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> PageResult {
    accounts::unlock(&state.ctx, &user.caller(), &id, f.version).await?;
    Ok(Redirect::to("/admin/users?msg=saved").into_response())
}

/// `POST /admin/users/{id}/unit`: the unit the account's holder belongs to.
pub async fn set_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<UnitForm>,
) -> PageResult {
    match accounts::set_unit(&state.ctx, &user.caller(), &id, &f.unit_id, f.version).await {
        Ok(()) => Ok(Redirect::to("/admin/users?msg=saved").into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => {
            users_view(&state, &user, errors, NewUserForm::default(), None).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /admin/users/{id}/disable`.
pub async fn disable_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> PageResult {
    accounts::set_disabled(&state.ctx, &user.caller(), &id, true, f.version).await?;
    Ok(Redirect::to("/admin/users?msg=disabled").into_response())
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> PageResult {
    accounts::set_disabled(&state.ctx, &user.caller(), &id, false, f.version).await?;
    Ok(Redirect::to("/admin/users?msg=enabled").into_response())
}

/// The reset-password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

/// `POST /admin/users/{id}/password`.
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    accounts::reset_password(&state.ctx, &user.caller(), &id, &f.password).await?;
    Ok(Redirect::to("/admin/users?msg=password").into_response())
}

/// The grant-role form.
#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    scope: String,
}

/// `POST /admin/users/{id}/roles`.
pub async fn grant_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<GrantForm>,
) -> PageResult {
    // A refused grant shows the list again with the reason at the account's role field.
    let field = format!("role-{id}");
    let refused = |message: String| vec![FieldError::new(&field, message)];
    let Some(role) = Role::from_code(&f.role) else {
        return users_view(&state, &user, refused("请选择角色".into()), NewUserForm::default(), None).await;
    };
    match accounts::grant(&state.ctx, &user.caller(), &id, role, &f.scope).await {
        Ok(()) => Ok(Redirect::to("/admin/users?msg=granted").into_response()),
        Err(chainchief_app::Error::Invalid(errors)) => {
            let errors = errors.into_iter().flat_map(|e| refused(e.message)).collect();
            users_view(&state, &user, errors, NewUserForm::default(), None).await
        }
        Err(chainchief_app::Error::BadRequest(m)) => {
            users_view(&state, &user, refused(m), NewUserForm::default(), None).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /admin/roles/{id}/revoke`.
pub async fn revoke_role(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    accounts::revoke(&state.ctx, &user.caller(), &id).await?;
    Ok(Redirect::to("/admin/users?msg=revoked").into_response())
}
