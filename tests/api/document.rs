//! Every key the document's response examples show is in our answers, with the same JSON
//! type where both have a value. The examples are read from the document itself
//! (`docs/72crm-open-api.txt`), so a key it shows can never silently go missing.

use serde_json::{Map, Value, json};

use crate::helpers::*;

const DOCUMENT: &str = include_str!("../../docs/72crm-open-api.txt");

/// `(path, example response)` for every `接口地址` whose `示例响应` parses as JSON once the
/// document's `...` placeholders are made valid.
fn examples() -> Vec<(String, Value)> {
    let lines: Vec<&str> = DOCUMENT.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(rest) = lines[i].trim().strip_prefix("接口地址：") {
            let path = rest
                .trim()
                .trim_start_matches("https://www.72crm.com")
                .replace("//api", "/api");
            let mut start = i;
            while start < lines.len() && !lines[start].contains("示例响应") {
                start += 1;
            }
            while start < lines.len() && !lines[start].trim().starts_with('{') {
                start += 1;
            }
            let (mut depth, mut end) = (0i32, start);
            while end < lines.len() {
                depth += lines[end].matches('{').count() as i32 - lines[end].matches('}').count() as i32;
                if depth == 0 && !lines[end].trim().is_empty() {
                    break;
                }
                end += 1;
            }
            if let Some(block) = lines.get(start..=end.min(lines.len() - 1))
                && let Ok(value) = serde_json::from_str::<Value>(&valid_json(block))
            {
                found.push((path, value));
            }
            i = end;
        }
        i += 1;
    }
    found
}

/// The document writes `...` for elided members and items; they become `"...": null` in
/// objects and `null` in arrays, with commas mended.
fn valid_json(block: &[&str]) -> String {
    let mut stack = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in block.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if line == "..." || line == "…" {
            let token = if stack.last() == Some(&'{') {
                "\"...\": null"
            } else {
                "null"
            };
            lines.push(token.to_owned());
            continue;
        }
        for ch in line.chars() {
            match ch {
                '{' | '[' => stack.push(ch),
                '}' | ']' => {
                    stack.pop();
                }
                _ => {}
            }
        }
        lines.push(line.to_owned());
    }
    let closes = |l: Option<&String>| l.is_some_and(|l| l.starts_with('}') || l.starts_with(']'));
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1);
        let mut line = line.clone();
        if closes(next) {
            line = line.trim_end_matches(',').to_owned();
        } else if (line.ends_with("null") && line.contains("...") || line == "null") && next.is_some() {
            line.push(',');
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What our answer lacks of the example: missing keys, and keys of another type.
fn differences(what: &str, example: &Map<String, Value>, ours: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in example.iter().filter(|(k, _)| k.as_str() != "...") {
        match ours.get(key) {
            None => out.push(format!("{what}: no {key}")),
            Some(mine) if !value.is_null() && !mine.is_null() && json_type(value) != json_type(mine) => out
                .push(format!(
                    "{what}: {key} is {} where the document has {}",
                    json_type(mine),
                    json_type(value)
                )),
            _ => {}
        }
    }
    out
}

fn object(v: &Value) -> &Map<String, Value> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}"))
}

#[tokio::test]
async fn every_key_of_the_documents_examples_is_answered() {
    let examples = examples();
    let example = |path: &str, nth: usize| -> Value {
        examples
            .iter()
            .filter(|(p, _)| p == path)
            .nth(nth)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("the document's example for {path} (#{nth})"))
    };
    let app = spawn_app().await;
    let login = app
        .send(
            Enc::Form,
            "/api/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
            None,
        )
        .await;
    let mut problems = differences("login", object(&example("/api/login", 0)), object(&login));
    problems.extend(differences(
        "login.user",
        object(&example("/api/login", 0)["user"]),
        object(&login["user"]),
    ));

    let cust = app
        .create("CrmCustomer", json!({"customer_name": "示例客户"}))
        .await;
    // The contacts detail example sits under the customer's detail path in the document.
    let details = [
        ("CrmLeads", "/api/CrmLeads/queryById", 0),
        ("CrmCustomer", "/api/CrmCustomer/queryById", 0),
        ("CrmContacts", "/api/CrmCustomer/queryById", 1),
        ("CrmBusiness", "/api/CrmBusiness/queryById", 0),
    ];
    for (m, (route, detail_path, nth)) in MODULES.iter().zip(details) {
        let id = app.create(route, m.entity(&format!("{route}示例"), cust)).await;
        let page = app.list(route, json!({})).await;
        let documented = example(&format!("/api/{route}/queryPageList"), 0)["data"].clone();
        problems.extend(differences(
            &format!("{route} page"),
            object(&documented),
            object(&page),
        ));
        let row = page["list"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[m.id_key] == id)
            .unwrap()
            .clone();
        problems.extend(differences(
            &format!("{route} row"),
            object(&documented["list"][0]),
            object(&row),
        ));
        let detail = app.post(&m.path("queryById"), json!({ m.id_key: id })).await;
        let documented = example(detail_path, nth)["data"].clone();
        problems.extend(differences(
            &format!("{route} detail"),
            object(&documented),
            object(&detail["data"]),
        ));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_document_yields_the_examples_this_test_reads() {
    let paths: Vec<String> = examples().into_iter().map(|(p, _)| p).collect();
    for path in [
        "/api/login",
        "/api/CrmLeads/queryPageList",
        "/api/CrmCustomer/queryById",
        "/api/CrmBusiness/queryById",
    ] {
        assert!(paths.iter().any(|p| p == path), "{path} in {paths:?}");
    }
    let valid: Value = serde_json::from_str(&valid_json(&[
        "{", "\"a\": {", "...", "},", "\"b\": [", "...", "]", "}",
    ]))
    .unwrap();
    assert_eq!(valid, json!({"a": {"...": null}, "b": [null]}));
}
