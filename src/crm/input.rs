//! Lenient reading of request parameters. Clients of the original API send numbers as
//! strings (`"15"`), id lists as comma strings (`"1,2"`) or arrays, and objects either as
//! JSON or as a JSON string inside a form field; every reader here accepts all of those
//! and answers a clear Chinese message for anything else.

use std::marker::PhantomData;

use serde_json::{Map, Value};

use super::error::{Error, Result};

/// A typed request that reads itself from the parameters, once, with the wire's quirks.
pub trait Parse: Sized {
    fn parse(input: Input<'_>) -> Result<Self>;
}

/// A request of type `T`, not parsed yet. Services that check the caller's right before
/// anything else take this and parse it after the check, so a caller without the right is
/// told so whatever it sent; the signature still says which request the service reads.
#[derive(Clone, Copy, Debug)]
pub struct Unparsed<'a, T> {
    input: Input<'a>,
    request: PhantomData<fn() -> T>,
}

impl<'a, T: Parse> Unparsed<'a, T> {
    pub fn parse(self) -> Result<T> {
        T::parse(self.input)
    }
}

impl<'a, T> From<Input<'a>> for Unparsed<'a, T> {
    fn from(input: Input<'a>) -> Self {
        Unparsed {
            input,
            request: PhantomData,
        }
    }
}

/// The merged parameters of one request (query string and body).
#[derive(Clone, Copy, Debug)]
pub struct Input<'a>(pub &'a Map<String, Value>);

/// The most ids one request may name.
pub const MAX_IDS: usize = 10_000;

impl<'a> Input<'a> {
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !is_blank(v))
    }

    /// An optional integer; `""` and `null` count as absent.
    pub fn opt_i64(&self, key: &str) -> Result<Option<i64>> {
        self.raw(key)
            .map(|v| to_i64(v).ok_or_else(|| not_number(key)))
            .transpose()
    }

    pub fn i64(&self, key: &str, missing: &str) -> Result<i64> {
        self.opt_i64(key)?.ok_or_else(|| Error::bad(missing))
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<String>> {
        self.raw(key)
            .map(|v| to_text(v).ok_or_else(|| Error::bad(format!("参数{key}应为文本"))))
            .transpose()
    }

    /// Optional text of at most `max` characters; `name` names it in the message.
    pub fn opt_bounded(&self, key: &str, name: &str, max: usize) -> Result<Option<String>> {
        match self.opt_str(key)? {
            Some(text) if text.chars().count() > max => {
                Err(Error::bad(format!("{name}长度不能超过{max}个字符")))
            }
            other => Ok(other),
        }
    }

    /// Optional text, trimmed and of at most `max` characters; `name` names it in the message.
    pub fn opt_text(&self, key: &str, name: &str, max: usize) -> Result<Option<String>> {
        match self.opt_str(key)?.map(|text| text.trim().to_owned()) {
            Some(text) if text.chars().count() > max => {
                Err(Error::bad(format!("{name}长度不能超过{max}个字符")))
            }
            other => Ok(other),
        }
    }

    /// The integer under the first of `keys` that is present (J9 and J11 name some
    /// parameters differently).
    pub fn first_i64(&self, keys: &[&str]) -> Result<Option<i64>> {
        for key in keys {
            if let Some(value) = self.opt_i64(key)? {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    /// A list of ids from a comma string, an array, or a single number; at least one.
    pub fn ids(&self, key: &str, missing: &str) -> Result<Vec<i64>> {
        let ids = match self.raw(key) {
            None => Vec::new(),
            Some(v) => {
                parse_ids(v).ok_or_else(|| Error::bad(format!("参数{key}应为以英文逗号分隔的数字id")))?
            }
        };
        if ids.is_empty() {
            return Err(Error::bad(missing));
        }
        if ids.len() > MAX_IDS {
            return Err(Error::bad(format!("一次最多处理{MAX_IDS}条数据")));
        }
        Ok(ids)
    }

    /// An object given as JSON or as a JSON string (form clients send `data={"…"}`).
    pub fn object(&self, key: &str) -> Result<Option<Map<String, Value>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map.clone())),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                _ => Err(Error::bad(format!("参数{key}应为JSON对象"))),
            },
            Some(_) => Err(Error::bad(format!("参数{key}应为JSON对象"))),
        }
    }

    /// An array given as JSON or as a JSON string.
    pub fn array(&self, key: &str) -> Result<Vec<Value>> {
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(items)) => Ok(items),
                _ => Err(Error::bad(format!("参数{key}应为JSON数组"))),
            },
            Some(_) => Err(Error::bad(format!("参数{key}应为JSON数组"))),
        }
    }
}

pub fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn not_number(key: &str) -> Error {
    Error::bad(format!("参数{key}应为整数"))
}

/// An integer from a JSON number or a numeric string.
pub fn to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Text from a JSON string or number (numbers arrive unquoted from JSON clients).
pub fn to_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Ids from `"1,2"`, `[1,"2"]` or `7`. Any junk element fails the whole list.
pub fn parse_ids(v: &Value) -> Option<Vec<i64>> {
    let ids: Option<Vec<i64>> = match v {
        Value::Array(items) => items.iter().map(|i| to_i64(i).filter(|n| *n > 0)).collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<i64>().ok().filter(|n| *n > 0))
            .collect(),
        Value::Number(n) => n.as_i64().filter(|n| *n > 0).map(|n| vec![n]),
        _ => None,
    };
    let mut ids = ids?;
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn reads_ids_in_every_encoding() {
        assert_eq!(parse_ids(&json!("927847,927846")), Some(vec![927847, 927846]));
        assert_eq!(parse_ids(&json!([1, "2", 2])), Some(vec![1, 2]));
        assert_eq!(parse_ids(&json!(7)), Some(vec![7]));
        assert_eq!(parse_ids(&json!("1,,2,")), Some(vec![1, 2]));
        assert_eq!(parse_ids(&json!("1,abc")), None);
        assert_eq!(parse_ids(&json!("1;drop table crm_leads")), None);
        assert_eq!(parse_ids(&json!([1, -2])), None);
        assert_eq!(parse_ids(&json!({"a": 1})), None);
    }

    proptest! {
        #[test]
        fn comma_lists_round_trip(ids in proptest::collection::vec(1i64..i64::MAX, 1..50)) {
            let text = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let mut unique = ids.clone();
            let mut seen = std::collections::HashSet::new();
            unique.retain(|id| seen.insert(*id));
            prop_assert_eq!(parse_ids(&Value::String(text)), Some(unique));
        }

        #[test]
        fn junk_never_parses_as_ids(junk in "[^0-9,\\s]+") {
            prop_assert_eq!(parse_ids(&Value::String(format!("1,{junk}"))), None);
        }
    }
}
