//! The `{code, msg, data}` envelope. Business errors travel as HTTP 200 with a `code`,
//! as the original API does; a panic or an internal failure becomes
//! `{"code":500,"msg":"服务器响应异常"}` and its details go to the log only.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::params::Params;
use crate::crm::Error;

impl Error {
    fn code(&self) -> u16 {
        match self {
            Error::NotLoggedIn => 302,
            Error::BadRequest(_) => 400,
            Error::NoPermission | Error::Forbidden | Error::CrossSite => 401,
            Error::Business(_) | Error::Internal(_) => 500,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        Json(json!({"code": self.code(), "msg": self.to_string()})).into_response()
    }
}

/// `{"code":0}`.
pub fn ok() -> Response {
    Json(json!({"code": 0})).into_response()
}

/// `{"code":0,"data":…}`. The data goes through a JSON value, so every object's keys come
/// out in one (sorted) order whether a service built it as a `Value` or a typed view.
pub fn data(value: impl Serialize) -> Result<Response, Error> {
    let data = serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Json(json!({"code": 0, "data": data})).into_response())
}

/// `{"code":0,…}` with the fields of `value` beside the code, as J9 answers some routes
/// (an upload's `batchId`, `url`, …).
pub fn top_level(value: impl Serialize) -> Result<Response, Error> {
    let mut body = match serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))? {
        serde_json::Value::Object(map) => map,
        other => return Err(Error::Internal(format!("not an object: {other}"))),
    };
    body.insert("code".into(), json!(0));
    Ok(Json(body).into_response())
}

/// A route that does not exist: HTTP 404 with the envelope. The body is read (and any
/// fault in it ignored) so that the connection survives; see `Params`.
pub async fn not_found(_: Result<Params, Error>) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"code": 404, "msg": "资源未找到"})),
    )
        .into_response()
}

/// A method other than GET/POST.
pub async fn method_not_allowed(_: Result<Params, Error>) -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"code": 405, "msg": "请求方式不支持，请使用GET或POST"})),
    )
        .into_response()
}

/// The body of a response to a handler that panicked.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"code": 500, "msg": "服务器响应异常"})),
    )
        .into_response()
}
