//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use crate::error::{ErrorBody, ErrorDetail, FieldMessage};
use crate::routes;
use axum::Json;
use utoipa::openapi::{RefOr, Response, ResponseBuilder, content::ContentBuilder};
use utoipa::{Modify, OpenApi};

/// Every operation answers a malformed request 400 and a refused value 422 with [`ErrorBody`];
/// every one but signing in answers 401 without a valid token.
struct Refusals;

impl Modify for Refusals {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let refusal = |what: &str| -> RefOr<Response> {
            let content =
                ContentBuilder::new().schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody"))).build();
            ResponseBuilder::new().description(what).content("application/json", content).build().into()
        };
        for (path, item) in api.paths.paths.iter_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                let r = &mut op.responses.responses;
                r.entry("400".into()).or_insert_with(|| refusal("请求格式无效（参数或请求体）"));
                r.entry("422".into()).or_insert_with(|| refusal("内容有误，fields 列出各字段的原因"));
                if path != "/api/v1/session" {
                    r.entry("401".into()).or_insert_with(|| refusal("未登录或令牌已失效"));
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&Refusals),
    components(schemas(ErrorBody, ErrorDetail, FieldMessage)),
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
