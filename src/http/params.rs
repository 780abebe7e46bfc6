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
use axum::http::{Method, header};
use serde_json::{Map, Value};

use crate::crm::{Error, Input};

#[derive(Debug, Default)]
pub struct Params(pub Map<String, Value>);

impl Params {
    pub fn input(&self) -> Input<'_> {
        Input(&self.0)
    }
}

fn put(map: &mut Map<String, Value>, key: String, value: Value) {
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

fn parse_form(map: &mut Map<String, Value>, bytes: &[u8]) {
    let mut form = Map::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        put(&mut form, k.into_owned(), Value::String(v.into_owned()));
    }
    map.extend(form);
}

fn too_large_or_bad(err: impl std::fmt::Display) -> Error {
    let text = err.to_string();
    if text.contains("length limit") || text.contains("too large") {
        Error::bad("请求体过大")
    } else {
        Error::bad("请求体无法读取")
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut map = Map::new();
        if let Some(query) = req.uri().query() {
            parse_form(&mut map, query.as_bytes());
        }
        if req.method() == Method::HEAD {
            return Ok(Params(map));
        }
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, state)
                .await
                .map_err(|_| Error::bad("multipart请求格式错误"))?;
            let mut body = Map::new();
            while let Some(field) = multipart.next_field().await.map_err(too_large_or_bad)? {
                let Some(name) = field.name().map(str::to_owned) else {
                    continue;
                };
                if field.file_name().is_some() {
                    continue;
                }
                let text = field.text().await.map_err(too_large_or_bad)?;
                put(&mut body, name, Value::String(text));
            }
            map.extend(body);
            return Ok(Params(map));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(too_large_or_bad)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params(map));
        }
        let looks_json = content_type.contains("json")
            || (content_type.is_empty() && bytes.trim_ascii_start().starts_with(b"{"));
        if looks_json {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(body)) => map.extend(body),
                Ok(_) => return Err(Error::bad("JSON请求体应为对象")),
                Err(e) => {
                    return Err(Error::bad(format!(
                        "JSON格式错误：第{}行第{}列",
                        e.line(),
                        e.column()
                    )));
                }
            }
        } else {
            parse_form(&mut map, &bytes);
        }
        Ok(Params(map))
    }
}
