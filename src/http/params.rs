//! `Params`: the merged request parameters, whichever way the client sent them.
//!
//! The original server reads parameters servlet-style, so clients send them in the query
//! string, an urlencoded form, a multipart form or a JSON body, on GET or POST alike. All
//! of these land in one JSON object; body keys win over query keys, and a key repeated in
//! a form (`ids=1&ids=2`) becomes an array.
//!
//! Every handler takes `Params`, even one that needs no parameter: a request body left
//! unread makes hyper close the connection after the response, and the client, still
//! sending, sees the response cut off by a reset.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode, header};
use serde_json::{Map, Value};

use crate::crm::{Error, Input};

#[derive(Debug, Default)]
pub struct Params(pub Map<String, Value>);

impl Params {
    pub fn input(&self) -> Input<'_> {
        Input(&self.0)
    }
}

/// The largest body accepted, in bytes; the router sets it beside `DefaultBodyLimit` so
/// that a declared `Content-Length` over it is refused before any byte is read.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

pub(super) fn put(map: &mut Map<String, Value>, key: String, value: Value) {
    match map.get_mut(&key) {
        Some(Value::Array(items)) if !value.is_array() => items.push(value),
        Some(existing @ Value::String(_)) if value.is_string() => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        _ => {
            map.insert(key, value);
        }
    }
}

pub(super) fn parse_form(bytes: &[u8]) -> Map<String, Value> {
    let mut form = Map::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        put(&mut form, k.into_owned(), Value::String(v.into_owned()));
    }
    form
}

fn parse_json(bytes: &[u8]) -> Result<Map<String, Value>, Error> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(body)) => Ok(body),
        Ok(_) => Err(Error::bad("JSON请求体应为对象")),
        Err(e) => Err(Error::bad(format!(
            "JSON格式错误：第{}行第{}列",
            e.line(),
            e.column()
        ))),
    }
}

pub(super) fn too_large() -> Error {
    Error::bad("请求体过大")
}

/// A body that could not be read: too large (the limit answers 413), or broken.
pub(super) fn unreadable(status: StatusCode) -> Error {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Error::bad("请求体无法读取")
    }
}

/// Refuses at once a body whose declared length is over the limit, rather than reading
/// the first 50 MiB of it first.
fn refuse_declared_oversize(req: &Request) -> Result<(), Error> {
    let Some(BodyLimit(limit)) = req.extensions().get::<BodyLimit>().copied() else {
        return Ok(());
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => Err(too_large()),
        _ => Ok(()),
    }
}

/// The text fields of a multipart form; file parts are skipped (uploads read them).
async fn read_multipart<S: Send + Sync>(req: Request, state: &S) -> Result<Map<String, Value>, Error> {
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|_| Error::bad("multipart请求格式错误"))?;
    let mut body = Map::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(e.status()))? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if field.file_name().is_some() {
            continue;
        }
        let text = field.text().await.map_err(|e| unreadable(e.status()))?;
        put(&mut body, name, Value::String(text));
    }
    Ok(body)
}

async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Map<String, Value>, Error> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return read_multipart(req, state).await;
    }
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|e| unreadable(e.status()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let looks_json = content_type.contains("json")
        || (content_type.is_empty() && bytes.trim_ascii_start().starts_with(b"{"));
    if looks_json {
        parse_json(&bytes)
    } else {
        Ok(parse_form(&bytes))
    }
}

/// A character no parameter may hold: the C0 and C1 controls (`char::is_control`) except
/// tab, line feed and carriage return, which multi-line text needs. PostgreSQL cannot
/// store NUL at all (the insert failed as a 500), and the others are never meaningful in
/// CRM data while they break exports, terminals and logs. The noncharacters U+FFFE and
/// U+FFFF are left alone: they are valid scalar values both databases store and return.
fn refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn has_refused(text: &str) -> bool {
    text.chars().any(refused)
}

/// Looks into strings too: clients send `entity`, `field` or `data` as JSON text in a
/// form or the query string, where a control character hides behind a `\u0000` escape.
fn holds_refused(value: &Value) -> bool {
    match value {
        Value::String(text) => has_refused(text) || embedded_json(text).is_some_and(|v| holds_refused(&v)),
        Value::Array(items) => items.iter().any(holds_refused),
        Value::Object(map) => map.iter().any(|(k, v)| has_refused(k) || holds_refused(v)),
        _ => false,
    }
}

fn embedded_json(text: &str) -> Option<Value> {
    let text = text.trim_start();
    (text.starts_with('{') || text.starts_with('['))
        .then(|| serde_json::from_str(text).ok())
        .flatten()
}

pub(super) fn refuse_control_chars(map: &Map<String, Value>) -> Result<(), Error> {
    match map.iter().find(|(k, v)| has_refused(k) || holds_refused(v)) {
        // A refused key is named with its control characters escaped.
        Some((key, _)) => Err(Error::bad(format!(
            "参数不能包含控制字符：{}",
            key.escape_debug()
        ))),
        None => Ok(()),
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut map = req
            .uri()
            .query()
            .map(|q| parse_form(q.as_bytes()))
            .unwrap_or_default();
        if req.method() != Method::HEAD {
            refuse_declared_oversize(&req)?;
            map.extend(read_body(req, state).await?);
        }
        refuse_control_chars(&map)?;
        Ok(Params(map))
    }
}
