//! SPEC §1 transport: GET and POST, every encoding, the doubled slash, the envelope for
//! everything that goes wrong before a handler runs.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use hyper::body::Frame;
use serde_json::json;

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
