//! Several instances on one database behave as one server.

use serde_json::json;

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
