//! SPEC §1 transport: GET and POST, every encoding, the doubled slash, the envelope for
//! everything that goes wrong before a handler runs.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use hyper::body::Frame;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn health_answers_without_a_token() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let body = app.send(enc, "/api/health", json!({}), None).await;
        assert_eq!(body["code"], 0);
        assert_eq!(body["data"]["status"], "ok");
    }
}

#[tokio::test]
async fn a_doubled_slash_reaches_the_same_handler() {
    let app = spawn_app().await;
    let id = app
        .create("CrmCustomer", json!({"customer_name": "寒池科技"}))
        .await;
    let contact = app
        .create("CrmContacts", json!({"name": "寒池", "customer_id": id}))
        .await;
    let body = app
        .post(
            "//api/CrmContacts/deleteByIds",
            json!({"contactsIds": contact.to_string()}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let body = app
        .post("/api/CrmContacts/queryById", json!({"contactsId": contact}))
        .await;
    assert_error(&body, 500, "联系人不存在或已删除");
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_envelope() {
    let app = spawn_app().await;
    let req = Request::builder()
        .uri("/api/NoSuch/thing")
        .body(Body::empty())
        .unwrap();
    let (status, body) = app.raw(req).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, 404, "资源未找到");
    let req = Request::builder()
        .method(Method::PUT)
        .uri("/api/health")
        .body(Body::empty())
        .unwrap();
    let (status, body) = app.raw(req).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["code"], 405);
}

fn json_post(app: &TestApp, path: &str, body: &'static str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("Admin-Token", &app.token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn malformed_json_is_a_clear_400() {
    let app = spawn_app().await;
    let (status, body) = app
        .raw(json_post(&app, "/api/CrmLeads/addOrUpdate", "{\"entity\": {"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["code"], 400);
    assert!(
        body["msg"].as_str().unwrap().starts_with("JSON格式错误"),
        "{body}"
    );
    let (_, body) = app
        .raw(json_post(&app, "/api/CrmLeads/queryPageList", "[1,2]"))
        .await;
    assert_error(&body, 400, "JSON请求体应为对象");
    let (_, body) = app
        .raw(json_post(
            &app,
            "/api/CrmLeads/addOrUpdate",
            "{\"entity\": \"oops\"}",
        ))
        .await;
    assert_error(&body, 400, "参数entity应为JSON对象");
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_the_envelope() {
    let app = spawn_app().await;
    let big = format!(
        "{{\"entity\":{{\"leads_name\":\"{}\"}}}}",
        "x".repeat(2 * 1024 * 1024)
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/addOrUpdate")
        .header("Admin-Token", &app.token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .unwrap();
    let (status, body) = app.raw(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(&body, 400, "请求体过大");
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 0);
}

#[tokio::test]
async fn multipart_fields_and_body_over_query_precedence() {
    let app = spawn_app().await;
    let id = app.create("CrmLeads", json!({"leads_name": "多部件"})).await;
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"leadsId\"\r\n\r\n{id}\r\n--{boundary}--\r\n"
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/queryById?leadsId=999999")
        .header("Admin-Token", &app.token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let (_, body) = app.raw(req).await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(body["data"]["leadsName"], "多部件");
}

#[tokio::test]
async fn numbers_may_arrive_as_strings_and_id_lists_as_arrays() {
    let app = spawn_app().await;
    for i in 0..3 {
        app.create("CrmLeads", json!({"leads_name": format!("线索{i}")}))
            .await;
    }
    let data = app.list("CrmLeads", json!({"page": "1", "limit": "2"})).await;
    assert_eq!(data["list"].as_array().unwrap().len(), 2);
    let ids: Vec<i64> = app.list_ids("CrmLeads", "leadsId", json!({})).await;
    let body = app
        .post(
            "/api/CrmLeads/deleteByIds",
            json!({"leadsIds": [ids[0], ids[1].to_string()]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 1);
}

#[tokio::test]
async fn openapi_document_lists_every_module_route() {
    let app = spawn_app().await;
    let req = Request::builder()
        .uri("/api/openapi.json")
        .body(Body::empty())
        .unwrap();
    let (status, doc) = app.raw(req).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/login",
        "/api/CrmLeads/changeOwnerUser",
        "/api/CrmBusiness/queryPageList",
        "/api/CrmCustomer/transfer",
    ] {
        assert!(paths.contains_key(path), "{path} missing");
        assert!(paths[path].get("post").is_some());
    }
    // Every documented route is served: none answers 404.
    for path in paths.keys() {
        let req = Request::builder().uri(path).body(Body::empty()).unwrap();
        let (status, body) = app.raw(req).await;
        assert_ne!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_ne!(body["code"], 404, "{path}: {body}");
    }
}

/// A multipart body of one part, with a file name when `file` is given.
fn multipart(app: &TestApp, name: &str, file: Option<&str>, content: &str) -> Request<Body> {
    let boundary = "XyZ";
    let filename = file.map(|f| format!("; filename=\"{f}\"")).unwrap_or_default();
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{filename}\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/queryPageList")
        .header("Admin-Token", &app.token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn an_oversized_body_is_too_large_in_every_encoding() {
    let app = spawn_app().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let form = Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/queryPageList")
        .header("Admin-Token", &app.token)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("search={big}")))
        .unwrap();
    let requests = [
        ("a file part", multipart(&app, "file", Some("leads.csv"), &big)),
        ("a text part", multipart(&app, "search", None, &big)),
        ("a form", form),
    ];
    for (what, req) in requests {
        let (status, body) = app.raw(req).await;
        assert_eq!(status, StatusCode::OK, "{what}");
        assert_error(&body, 400, "请求体过大");
    }
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_arrives() {
    let app = spawn_app().await;
    for content_type in ["application/json", "multipart/form-data; boundary=XyZ"] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/CrmLeads/queryPageList")
            .header("Admin-Token", &app.token)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, 60 * 1024 * 1024)
            .body(Body::new(StalledBody(Some(Bytes::from_static(b"search=")))))
            .unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(5), app.raw(req)).await;
        let (_, body) = answer.expect("answered without waiting for the body");
        assert_error(&body, 400, "请求体过大");
    }
}

/// A request body of one chunk that then never ends: only the declared length can answer.
struct StalledBody(Option<Bytes>);

impl hyper::body::Body for StalledBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.0.take() {
            Some(chunk) => Poll::Ready(Some(Ok(Frame::data(chunk)))),
            None => Poll::Pending,
        }
    }
}

/// Each way a control character can ride in, with the top-level key the refusal names.
fn control_char_cases(c: char, shown: &str) -> Vec<(Value, String)> {
    let lead = json!({"leads_name": "正常线索"});
    vec![
        (
            json!({"entity": {"leads_name": format!("线索{c}")}}),
            "entity".into(),
        ),
        (
            json!({"entity": lead, "search": format!("x{c}")}),
            "search".into(),
        ),
        (
            json!({"entity": {"leads_name": "正常线索", format!("k{c}"): "v"}}),
            "entity".into(),
        ),
        (json!({"entity": lead, format!("k{c}"): "v"}), format!("k{shown}")),
        (
            json!({"entity": lead, "field": [{"fieldId": 1, "value": format!("{c}")}]}),
            "field".into(),
        ),
    ]
}

#[tokio::test]
async fn control_characters_are_refused_wherever_they_appear_and_nothing_is_written() {
    let app = spawn_app().await;
    for (c, shown) in [('\0', "\\0"), ('\u{7}', "\\u{7}"), ('\u{85}', "\\u{85}")] {
        for (params, key) in control_char_cases(c, shown) {
            for enc in ENCODINGS {
                let body = app
                    .send(enc, "/api/CrmLeads/addOrUpdate", params.clone(), Some(&app.token))
                    .await;
                let msg = format!("参数不能包含控制字符：{key}");
                assert_eq!(
                    (body["code"].clone(), body["msg"].clone()),
                    (json!(400), json!(msg)),
                    "{enc:?} {params}"
                );
            }
        }
    }
    // Raw in a form value (not behind a JSON escape), and raw in the query string.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/addOrUpdate?search=%00")
        .header("Admin-Token", &app.token)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("entity=%7B%22leads_name%22%3A%22a%07b%22%7D"))
        .unwrap();
    let (_, body) = app.raw(req).await;
    assert_eq!(body["code"], 400, "{body}");
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 0);
}

async fn lead_text(app: &TestApp, id: i64) -> (Value, Value) {
    let body = app.post("/api/CrmLeads/queryById", json!({"leadsId": id})).await;
    assert_eq!(body["code"], 0, "{body}");
    (body["data"]["leadsName"].clone(), body["data"]["remark"].clone())
}

#[tokio::test]
async fn tabs_and_line_breaks_are_kept() {
    let app = spawn_app().await;
    let (name, remark) = ("甲\t乙", "第一行\n第二行\r\n第三行");
    for enc in ENCODINGS {
        let params = json!({"entity": {"leads_name": name, "remark": remark}});
        let body = app
            .send(enc, "/api/CrmLeads/addOrUpdate", params, Some(&app.token))
            .await;
        assert_eq!(body["code"], 0, "{enc:?} {body}");
        let id = body["data"].as_i64().unwrap();
        assert_eq!(lead_text(&app, id).await, (json!(name), json!(remark)), "{enc:?}");
    }
}

/// Short text mixing letters, Chinese, astral characters (emoji and beyond), ASCII and C1
/// controls, line breaks and the noncharacters. Blank text is left out: the engine stores
/// it as an empty string (or refuses a blank name), which is neither outcome under test.
fn any_text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        proptest::char::range('a', 'z'),
        proptest::char::range('\u{4e00}', '\u{9fff}'),
        proptest::char::range('\u{1f300}', '\u{1faff}'),
        proptest::char::range('\u{10000}', '\u{10ffff}'),
        proptest::char::range('\0', '\u{9f}'),
        proptest::sample::select(vec!['\t', '\n', '\r', '\u{fffe}', '\u{ffff}']),
    ];
    proptest::collection::vec(c, 1..16)
        .prop_map(String::from_iter)
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[test]
fn any_text_round_trips_or_is_refused_never_a_500() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(spawn_app());
    let saved = std::cell::Cell::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&(any_text(), any_text()), |(name, remark)| {
        runtime.block_on(async {
            let entity = json!({"leads_name": name, "remark": remark});
            let body = app
                .post("/api/CrmLeads/addOrUpdate", json!({ "entity": entity }))
                .await;
            if has_control(&name) || has_control(&remark) {
                prop_assert_eq!(&body["msg"], "参数不能包含控制字符：entity", "{}", body);
                prop_assert_eq!(&body["code"], 400);
                return Ok(());
            }
            prop_assert_eq!(&body["code"], 0, "{}", body);
            saved.set(saved.get() + 1);
            let id = body["data"].as_i64().unwrap();
            prop_assert_eq!(lead_text(&app, id).await, (json!(name), json!(remark)));
            Ok(())
        })
    });
    outcome.unwrap();
    let total = runtime.block_on(app.list("CrmLeads", json!({})))["totalRow"].clone();
    assert_eq!(total, json!(saved.get()), "refused text writes nothing");
}
