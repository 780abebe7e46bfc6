//! Attacks: forged cross-site requests, login floods and parallel guessing, and unbounded
//! inputs.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, header};
use serde_json::{Value, json};
use wkcrm::crm::auth::PasswordChecks;

use crate::helpers::*;

/// A request carrying the login cookie only, with extra headers (`Sec-Fetch-Site`, …).
fn cookie_request(app: &TestApp, method: Method, uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "crm.example.com")
        .header(header::COOKIE, format!("theme=dark; Admin-Token={}", app.token));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn forged_cross_site_requests_change_nothing() {
    let app = spawn_app().await;
    let lead = app.create("CrmLeads", json!({"leads_name": "留着"})).await;
    let victim = app.add_user("victim", "受害者").await;
    let forged = [
        "/api/system/user/addUser?username=evil&password=evil-pass-1&realname=x&roleIds=1".to_owned(),
        format!("/api/CrmLeads/deleteByIds?ids={lead}"),
        format!("/api/system/user/resetPassword?userIds={victim}&password=owned-123"),
    ];
    let cross_site: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example.net")],
        // No proof of origin at all (an old browser following a link).
        &[],
    ];
    for uri in &forged {
        for headers in cross_site {
            for method in [Method::GET, Method::POST] {
                let (_, body) = app.raw(cookie_request(&app, method, uri, headers)).await;
                assert_error(
                    &body,
                    401,
                    "跨站请求已拒绝，请从本系统页面操作或使用Admin-Token请求头",
                );
            }
        }
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM admin_user WHERE username = 'evil'").await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM crm_leads WHERE leads_id = {lead}")
        )
        .await,
        1
    );
    assert_eq!(
        app.login("victim", "secret-1").await.len(),
        32,
        "the password is unchanged"
    );
}

#[tokio::test]
async fn the_cookie_works_from_our_own_pages_and_the_header_from_anywhere() {
    let app = spawn_app().await;
    let list = "/api/CrmLeads/queryPageList";
    let same_site: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        &[("origin", "https://crm.example.com")],
        &[("referer", "https://crm.example.com/index.html#/crm/leads")],
    ];
    for headers in same_site {
        let (_, body) = app.raw(cookie_request(&app, Method::GET, list, headers)).await;
        assert_eq!(body["code"], 0, "{headers:?}: {body}");
    }
    // A lookalike host in the Referer proves nothing.
    let (_, body) = app
        .raw(cookie_request(
            &app,
            Method::GET,
            list,
            &[("referer", "https://crm.example.com.evil.net/")],
        ))
        .await;
    assert_eq!(body["code"], 401, "{body}");
    // The Admin-Token header is what integrations and the web client send: GET and POST work.
    for enc in ENCODINGS {
        let body = app
            .send(
                enc,
                "/api/CrmLeads/addOrUpdate",
                json!({"entity": {"leads_name": "头部令牌"}}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body["code"], 0, "{enc:?}: {body}");
    }
    let req = Request::builder()
        .uri(list)
        .header("Admin-Token", &app.token)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.raw(req).await.1["code"], 0);
}

#[tokio::test]
async fn the_login_cookie_is_strict_and_http_only() {
    let app = spawn_app().await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=admin&password={ADMIN_PASSWORD}")))
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.app.clone(), req).await.unwrap();
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

/// A login from `ip` (as the socket's peer address).
async fn login_from(app: &TestApp, ip: [u8; 4], username: &str, password: &str) -> Value {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={username}&password={password}")))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
    app.raw(req).await.1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_checked_no_more_than_the_limit_on_two_instances() {
    let app = spawn_app().await;
    app.add_user("target", "目标").await;
    let apps = [Arc::new(app.second_instance().await), Arc::new(app)];
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let app = apps[i % 2].clone();
            tokio::spawn(
                async move { login_from(&app, [10, 0, 0, (i % 7) as u8], "target", "wrong-guess").await },
            )
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert_eq!(
        tally(&answers),
        BTreeMap::from([
            ("500 用户名或密码错误！".to_owned(), 5),
            ("500 密码错误次数过多，请等N秒后在重试！".to_owned(), 25),
        ]),
        "exactly the allowed number of guesses were checked"
    );
}

#[tokio::test]
async fn failures_are_limited_per_address_whatever_the_usernames() {
    let app = spawn_app().await;
    let attacker = [10, 1, 2, 3];
    for i in 0..30 {
        let body = login_from(&app, attacker, &format!("nobody{i}"), "guess").await;
        assert_error(&body, 500, "用户名或密码错误！");
    }
    let body = login_from(&app, attacker, "nobody-else", "guess").await;
    let msg = body["msg"].as_str().unwrap();
    assert!(
        msg.starts_with("登录失败次数过多，请等") && msg.ends_with("秒后再试"),
        "{body}"
    );
    let body = login_from(&app, attacker, "admin", ADMIN_PASSWORD).await;
    assert!(
        body["msg"].as_str().unwrap().starts_with("登录失败次数过多"),
        "even a right password: {body}"
    );
    // Another address is not affected.
    let body = login_from(&app, [10, 9, 9, 9], "admin", ADMIN_PASSWORD).await;
    assert_eq!(body["code"], 0, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_checks_are_capped_and_the_rest_told_to_retry() {
    let app = spawn_app().await;
    let mut crm = app.crm.clone();
    crm.password_checks = Arc::new(PasswordChecks::new(1, Duration::from_millis(1)));
    let capped = Arc::new(wkcrm::http::app(crm, 1024 * 1024));
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let app = capped.clone();
            tokio::spawn(async move {
                let req = Request::builder()
                    .method(Method::POST)
                    .uri("/api/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!("username=flood{i}&password=guess")))
                    .unwrap();
                let res = tower::ServiceExt::oneshot((*app).clone(), req).await.unwrap();
                let bytes = http_body_util::BodyExt::collect(res.into_body())
                    .await
                    .unwrap()
                    .to_bytes();
                serde_json::from_slice::<Value>(&bytes).unwrap()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let counts = tally(&answers);
    let busy = counts.get("500 登录繁忙，请稍后重试").copied().unwrap_or(0);
    let checked = counts.get("500 用户名或密码错误！").copied().unwrap_or(0);
    assert!(
        busy > 0,
        "with one check at a time and no wait, parallel logins are turned away"
    );
    assert_eq!(busy + checked, 12);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM admin_login_failure").await,
        checked as i64,
        "a login turned away unchecked is not counted as a failure"
    );
}

#[tokio::test]
async fn every_unbounded_input_has_a_limit_and_a_message() {
    let app = spawn_app().await;
    let many = |n: usize| -> Value {
        (0..n)
            .map(|i| (format!("字段{i}"), json!({"condition": "is", "value": "x"})))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let long = |n: usize| "长".repeat(n);
    let list = "/api/CrmLeads/queryPageList";
    let cases: Vec<(&str, Value, &str)> = vec![
        (list, json!({"search": long(101)}), "搜索关键字不能超过100个字符"),
        (
            "/api/system/user/queryUserList",
            json!({"search": long(101)}),
            "搜索关键字不能超过100个字符",
        ),
        (list, json!({"data": many(101)}), "筛选条件不能超过100个"),
        (
            list,
            json!({"searchList": (0..101).map(|_| json!({"name": "leads_name", "type": 1, "values": ["x"]})).collect::<Vec<_>>()}),
            "筛选条件不能超过100个",
        ),
        (
            list,
            json!({"data": {"leads_name": {"condition": "in", "value": (0..32768).map(|i| i.to_string()).collect::<Vec<_>>()}}}),
            "筛选条件leads_name的值不能超过1000个",
        ),
        (
            list,
            json!({"data": {"leads_name": {"condition": "contains", "value": long(50_000)}}}),
            "筛选条件leads_name的值长度不能超过1000个字符",
        ),
        (
            "/api/scene/addScene",
            json!({"type": 1, "name": "太多", "data": many(101)}),
            "筛选条件不能超过100个",
        ),
        (
            "/api/system/role/add",
            json!({"roleName": "大", "remark": long(501)}),
            "备注长度不能超过500个字符",
        ),
        (
            "/api/system/dept/addDept",
            json!({"name": "大", "remark": long(501)}),
            "备注长度不能超过500个字符",
        ),
        (
            "/api/field/addField",
            json!({"label": 1, "name": "多选", "formType": "select", "options": (0..201).map(|i| format!("o{i}")).collect::<Vec<_>>()}),
            "选项不能超过200个",
        ),
        (
            "/api/field/addField",
            json!({"label": 1, "name": "长选", "formType": "select", "options": [long(101)]}),
            "每个选项长度不能超过100个字符",
        ),
        (
            "/api/field/addField",
            json!({"label": 1, "name": "提示", "formType": "text", "inputTips": long(201)}),
            "提示信息长度不能超过200个字符",
        ),
    ];
    for (path, params, msg) in cases {
        let body = app.post(path, params).await;
        assert_error(&body, 400, msg);
    }
    // At the limits everything is accepted.
    let body = app.post(list, json!({"search": long(100)})).await;
    assert_eq!(body["code"], 0, "{body}");
    let body = app
        .post(
            list,
            json!({"data": {"leads_name": {"condition": "contains", "value": long(1000)}}}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_scene WHERE name = '太多'").await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM crm_field WHERE name IN ('多选','长选','提示')"
        )
        .await,
        0
    );
}
