//! Authentication as an extractor, and the login/logout routes.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::envelope;
use super::params::Params;
use crate::crm::auth::Caller;
use crate::crm::users::UserView;
use crate::crm::{Actor, Crm, Error};

pub const TOKEN_NAME: &str = "Admin-Token";

/// The token of a request: the `Admin-Token` header, else the `Admin-Token` cookie. A
/// cookie is sent by the browser whoever made the page that sends the request, so a token
/// from the cookie counts only when the request shows it comes from our own pages
/// (`跨站请求已拒绝` otherwise); a header can only be set by our own pages' scripts.
fn request_token(headers: &HeaderMap) -> Result<String, Error> {
    if let Some(v) = headers.get(TOKEN_NAME).and_then(|v| v.to_str().ok()) {
        return Ok(v.to_owned());
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == TOKEN_NAME)
        .map(|(_, v)| v.to_owned())
        .ok_or(Error::NotLoggedIn)?;
    if same_origin(headers) {
        Ok(cookie)
    } else {
        Err(Error::CrossSite)
    }
}

/// Whether a browser request comes from a page of this server: by `Sec-Fetch-Site`
/// (`same-origin`, or `none` for what the user typed or bookmarked), else by `Origin` or
/// `Referer` naming this host. A request with none of them proves nothing and is refused.
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(host) = text(header::HOST) else {
        return false;
    };
    let names_host = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(""))
            .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
    };
    match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => names_host(origin),
        (None, Some(referer)) => names_host(referer),
        (None, None) => false,
    }
}

/// The logged-in caller; a request without a live token is answered `302 请先登录！`.
pub struct CurrentUser(pub Actor);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = request_token(&parts.headers)?;
        state.crm.authenticate(&token).await.map(CurrentUser)
    }
}

/// The caller as `Crm::recognise` finds it, perhaps only remembered: for the reads that
/// check a remembered session in their own statement (`Crm::record_detail_as`).
pub struct RecognisedCaller(pub Caller);

impl FromRequestParts<AppState> for RecognisedCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = request_token(&parts.headers)?;
        state.crm.recognise(&token).await.map(RecognisedCaller)
    }
}

/// What a handler's extractor found: the services for its request, and the caller.
pub trait Serving {
    type Caller;
    fn serving(self, crm: &Crm) -> (Crm, Self::Caller);
}

impl Serving for CurrentUser {
    type Caller = Actor;
    fn serving(self, crm: &Crm) -> (Crm, Actor) {
        (crm.serving(&self.0), self.0)
    }
}

impl Serving for RecognisedCaller {
    type Caller = Caller;
    fn serving(self, crm: &Crm) -> (Crm, Caller) {
        (crm.serving(self.0.actor()), self.0)
    }
}

fn client_ip(parts_ip: Option<&ConnectInfo<SocketAddr>>) -> Option<String> {
    parts_ip.map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// `/api/login`: the seed's response shape, plus the token as an HttpOnly cookie.
pub async fn login(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, Error> {
    let ip = client_ip(req.extensions().get::<ConnectInfo<SocketAddr>>());
    let Params(params) = Params::from_request(req, &state).await?;
    let input = crate::crm::Input(&params);
    let username = input.opt_str("username")?.unwrap_or_default();
    let password = input.opt_str("password")?.unwrap_or_default();
    let login = state.crm.login(&username, &password, ip.as_deref()).await?;
    let body = json!({
        "code": 0,
        TOKEN_NAME: login.token,
        "user": UserView::new(&state.crm.clock, &login.actor.user),
        "auth": login.auth,
        "isAdmin": login.actor.is_admin(),
        // Keys of J11's login answer the document shows; wkcrm has no business cards, mail,
        // notices, start page or telephony, so they say so.
        "cardAuth": false,
        "emailId": null,
        "isReadNotice": 1,
        "firstModel": null,
        "call": 0,
    });
    let cookie = format!("{TOKEN_NAME}={}; Path=/; HttpOnly; SameSite=Strict", login.token);
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// `/api/logout`: the token dies on every instance.
pub async fn logout(State(state): State<AppState>, req: axum::extract::Request) -> Result<Response, Error> {
    let token = request_token(req.headers())?;
    Params::from_request(req, &state).await?;
    state.crm.authenticate(&token).await?;
    state.crm.logout(&token).await?;
    Ok(envelope::ok())
}

use axum::extract::FromRequest;
