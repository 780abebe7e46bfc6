//! Ownership limits (客户规则): owned and locked customers per user or department.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

async fn rule(app: &TestApp, params: Value) -> Value {
    app.post("/api/CrmCustomer/customerSetting", params).await
}

async fn create_as(app: &TestApp, token: &str, name: &str) -> Value {
    app.post_as(
        token,
        "/api/CrmCustomer/addOrUpdate",
        json!({"entity": {"customer_name": name}}),
    )
    .await
}

#[tokio::test]
async fn owned_limits_hold_on_create_transfer_and_receive() {
    let app = spawn_app().await;
    let (clerk, token) = salesperson(&app, "limit_clerk").await;
    let body = rule(&app, json!({"settingName": "销售上限", "type": 1, "customerNum": 2, "customerDeal": 0, "userIds": [clerk]})).await;
    let setting = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(create_as(&app, &token, "一号").await["code"], 0);
    let second = create_as(&app, &token, "二号").await["data"].as_i64().unwrap();
    assert_error(
        &create_as(&app, &token, "三号").await,
        500,
        "拥有客户已达上限，无法新增",
    );
    // Dealt customers do not count (customerDeal 0).
    app.post(
        "/api/CrmCustomer/setDealStatus",
        json!({"ids": second, "dealStatus": 1}),
    )
    .await;
    assert_eq!(create_as(&app, &token, "三号").await["code"], 0);
    assert_error(
        &app.post(
            "/api/CrmCustomer/setDealStatus",
            json!({"ids": second, "dealStatus": 0}),
        )
        .await,
        500,
        "所选客户中有负责人拥有客户数已达上限",
    );
    // Transfers and receipts to a user at its limit are refused, and change nothing.
    let mine = app
        .create("CrmCustomer", json!({"customer_name": "管理员的"}))
        .await;
    assert_error(
        &app.post(
            "/api/CrmCustomer/transfer",
            json!({"customerIds": mine, "newOwnerUserId": clerk}),
        )
        .await,
        500,
        "该员工拥有客户数已达上限",
    );
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": mine}))
        .await;
    assert_eq!(detail["data"]["ownerUserId"], 1);
    app.post("/api/CrmCustomer/updateCustomerByIds", json!({"ids": mine}))
        .await;
    assert_error(
        &app.post_as(&token, "/api/CrmCustomer/receiveByIds", json!({"ids": mine}))
            .await,
        500,
        "该员工拥有客户数已达上限",
    );
    // The list, a second rule over the same user refused, and deleting lifts the limit.
    let page = app
        .post("/api/CrmCustomer/queryCustomerSetting", json!({"type": 1}))
        .await;
    assert_eq!(page["data"]["totalRow"], 1);
    assert_eq!(page["data"]["list"][0]["userIds"], clerk.to_string());
    assert_eq!(page["data"]["list"][0]["customerNum"], 2);
    assert_error(
        &rule(
            &app,
            json!({"type": 1, "customerNum": 9, "userIds": clerk.to_string()}),
        )
        .await,
        500,
        "已经有员工或部门信息包含在别的规则里面",
    );
    assert_eq!(
        app.post(
            "/api/CrmCustomer/deleteCustomerSetting",
            json!({"settingId": setting})
        )
        .await["code"],
        0
    );
    assert_eq!(
        app.post_as(&token, "/api/CrmCustomer/receiveByIds", json!({"ids": mine}))
            .await["code"],
        0
    );
    for (params, code, msg) in [
        (json!({"type": 1, "userIds": [clerk]}), 400, "客户数不能为空"),
        (
            json!({"type": 3, "customerNum": 1, "userIds": [clerk]}),
            400,
            "type只能为1（拥有客户数）或2（锁定客户数）",
        ),
        (
            json!({"type": 1, "customerNum": 1}),
            400,
            "请选择适用的员工或部门",
        ),
        (
            json!({"type": 1, "customerNum": 1, "deptIds": [999]}),
            500,
            "部门不存在：999",
        ),
    ] {
        assert_error(&rule(&app, params).await, code, msg);
    }
    assert_error(
        &app.post_as(
            &token,
            "/api/CrmCustomer/customerSetting",
            json!({"type": 1, "customerNum": 1, "userIds": [clerk]}),
        )
        .await,
        401,
        "无权操作",
    );
}

#[tokio::test]
async fn a_departments_lock_limit_holds() {
    let app = spawn_app().await;
    let a = app.create("CrmCustomer", json!({"customer_name": "锁一"})).await;
    let b = app.create("CrmCustomer", json!({"customer_name": "锁二"})).await;
    // 全公司 (department 1) holds the admin.
    assert_eq!(
        rule(&app, json!({"type": 2, "customerNum": 1, "deptIds": "1"})).await["code"],
        0
    );
    assert_eq!(
        app.post("/api/CrmCustomer/lock", json!({"ids": a, "isLock": 1}))
            .await["code"],
        0
    );
    assert_error(
        &app.post("/api/CrmCustomer/lock", json!({"ids": b, "isLock": 1}))
            .await,
        500,
        "有员工可锁定客户数达到上限",
    );
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": b}))
        .await;
    assert_eq!(detail["data"]["isLock"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creates_on_two_instances_stop_at_the_limit() {
    let first = spawn_app().await;
    let second = Arc::new(first.second_instance().await);
    let first = Arc::new(first);
    let (clerk, token) = salesperson(&first, "race_limit").await;
    assert_eq!(
        rule(&first, json!({"type": 1, "customerNum": 3, "userIds": [clerk]})).await["code"],
        0
    );
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            let token = token.clone();
            tokio::spawn(async move { create_as(&app, &token, &format!("并发{i}")).await })
        })
        .collect();
    let mut bodies = Vec::new();
    for t in tasks {
        bodies.push(t.await.unwrap());
    }
    let counts = tally(&bodies);
    assert_eq!(counts.get("ok"), Some(&3), "{counts:?}");
    assert_eq!(
        counts.get("500 拥有客户已达上限，无法新增"),
        Some(&7),
        "{counts:?}"
    );
}
