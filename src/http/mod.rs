//! HTTP: the router, the parameter extractor, the envelope and authentication. Handlers
//! are thin: they read parameters, call one service and wrap the answer.

mod absent;
mod auth;
mod backlog;
mod customers;
mod dashboard;
mod drain;
mod duplicates;
mod envelope;
mod excel;
mod fields;
mod files;
mod followups;
mod leads;
mod openapi;
mod org;
mod params;
mod products;
mod records;
mod routes;
mod scenes;
mod server;
mod session;
mod stages;
mod users;
mod web;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use axum::{Extension, Router};
use tower::ServiceBuilder;
use tower::util::MapRequest;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::crm::{Crm, Error};

pub use params::Params;
pub use server::{Limits, serve};
pub use web::WebRoot;

#[derive(Clone)]
pub struct AppState {
    pub crm: Crm,
}

/// The whole application as a service: the router behind path normalisation.
pub type App = MapRequest<Router, fn(Request) -> Request>;

/// Answers GET and POST with the same handler, as every route of the original does.
fn get_post<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState> + Clone,
    T: 'static,
{
    get(handler.clone()).post(handler)
}

pub fn router(crm: Crm, body_limit: usize) -> Router {
    router_with_web(crm, body_limit, None)
}

/// The router, serving a built web client at `/` when `web` names one.
pub fn router_with_web(crm: Crm, body_limit: usize, web: Option<WebRoot>) -> Router {
    all_routes()
        .into_iter()
        .fold(Router::new(), |router, r| router.route(&r.path, r.handler))
        .fallback(move |method, uri, params| web::fallback(web.clone(), method, uri, params))
        .method_not_allowed_fallback(envelope::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(Extension(params::BodyLimit(body_limit)))
        .layer(axum::middleware::from_fn(move |req, next| {
            drain::drain_unread(body_limit, req, next)
        }))
        .layer(CatchPanicLayer::custom(envelope::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(AppState { crm })
}

/// `//api/CrmContacts/deleteByIds` (as the seed writes it) reaches `/api/CrmContacts/deleteByIds`.
fn collapse_slashes(mut req: Request) -> Request {
    let path = req.uri().path();
    if path.contains("//") {
        let mut collapsed = String::with_capacity(path.len());
        for c in path.chars() {
            if !(c == '/' && collapsed.ends_with('/')) {
                collapsed.push(c);
            }
        }
        let rebuilt = match req.uri().query() {
            Some(q) => format!("{collapsed}?{q}"),
            None => collapsed,
        };
        if let Ok(uri) = rebuilt.parse() {
            *req.uri_mut() = uri;
        }
    }
    req
}

pub fn app(crm: Crm, body_limit: usize) -> App {
    app_with_web(crm, body_limit, None)
}

/// `app`, serving a built web client at `/` when `web` names one.
pub fn app_with_web(crm: Crm, body_limit: usize, web: Option<WebRoot>) -> App {
    ServiceBuilder::new()
        .map_request(collapse_slashes as fn(Request) -> Request)
        .service(router_with_web(crm, body_limit, web))
}

/// Every route wkcrm serves.
pub fn all_routes() -> Vec<routes::Route> {
    let mut routes = system_routes();
    routes.extend(users::routes());
    routes.extend(session::routes());
    routes.extend(backlog::routes());
    routes.extend(dashboard::routes());
    routes.extend(duplicates::routes());
    routes.extend(org::routes());
    routes.extend(fields::routes());
    routes.extend(followups::routes());
    routes.extend(leads::routes());
    routes.extend(customers::routes());
    routes.extend(scenes::routes());
    routes.extend(products::routes());
    routes.extend(files::routes());
    routes.extend(stages::routes());
    routes.extend(excel::job_routes());
    for module in crate::crm::modules::ALL {
        routes.extend(records::routes(module));
        routes.extend(excel::routes(module));
    }
    routes
}

/// The routes of the server itself: health, this document, login and logout.
fn system_routes() -> Vec<routes::Route> {
    use routes::Route;
    vec![
        Route::new("/api/health", "健康检查（无需登录）", get_post(health)),
        Route::new(
            "/api/login",
            "登录：username, password；返回 Admin-Token",
            get_post(auth::login),
        ),
        Route::new("/api/logout", "退出登录", get_post(auth::logout)),
        Route::new(openapi::PATH, "本文档", get(openapi::document)),
    ]
}

/// `/api/health`: answers without a token; checks the database.
async fn health(State(state): State<AppState>, _: Params) -> Result<Response, Error> {
    state.crm.db.ping().await?;
    let backend = format!("{:?}", state.crm.db.backend()).to_lowercase();
    envelope::data(serde_json::json!({"status": "ok", "database": backend}))
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed at once, before the caller
/// announces that it is ready, so an early SIGTERM still shuts down gracefully.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! { _ = term.recv() => {}, _ = int.recv() => {} }
            tracing::info!("shutting down");
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
