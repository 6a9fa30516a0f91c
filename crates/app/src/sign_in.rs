//! The rules of signing in beyond the password (等保 2.0 三级): what a signed-in user must do
//! first (change a password someone else set or that has expired, enrol a second factor), and the
//! second factor itself — a TOTP code, required of the three admin roles and of any role the
//! deployment names.

use crate::{Caller, Context, Error, Result, passwords};
use chainchief_domain::error::FieldError;
use chainchief_domain::roles::Grant;
use chainchief_domain::totp;
use chainchief_store::users::{self, User};
use rand::RngCore;

/// What a signed-in user must do before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obligation {
    /// Change the password: it was set by an administrator or the command line.
    ChangeSetPassword,
    /// Change the password: it is older than the deployment allows.
    ChangeExpiredPassword,
    /// Enrol a second factor, which the account's roles require.
    EnrolSecondFactor,
}

impl Obligation {
    /// What the user is told.
    pub fn message(self) -> &'static str {
        match self {
            Obligation::ChangeSetPassword => "您的密码由管理员设置或重置，请先修改为只有您知道的新密码，再使用系统。",
            Obligation::ChangeExpiredPassword => "您的密码已超过有效期，请先修改密码，再使用系统。",
            Obligation::EnrolSecondFactor => {
                "您的角色须启用动态口令（第二因素）：请在手机验证器中添加下方密钥，并输入其显示的6位动态口令。"
            }
        }
    }
}

/// Whether an account with these grants must sign in with a second factor.
pub fn second_factor_required(ctx: &Context, grants: &[Grant]) -> bool {
    grants.iter().any(|g| g.role.is_admin() || ctx.settings.second_factor_roles.contains(&g.role))
}

/// What the user must do first, if anything, at `now`.
pub fn obligation(ctx: &Context, user: &User, grants: &[Grant], now: i64) -> Option<Obligation> {
    let max_age = ctx.settings.password_max_age_days * 86_400_000;
    if user.must_change_password == 1 {
        Some(Obligation::ChangeSetPassword)
    } else if max_age > 0 && now - user.password_changed_at > max_age {
        Some(Obligation::ChangeExpiredPassword)
    } else if user.totp_secret.is_none() && second_factor_required(ctx, grants) {
        Some(Obligation::EnrolSecondFactor)
    } else {
        None
    }
}

/// A fresh second-factor secret, base32.
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    totp::base32(&bytes)
}

/// Checks a sign-in's second-factor code for an enrolled account and takes its step as used
/// (a code counts once). False for a wrong, stale or replayed code.
pub async fn check_code(ctx: &Context, user: &User, code: &str) -> Result<bool> {
    let Some(secret) = user.totp_secret.as_deref().and_then(totp::from_base32) else { return Ok(false) };
    match totp::verify(&secret, code, ctx.clock.now_millis(), user.totp_last_step) {
        Some(step) => Ok(users::use_second_factor_step(&ctx.store, &user.id, step).await?),
        None => Ok(false),
    }
}

/// Enrols the caller's second factor: the secret shown to them, confirmed by a code from their app.
pub async fn enrol(ctx: &Context, c: &Caller<'_>, secret: &str, code: &str) -> Result<()> {
    let bytes = totp::from_base32(secret).filter(|b| b.len() >= 16);
    let Some(bytes) = bytes else { return Err(Error::field("secret", "密钥无效，请刷新页面重新添加")) };
    let Some(step) = totp::verify(&bytes, code, ctx.clock.now_millis(), 0) else {
        return Err(Error::field("code", "动态口令不正确：请确认手机时间准确，输入验证器当前显示的6位数字"));
    };
    Ok(users::set_second_factor(&ctx.store, &c.actor, &c.principal.user_id, Some(secret), step).await?)
}

/// Removes the caller's second factor after checking the password; refused where the roles require one.
pub async fn remove(ctx: &Context, c: &Caller<'_>, current: &str) -> Result<()> {
    if second_factor_required(ctx, &c.principal.grants) {
        return Err(Error::field("current", "您的角色必须使用动态口令，不能停用"));
    }
    let me = users::get(ctx.store.pool(), &c.principal.city_id, &c.principal.user_id).await?;
    if !passwords::verify_off_thread(current.to_string(), me.password_hash).await? {
        return Err(Error::Invalid(vec![FieldError::new("current", "当前密码不正确")]));
    }
    Ok(users::set_second_factor(&ctx.store, &c.actor, &me.id, None, 0).await?)
}

/// The caller's second factor as the account page shows it.
pub struct SecondFactor {
    /// Enrolled.
    pub enrolled: bool,
    /// Required by the caller's roles.
    pub required: bool,
}

/// The caller's second factor: enrolled, and required or not.
pub async fn second_factor(ctx: &Context, c: &Caller<'_>) -> Result<SecondFactor> {
    let me = users::get(ctx.store.pool(), &c.principal.city_id, &c.principal.user_id).await?;
    Ok(SecondFactor { enrolled: me.totp_secret.is_some(), required: second_factor_required(ctx, &c.principal.grants) })
}
