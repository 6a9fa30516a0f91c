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
use chainchief_app::passwords;
use chainchief_domain::error::FieldError;
use chainchief_domain::ids::is_valid_id;
use chainchief_domain::password::check_strength;
use chainchief_domain::roles::{Grant, Role};
use chainchief_domain::text;
use chainchief_store::users::{self, NewUser};
use chainchief_store::{enterprises, org as org_store};
use serde::Deserialize;

/// A user row of the page.
struct UserRow {
    id: String,
    username: String,
    display_name: String,
    disabled: bool,
    locked: bool,
    version: i64,
    roles: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserRow>,
    can_manage: bool,
    can_grant: bool,
    roles: Vec<(&'static str, &'static str)>,
    scopes: Vec<(String, String)>,
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
    let city = &user.principal.city_id;
    let pool = state.store.pool();
    let chains = org_store::chains(pool, city).await?;
    let units = org_store::units(pool, city).await?;
    let ents = enterprises::names(pool, city).await?;
    let roles = users::roles_in_city(pool, city).await?;
    let scope_name = |r: &users::RoleRow| -> String {
        if let Some(c) = &r.chain_id {
            return chains.iter().find(|x| &x.id == c).map(|x| x.name.clone()).unwrap_or_default();
        }
        if let Some(u) = &r.unit_id {
            return units.iter().find(|x| &x.id == u).map(|x| x.name.clone()).unwrap_or_default();
        }
        if let Some(e) = &r.enterprise_id {
            return ents.iter().find(|x| &x.0 == e).map(|x| x.1.clone()).unwrap_or_default();
        }
        String::new()
    };
    let now = state.clock.now_millis();
    let rows = users::list(pool, city)
        .await?
        .into_iter()
        .map(|u| UserRow {
            roles: roles
                .iter()
                .filter(|r| r.user_id == u.id)
                .map(|r| {
                    let label = Role::from_code(&r.role).map(|x| x.label()).unwrap_or("?");
                    let scope = scope_name(r);
                    (r.id.clone(), if scope.is_empty() { label.to_string() } else { format!("{label}（{scope}）") })
                })
                .collect(),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled == 1,
            locked: u.locked_until > now,
            version: u.version,
        })
        .collect();
    let mut scopes = vec![(String::new(), "全市（不限范围）".to_string())];
    scopes.extend(chains.iter().map(|c| (format!("chain:{}", c.id), format!("产业链：{}", c.name))));
    scopes.extend(units.iter().map(|u| (format!("unit:{}", u.id), format!("单位：{}", u.name))));
    scopes.extend(ents.iter().map(|e| (format!("enterprise:{}", e.0), format!("企业：{}", e.1))));
    let page = UsersPage {
        l: layout(state, user, "用户与角色", "/admin/users").await?.with_flash(msg),
        users: rows,
        can_manage: user.principal.has(Role::SystemAdmin),
        can_grant: user.principal.has(Role::SecurityAdmin),
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        scopes,
        form,
        errors,
    };
    Ok(page.into_response())
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
}

/// `POST /admin/users`.
pub async fn create_user(State(state): State<AppState>, user: CurrentUser, Form(f): Form<NewUserForm>) -> PageResult {
    let mut errors = Vec::new();
    let username = text::username(&f.username).map_err(|e| errors.push(e)).ok();
    let display = text::required("display_name", "姓名", &f.display_name, 40).map_err(|e| errors.push(e)).ok();
    if let Err(e) = check_strength(&f.password) {
        errors.push(e);
    }
    let (Some(username), Some(display_name)) = (username, display) else {
        return users_view(&state, &user, errors, NewUserForm { password: String::new(), ..f }, None).await;
    };
    if !errors.is_empty() {
        return users_view(&state, &user, errors, NewUserForm { password: String::new(), ..f }, None).await;
    }
    let new = NewUser {
        city_id: user.principal.city_id.clone(),
        username,
        display_name,
        password_hash: passwords::hash(&f.password)?,
        unit_id: None,
        grants: vec![],
    };
    match users::create(&state.store, &user.actor(), &new).await {
        Ok(_) => Ok(Redirect::to("/admin/users?msg=created").into_response()),
        Err(chainchief_store::StoreError::Duplicate { field, message }) => {
            users_view(
                &state,
                &user,
                vec![FieldError::new(&field, message)],
                NewUserForm { password: String::new(), ..f },
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A form carrying the version read.
#[derive(Deserialize)]
pub struct VersionForm {
    version: i64,
}

fn valid(id: &str) -> Result<(), AppError> {
    if is_valid_id(id) { Ok(()) } else { Err(AppError::NotFound) }
}

/// `POST /admin/users/{id}/disable`.
pub async fn disable_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> PageResult {
    valid(&id)?;
    if id == user.principal.user_id {
        return Err(AppError::BadRequest("不能停用自己的账号".into()).into());
    }
    users::set_disabled(&state.store, &user.actor(), &user.principal.city_id, &id, true, f.version).await?;
    Ok(Redirect::to("/admin/users?msg=disabled").into_response())
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<VersionForm>,
) -> PageResult {
    valid(&id)?;
    users::set_disabled(&state.store, &user.actor(), &user.principal.city_id, &id, false, f.version).await?;
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
    valid(&id)?;
    users::get(state.store.pool(), &user.principal.city_id, &id).await?;
    check_strength(&f.password)?;
    users::set_password(&state.store, &user.actor(), &id, &passwords::hash(&f.password)?).await?;
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
    valid(&id)?;
    if id == user.principal.user_id {
        return Err(AppError::BadRequest("不能给自己授予角色".into()).into());
    }
    let role = Role::from_code(&f.role).ok_or_else(|| AppError::field("role", "请选择角色"))?;
    let mut g = Grant::city(role);
    let city = &user.principal.city_id;
    let pool = state.store.pool();
    match f.scope.split_once(':') {
        Some(("chain", c)) if org_store::chain(pool, city, c).await.is_ok() => g.chain_id = Some(c.into()),
        Some(("unit", u)) if org_store::units(pool, city).await?.iter().any(|x| x.id == u) => {
            g.unit_id = Some(u.into())
        }
        Some(("enterprise", e)) if enterprises::names(pool, city).await?.iter().any(|x| x.0 == e) => {
            g.enterprise_id = Some(e.into())
        }
        None if f.scope.is_empty() => {}
        _ => return Err(AppError::field("scope", "适用范围无效").into()),
    }
    if !g.is_well_scoped() {
        let need = match role.scope_kind() {
            chainchief_domain::roles::ScopeKind::City => "全市（不限范围）",
            chainchief_domain::roles::ScopeKind::Chain => "一条产业链",
            chainchief_domain::roles::ScopeKind::Unit => "一个单位",
            chainchief_domain::roles::ScopeKind::Enterprise => "一家企业",
        };
        return Err(AppError::field("scope", format!("“{}”角色的适用范围应为{need}", role.label())).into());
    }
    let existing = users::grants(pool, &id).await?;
    if existing.iter().any(|x| x.role.is_admin() != role.is_admin()) {
        return Err(AppError::field("role", "管理员角色与业务角色不能授予同一账号（三权分立）").into());
    }
    if existing.iter().any(|x| x.role.is_admin() && role.is_admin() && x.role != role) {
        return Err(AppError::field("role", "系统管理员、安全管理员、审计管理员须由不同账号担任").into());
    }
    users::add_grant(&state.store, &user.actor(), city, &id, &g).await?;
    Ok(Redirect::to("/admin/users?msg=granted").into_response())
}

/// `POST /admin/roles/{id}/revoke`.
pub async fn revoke_role(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> PageResult {
    valid(&id)?;
    users::remove_grant(&state.store, &user.actor(), &user.principal.city_id, &id).await?;
    Ok(Redirect::to("/admin/users?msg=revoked").into_response())
}
