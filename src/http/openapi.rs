//! `/api/openapi.json`: an OpenAPI 3.1 document of every route, built from the same module
//! list the router uses. Every route answers GET and POST and takes its parameters from the
//! query string, a form, multipart or JSON (SPEC §1).

use axum::Json;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder};

use super::params::Params;
use super::{fields, org, products, records, scenes};

const SYSTEM_ROUTES: [(&str, &str); 8] = [
    ("/api/health", "健康检查（无需登录）"),
    ("/api/login", "登录：username, password；返回 Admin-Token"),
    ("/api/logout", "退出登录"),
    (
        "/api/system/user/addUser",
        "新增用户（管理员）：username, password, realname, mobile, deptId, parentId",
    ),
    ("/api/system/user/queryUserList", "用户列表：page, limit, search"),
    (
        "/api/system/user/setUserStatus",
        "启用/禁用用户（管理员）：userIds, status",
    ),
    (
        "/api/system/user/resetPassword",
        "重置密码（管理员）：userIds, password",
    ),
    ("/api/openapi.json", "本文档"),
];

fn item(path: &str, summary: &str) -> PathItem {
    let op = |method: &str| {
        OperationBuilder::new()
            .summary(Some(summary.to_owned()))
            .operation_id(Some(format!("{method}{}", path.replace('/', "_"))))
            .build()
    };
    let mut item = PathItem::new(HttpMethod::Get, op("get"));
    if path != "/api/openapi.json" {
        item.merge_operations(PathItem::new(HttpMethod::Post, op("post")));
    }
    item
}

pub fn build() -> OpenApi {
    let mut paths = PathsBuilder::new();
    for (path, summary) in SYSTEM_ROUTES
        .into_iter()
        .chain(org::SUMMARIES)
        .chain(fields::SUMMARIES)
        .chain(scenes::SUMMARIES)
        .chain(products::SUMMARIES)
    {
        paths = paths.path(path, item(path, summary));
    }
    for module in crate::crm::modules::ALL {
        for e in records::endpoints(module) {
            let path = format!("/api/{}/{}", module.route, e.action);
            paths = paths.path(&path, item(&path, &format!("{}{}", module.title, e.summary)));
        }
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("wkcrm")
                .version(env!("CARGO_PKG_VERSION"))
                .build(),
        )
        .paths(paths.build())
        .build()
}

pub async fn document(_: Params) -> Json<OpenApi> {
    Json(build())
}
