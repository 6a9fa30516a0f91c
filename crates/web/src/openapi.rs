//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use crate::routes;
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "链长通 ChainChief API",
        description = "产业链链长制工作平台的 JSON 接口。登录后以 `Authorization: Bearer <token>` 调用。"
    ),
    paths(
        routes::session::api_login,
        routes::session::api_logout,
        routes::session::api_me,
        routes::chains::api_list,
        routes::chains::api_get,
        routes::chains::api_update,
        routes::org::api_org,
        routes::indicators::api_list,
        routes::indicators::api_record,
        routes::events::api_quotas,
        routes::enterprises::api_list,
        routes::enterprises::api_get,
        routes::enterprises::api_update,
        routes::audit::api_list,
    )
)]
struct ApiDoc;

/// The document as JSON.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/v1/openapi.json`.
pub async fn json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
