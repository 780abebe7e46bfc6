//! Login, tokens, logout and the failure limit.

use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_answers_the_seed_shape_in_every_encoding() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let body = app
            .send(
                enc,
                "/api/login",
                json!({"username": "admin", "password": ADMIN_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
        let token = body["Admin-Token"].as_str().unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(body["user"]["username"], "admin");
        assert_eq!(body["user"]["deptName"], "全公司");
        assert!(body["user"].get("password").is_none());
        assert_eq!(body["auth"]["crm"]["leads"]["index"], true);
        assert_eq!(body["isAdmin"], true);
    }
}

#[tokio::test]
async fn tokens_are_stored_hashed() {
    let app = spawn_app().await;
    let stored: Vec<String> = match app.crm.db.pool() {
        wkcrm::store::Pool::Sqlite(pool) => sqlx::query_scalar("SELECT token_hash FROM admin_session")
            .fetch_all(pool)
            .await
            .unwrap(),
        wkcrm::store::Pool::Postgres(pool) => sqlx::query_scalar("SELECT token_hash FROM admin_session")
            .fetch_all(pool)
            .await
            .unwrap(),
    };
    assert!(!stored.is_empty());
    assert!(!stored.contains(&app.token));
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let app = spawn_app().await;
    let body = app
        .send(
            Enc::Form,
            "/api/login",
            json!({"username": "admin", "password": "nope"}),
            None,
        )
        .await;
    assert_error(&body, 500, "用户名或密码错误！");
    let body = app
        .send(
            Enc::Json,
            "/api/login",
            json!({"username": "ghost", "password": "nope"}),
            None,
        )
        .await;
    assert_error(&body, 500, "用户名或密码错误！");
    let body = app
        .send(Enc::Query, "/api/login", json!({"username": ""}), None)
        .await;
    assert_error(&body, 500, "请输入用户名和密码！");
}

#[tokio::test]
async fn five_failures_in_five_minutes_lock_the_username() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let body = app
            .send(
                Enc::Form,
                "/api/login",
                json!({"username": "admin", "password": "bad"}),
                None,
            )
            .await;
        assert_error(&body, 500, "用户名或密码错误！");
    }
    // Even the right password is refused now.
    let body = app
        .send(
            Enc::Form,
            "/api/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
            None,
        )
        .await;
    let msg = body["msg"].as_str().unwrap();
    assert!(
        msg.starts_with("密码错误次数过多，请等") && msg.ends_with("秒后在重试！"),
        "{body}"
    );
    let seconds: i64 = msg
        .trim_start_matches("密码错误次数过多，请等")
        .trim_end_matches("秒后在重试！")
        .parse()
        .unwrap();
    assert!((1..=300).contains(&seconds));
}

#[tokio::test]
async fn a_request_without_a_live_token_must_log_in() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let body = app
            .send(enc, "/api/CrmLeads/queryPageList", json!({}), None)
            .await;
        assert_error(&body, 302, "请先登录！");
        let body = app
            .send(
                enc,
                "/api/CrmLeads/queryPageList",
                json!({}),
                Some("0123456789abcdef0123456789abcdef"),
            )
            .await;
        assert_error(&body, 302, "请先登录！");
    }
}

#[tokio::test]
async fn logout_kills_the_token_in_every_encoding() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let token = app.login("admin", ADMIN_PASSWORD).await;
        let body = app.send(enc, "/api/logout", json!({}), Some(&token)).await;
        assert_eq!(body["code"], 0, "{body}");
        let body = app
            .send(enc, "/api/CrmLeads/queryPageList", json!({}), Some(&token))
            .await;
        assert_error(&body, 302, "请先登录！");
    }
    // The admin's first token is untouched.
    assert_eq!(
        app.post("/api/CrmLeads/queryPageList", json!({})).await["code"],
        0
    );
}

#[tokio::test]
async fn an_idle_token_expires() {
    let app = spawn_app_with(Duration::from_secs(1)).await;
    let lead = app
        .create("CrmLeads", json!({"leads_name": "过期前的线索"}))
        .await;
    let detail = json!({"leadsId": lead});
    assert_eq!(
        app.post("/api/CrmLeads/queryPageList", json!({})).await["code"],
        0
    );
    assert_eq!(
        app.post("/api/CrmLeads/queryById", detail.clone()).await["code"],
        0
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // The detail first: it reads with the session this instance remembers.
    assert_error(
        &app.post("/api/CrmLeads/queryById", detail).await,
        302,
        "请先登录！",
    );
    assert_error(
        &app.post("/api/CrmLeads/queryPageList", json!({})).await,
        302,
        "请先登录！",
    );
}
