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
use crate::crm::users::user_json;
use crate::crm::{Actor, Error};

pub const TOKEN_NAME: &str = "Admin-Token";

/// The token of a request: the `Admin-Token` header, else the `Admin-Token` cookie.
fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers.get(TOKEN_NAME).and_then(|v| v.to_str().ok()) {
        return Some(v.to_owned());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == TOKEN_NAME)
        .map(|(_, v)| v.to_owned())
}

/// The logged-in caller; a request without a live token is answered `302 请先登录！`.
pub struct CurrentUser(pub Actor);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = token(&parts.headers).ok_or(Error::NotLoggedIn)?;
        state.crm.authenticate(&token).await.map(CurrentUser)
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
        "user": user_json(&state.crm.clock, &login.actor.user),
        "auth": login.auth,
        "isAdmin": login.actor.is_admin(),
    });
    let cookie = format!("{TOKEN_NAME}={}; Path=/; HttpOnly; SameSite=Lax", login.token);
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// `/api/logout`: the token dies on every instance.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Error> {
    let token = token(&headers).ok_or(Error::NotLoggedIn)?;
    state.crm.authenticate(&token).await?;
    state.crm.logout(&token).await?;
    Ok(envelope::ok())
}

use axum::extract::FromRequest;
