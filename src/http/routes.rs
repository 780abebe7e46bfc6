//! The route table: every route once, with its path, summary and handler. The router and
//! the OpenAPI document are both built from it, so a route cannot be served undocumented.

use axum::response::Response;
use axum::routing::MethodRouter;

use super::{AppState, envelope};
use crate::crm::Error;

/// One route.
pub struct Route {
    pub path: String,
    /// What the route does and its main parameters, in the OpenAPI document.
    pub summary: String,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    pub fn new(path: impl Into<String>, summary: impl Into<String>, handler: MethodRouter<AppState>) -> Self {
        Route {
            path: path.into(),
            summary: summary.into(),
            handler,
        }
    }
}

/// Every route wkcrm serves.
pub fn all() -> Vec<Route> {
    let mut routes = super::system_routes();
    routes.extend(super::users::routes());
    routes.extend(super::org::routes());
    routes.extend(super::fields::routes());
    routes.extend(super::scenes::routes());
    routes.extend(super::products::routes());
    for module in crate::crm::modules::ALL {
        routes.extend(super::records::routes(module));
    }
    routes
}

/// `{"code":0,"data":…}` as a handler's answer.
pub fn data(value: impl Into<serde_json::Value>) -> Result<Response, Error> {
    Ok(envelope::data(value))
}

/// `{"code":0}` as a handler's answer.
pub fn done(_: ()) -> Result<Response, Error> {
    Ok(envelope::ok())
}

/// A GET+POST handler for a logged-in caller. `$body` sees `$crm` (the services), `$actor`
/// (the caller) and `$input` (the parameters) and answers `Result<Response, Error>`; the
/// extraction, the token check and the envelope are the same for every route.
macro_rules! handler {
    (|$crm:ident, $actor:ident, $input:ident| $body:expr) => {
        $crate::http::get_post(
            move |axum::extract::State(state): axum::extract::State<$crate::http::AppState>,
                  $crate::http::auth::CurrentUser(user): $crate::http::auth::CurrentUser,
                  params: $crate::http::Params| async move {
                #[allow(unused_variables)]
                let ($crm, $actor, $input) = (&state.crm, &user, params.input());
                let answer: Result<axum::response::Response, $crate::crm::Error> = $body;
                answer
            },
        )
    };
}
pub(crate) use handler;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        let mut paths: Vec<String> = all().into_iter().map(|r| r.path).collect();
        let count = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), count, "a path declared twice");
    }
}
