//! Route policies: every route is added through [`Routes`] with an [`Access`] rule, which a
//! layer enforces before the handler runs; handlers then check the record's scope.

use crate::auth::{CurrentUser, audit_denial};
use crate::{AppError, AppState};
use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use chainchief_domain::roles::Role;

/// Who may call a route at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login page, health check, static files).
    Public,
    /// Any signed-in user, even one who must first change the password or enrol a second factor
    /// (the own account page, signing out).
    Account,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user with a business role of the city (not an admin-only account).
    Business,
    /// A signed-in user with one of these roles.
    Roles(&'static [Role]),
}

/// One route and its policy, for the inventory test and the docs.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: &'static str,
    /// Path pattern.
    pub path: &'static str,
    /// Access rule.
    pub access: Access,
}

/// Builds the router; the only way to add a route is with its policy.
pub struct Routes {
    router: Router<AppState>,
    inventory: Vec<RouteInfo>,
    state: AppState,
}

impl Routes {
    /// An empty set of routes.
    pub fn new(state: AppState) -> Routes {
        Routes { router: Router::new(), inventory: Vec::new(), state }
    }

    /// Adds `method path` guarded by `access`.
    pub fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        let guarded = handler.route_layer(middleware::from_fn_with_state((self.state.clone(), access), enforce));
        self.router = self.router.route(path, guarded);
        self.inventory.push(RouteInfo { method, path, access });
        self
    }

    /// The router and the inventory of routes.
    pub fn finish(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.inventory)
    }
}

fn wants_html(req: &Request) -> bool {
    !req.uri().path().starts_with("/api/")
}

async fn enforce(State((state, access)): State<(AppState, Access)>, req: Request, next: Next) -> Response {
    if access == Access::Public {
        return next.run(req).await;
    }
    let user = req.extensions().get::<CurrentUser>().cloned();
    let Some(user) = user else {
        if wants_html(&req) {
            let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next_path));
            return Redirect::to(&target).into_response();
        }
        return AppError::Unauthenticated.into_response();
    };
    if let Some(duty) = user.obligation
        && access != Access::Account
    {
        if wants_html(&req) {
            return Redirect::to("/account").into_response();
        }
        return AppError::ActionRequired(duty.message()).into_response();
    }
    let allowed = match access {
        Access::Public | Access::Account | Access::SignedIn => true,
        Access::Business => user.principal.is_business_user(),
        Access::Roles(roles) => user.principal.has_any(roles),
    };
    if allowed {
        return next.run(req).await;
    }
    let what = format!("{} {}", req.method(), req.uri().path());
    audit_denial(&state, &user, &what).await;
    if wants_html(&req) {
        return crate::routes::pages::forbidden_page(&user).into_response();
    }
    AppError::Forbidden.into_response()
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::urlencode;

    #[test]
    fn encodes_everything_but_path_characters() {
        assert_eq!(urlencode("/chains/1?x=a&b"), "/chains/1%3Fx%3Da%26b");
        assert_eq!(urlencode("链"), "%E9%93%BE");
    }
}
