//! Several instances on one database behave as one server.

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_token_from_instance_a_works_on_instance_b() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let id = a.create("CrmLeads", json!({"leads_name": "共享线索"})).await;
    let body = b.post("/api/CrmLeads/queryById", json!({"leadsId": id})).await;
    assert_eq!(body["data"]["leadsName"], "共享线索", "{body}");
    // Logging out on B ends the session on A too.
    assert_eq!(b.post("/api/logout", json!({})).await["code"], 0);
    assert_error(
        &a.post("/api/CrmLeads/queryPageList", json!({})).await,
        302,
        "请先登录！",
    );
}

#[tokio::test]
async fn login_failures_are_counted_across_instances() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        app.send(
            Enc::Form,
            "/api/login",
            json!({"username": "admin", "password": "bad"}),
            None,
        )
        .await;
    }
    let body = b
        .send(
            Enc::Form,
            "/api/login",
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
            None,
        )
        .await;
    assert!(
        body["msg"].as_str().unwrap().starts_with("密码错误次数过多"),
        "{body}"
    );
}

#[tokio::test]
async fn two_instances_starting_together_migrate_and_seed_once() {
    let (url, _files) = fresh_database().await;
    let idle = std::time::Duration::from_secs(60);
    let ((a, _), (b, _)) = tokio::join!(instance(&url, idle), instance(&url, idle));
    assert_eq!(a.db.backend(), b.db.backend());
    let page = a
        .user_page(
            <wkcrm::crm::users::UserQuery as wkcrm::crm::Parse>::parse(wkcrm::crm::Input(
                &serde_json::Map::new(),
            ))
            .unwrap(),
        )
        .await
        .unwrap();
    let list = serde_json::to_value(page).unwrap();
    assert_eq!(list["totalRow"], 1, "exactly one admin: {list}");
}

/// Rights, data scopes and the field catalogue are cached per instance; a change made on
/// another instance, or straight in SQL, must show on the very next request all the same.
#[tokio::test]
async fn settings_changed_elsewhere_are_seen_at_once_though_cached() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let lead = a.create("CrmLeads", json!({"leads_name": "管理员的线索"})).await;
    let (_, token) = salesperson(&a, "cached01").await;
    let visible = |body: Value| {
        body["data"]["totalRow"]
            .as_i64()
            .unwrap_or_else(|| panic!("{body}"))
    };
    let list = "/api/CrmLeads/queryPageList";
    // Twice, so the second answer comes from instance A's cache.
    for _ in 0..2 {
        assert_eq!(
            visible(a.post_as(&token, list, json!({})).await),
            0,
            "本人 sees none"
        );
    }
    // By hand in SQL: the 销售员 role (seeded role 3) now reaches all data.
    exec_sql(&a, "UPDATE admin_role SET data_type = 5 WHERE role_id = 3").await;
    assert_eq!(
        visible(a.post_as(&token, list, json!({})).await),
        1,
        "全部 sees the lead"
    );
    let detail = a
        .post_as(&token, "/api/CrmLeads/queryById", json!({"leadsId": lead}))
        .await;
    assert_eq!(detail["code"], 0, "{detail}");

    // Through instance B: a custom field, then a role without the leads rights.
    let shown = |body: Value| body["data"].as_array().map_or(0, Vec::len);
    let before = shown(a.post("/api/field/queryField", json!({"label": 1})).await);
    let field = json!({"label": 1, "name": "新字段", "formType": "text"});
    assert_eq!(b.post("/api/field/addField", field).await["code"], 0);
    let after = shown(a.post("/api/field/queryField", json!({"label": 1})).await);
    assert_eq!(after, before + 1, "A lists the field B added");
    exec_sql(&b, "DELETE FROM admin_role_menu WHERE role_id = 3").await;
    let body = a.post_as(&token, list, json!({})).await;
    assert_error(&body, 401, "无权访问");
}

/// A detail read on an instance that remembers the caller's session checks it in the read
/// itself: whatever another instance did to the session, its user or their rights since is
/// seen by the next read.
#[tokio::test]
async fn a_remembered_session_is_checked_by_each_detail_read() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let (user, token) = salesperson(&a, "remember01").await;
    let created = a
        .post_as(
            &token,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "自己的线索"}}),
        )
        .await;
    let lead = created["data"].as_i64().unwrap_or_else(|| panic!("{created}"));
    let detail = |token: String| {
        let a = &a;
        async move {
            a.post_as(&token, "/api/CrmLeads/queryById", json!({"leadsId": lead}))
                .await
        }
    };
    let shows_lead = |body: Value| assert_eq!(body["data"]["leadsName"], "自己的线索", "{body}");
    // Read twice on A (the second with the session remembered), then logged out on B.
    shows_lead(detail(token.clone()).await);
    shows_lead(detail(token.clone()).await);
    assert_eq!(b.post_as(&token, "/api/logout", json!({})).await["code"], 0);
    assert_error(&detail(token).await, 302, "请先登录！");

    // Disabled through B.
    let token = a.login("remember01", "secret-1").await;
    shows_lead(detail(token.clone()).await);
    shows_lead(detail(token.clone()).await);
    exec_sql(
        &b,
        &format!("UPDATE admin_user SET status = 0 WHERE user_id = {user}"),
    )
    .await;
    assert_error(&detail(token).await, 302, "请先登录！");

    // Rights taken away through B.
    exec_sql(
        &b,
        &format!("UPDATE admin_user SET status = 1 WHERE user_id = {user}"),
    )
    .await;
    let token = a.login("remember01", "secret-1").await;
    shows_lead(detail(token.clone()).await);
    shows_lead(detail(token.clone()).await);
    exec_sql(
        &b,
        "CREATE TABLE kept_rights AS SELECT * FROM admin_role_menu WHERE role_id = 3",
    )
    .await;
    exec_sql(&b, "DELETE FROM admin_role_menu WHERE role_id = 3").await;
    assert_error(&detail(token.clone()).await, 401, "无权访问");
    // And given back: A remembers the caller without them.
    exec_sql(&b, "INSERT INTO admin_role_menu SELECT * FROM kept_rights").await;
    shows_lead(detail(token).await);
}
