//! `/api/openapi.json`: an OpenAPI 3.1 document of every route, built from the same module
//! list the router uses. Every route answers GET and POST and takes its parameters from the
//! query string, a form, multipart or JSON (SPEC §1).

use axum::Json;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder};

use super::params::Params;

/// Where the document is served (GET only).
pub const PATH: &str = "/api/openapi.json";

fn item(path: &str, summary: &str) -> PathItem {
    let op = |method: &str| {
        OperationBuilder::new()
            .summary(Some(summary.to_owned()))
            .operation_id(Some(format!("{method}{}", path.replace('/', "_"))))
            .build()
    };
    let mut item = PathItem::new(HttpMethod::Get, op("get"));
    if path != PATH {
        item.merge_operations(PathItem::new(HttpMethod::Post, op("post")));
    }
    item
}

/// The document of every route in the route table.
pub fn build() -> OpenApi {
    let paths = super::all_routes()
        .into_iter()
        .fold(PathsBuilder::new(), |paths, r| {
            paths.path(&r.path, item(&r.path, &r.summary))
        });
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn documents_exactly_the_routes_served() {
        let served: BTreeSet<String> = super::super::all_routes().into_iter().map(|r| r.path).collect();
        let documented: BTreeSet<String> = super::build().paths.paths.into_keys().collect();
        assert_eq!(documented, served);
    }
}
