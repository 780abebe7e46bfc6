//! A route of the route table (`http::all_routes`): its path, summary and handler, and
//! the skeleton every handler shares. The router and the OpenAPI document are both built
//! from the one table, so a route cannot be served undocumented.

use axum::response::Response;
use axum::routing::MethodRouter;

use super::{AppState, envelope};
use crate::crm::Error;
use crate::crm::module::Module;

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

    /// A route of a module: `/api/<route>/<action>`, its summary after the module's title.
    pub fn of_module(m: &Module, action: &str, summary: &str, handler: MethodRouter<AppState>) -> Self {
        Route::new(
            format!("/api/{}/{action}", m.route),
            format!("{}{summary}", m.title),
            handler,
        )
    }
}

/// The same actions under several prefixes (J9's and J11's spellings of one controller):
/// `(action, summary, handler)` become `/api/<prefix>/<action>` for every prefix.
pub fn under(prefixes: &[&str], actions: Vec<(&str, &str, MethodRouter<AppState>)>) -> Vec<Route> {
    actions
        .into_iter()
        .flat_map(|(action, summary, handler)| {
            prefixes
                .iter()
                .map(move |prefix| Route::new(format!("/api/{prefix}/{action}"), summary, handler.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `{"code":0,"data":…}` as a handler's answer.
pub fn data(value: impl serde::Serialize) -> Result<Response, Error> {
    envelope::data(value)
}

/// `{"code":0}` as a handler's answer.
pub fn done(_: ()) -> Result<Response, Error> {
    Ok(envelope::ok())
}

/// A GET+POST handler for a logged-in caller. `$body` sees `$crm` (the services), `$actor`
/// (the caller) and `$input` (the parameters) and answers `Result<Response, Error>`; the
/// extraction, the token check and the envelope are the same for every route.
///
/// `handler!(<Extractor> |…| …)` takes the caller from another extractor (`auth::Serving`).
macro_rules! handler {
    (|$crm:ident, $actor:ident, $input:ident| $body:expr) => {
        $crate::http::routes::handler!(<$crate::http::auth::CurrentUser> |$crm, $actor, $input| $body)
    };
    (<$caller:ty> |$crm:ident, $actor:ident, $input:ident| $body:expr) => {
        $crate::http::get_post(
            move |axum::extract::State(state): axum::extract::State<$crate::http::AppState>,
                  caller: $caller,
                  params: $crate::http::Params| async move {
                let (crm, caller) = $crate::http::auth::Serving::serving(caller, &state.crm);
                #[allow(unused_variables)]
                let ($crm, $actor, $input) = (&crm, &caller, params.input());
                let answer: Result<axum::response::Response, $crate::crm::Error> = $body;
                answer
            },
        )
    };
}
pub(crate) use handler;

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_is_declared_once() {
        let mut paths: Vec<String> = super::super::all_routes().into_iter().map(|r| r.path).collect();
        let count = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), count, "a path declared twice");
    }
}
