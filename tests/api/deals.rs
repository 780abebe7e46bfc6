//! Customers' deal status and lock.

use serde_json::{Value, json};

use crate::helpers::*;

async fn customer(app: &TestApp, id: i64) -> Value {
    app.post("/api/CrmCustomer/queryById", json!({"customerId": id}))
        .await["data"]
        .clone()
}

async fn history_text(app: &TestApp, id: i64) -> String {
    app.post(
        "/api/CrmRecord/queryRecordList",
        json!({"actionId": id, "types": 2}),
    )
    .await["data"]
        .to_string()
}

#[tokio::test]
async fn deal_status_is_set_filtered_and_unlocks() {
    let app = spawn_app().await;
    let a = app
        .create("CrmCustomer", json!({"customer_name": "成交甲"}))
        .await;
    let b = app
        .create("CrmCustomer", json!({"customer_name": "未成交乙"}))
        .await;
    assert_eq!(
        app.post("/api/CrmCustomer/lock", json!({"ids": a, "isLock": 1}))
            .await["code"],
        0
    );
    assert_eq!(customer(&app, a).await["isLock"], 1);
    // The document's form encoding.
    let body = app
        .send(
            Enc::Form,
            "/api/CrmCustomer/setDealStatus",
            json!({"dealStatus": 1, "ids": a.to_string()}),
            Some(&app.token),
        )
        .await;
    assert_eq!(body, json!({"code": 0}));
    let detail = customer(&app, a).await;
    assert_eq!(detail["dealStatus"], 1);
    assert_eq!(detail["isLock"], 0, "marking dealt unlocks (J9)");
    assert!(detail["dealTime"].is_string(), "{detail}");
    assert!(history_text(&app, a).await.contains("将客户成交状态修改为已成交"));
    // The document's own scene example: 成交客户.
    let scene = app
        .send(
            Enc::Form,
            "/api/scene/addScene",
            json!({"type": 2, "isDefault": 0, "name": "成交客户",
                   "data": r#"{"deal_status":{"condition":"is","value":1,"formType":"dealStatus","name":"deal_status"}}"#}),
            Some(&app.token),
        )
        .await;
    assert_eq!(scene["code"], 0, "{scene}");
    let scenes = app.post("/api/scene/queryScene", json!({"type": 2})).await;
    let id = scenes["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "成交客户")
        .unwrap()["sceneId"]
        .clone();
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", json!({"sceneId": id}))
            .await,
        [a]
    );
    let undealt = app
        .list_ids(
            "CrmCustomer",
            "customerId",
            json!({"data": {"deal_status": {"condition": "is", "value": 0, "name": "deal_status"}}}),
        )
        .await;
    assert_eq!(undealt, [b]);
    assert_eq!(
        app.post(
            "/api/CrmCustomer/setDealStatus",
            json!({"ids": a, "dealStatus": 0})
        )
        .await["code"],
        0
    );
    let detail = customer(&app, a).await;
    assert_eq!(detail["dealStatus"], 0);
    assert!(detail["dealTime"].is_null());
    for (params, code, msg) in [
        (json!({"dealStatus": 1}), 400, "客户id不能为空"),
        (json!({"ids": a}), 400, "成交状态不能为空"),
        (
            json!({"ids": a, "dealStatus": 5}),
            400,
            "dealStatus只能为0（未成交）或1（已成交）",
        ),
        (
            json!({"ids": "99999", "dealStatus": 1}),
            500,
            "客户不存在或已删除：99999",
        ),
    ] {
        assert_error(
            &app.post("/api/CrmCustomer/setDealStatus", params).await,
            code,
            msg,
        );
    }
}

#[tokio::test]
async fn lock_accepts_both_forms_and_refuses_dealt_customers() {
    let app = spawn_app().await;
    let a = app
        .create("CrmCustomer", json!({"customer_name": "锁定甲"}))
        .await;
    let b = app
        .create("CrmCustomer", json!({"customer_name": "锁定乙"}))
        .await;
    // The document's `status` 2 locks, 1 unlocks; J9's `isLock` 1 locks, 0 unlocks.
    assert_eq!(
        app.post(
            "/api/CrmCustomer/lock",
            json!({"ids": format!("{a},{b}"), "status": 2})
        )
        .await["code"],
        0
    );
    assert_eq!(customer(&app, a).await["isLock"], 1);
    assert_eq!(customer(&app, b).await["isLock"], 1);
    assert_eq!(
        app.post("/api/CrmCustomer/lock", json!({"ids": b, "isLock": 0}))
            .await["code"],
        0
    );
    assert_eq!(customer(&app, b).await["isLock"], 0);
    assert_eq!(
        app.post("/api/CrmCustomer/lock", json!({"ids": a, "status": 1}))
            .await["code"],
        0
    );
    assert_eq!(customer(&app, a).await["isLock"], 0);
    let text = history_text(&app, a).await;
    assert!(
        text.contains("将客户锁定。") && text.contains("将客户解锁。"),
        "{text}"
    );
    app.post(
        "/api/CrmCustomer/setDealStatus",
        json!({"ids": b, "dealStatus": 1}),
    )
    .await;
    assert_error(
        &app.post(
            "/api/CrmCustomer/lock",
            json!({"ids": format!("{a},{b}"), "isLock": 1}),
        )
        .await,
        500,
        "已成交客户无需锁定",
    );
    assert_eq!(customer(&app, a).await["isLock"], 0, "all or nothing");
    assert_error(
        &app.post("/api/CrmCustomer/lock", json!({"ids": a})).await,
        400,
        "锁定状态不能为空",
    );
    assert_error(
        &app.post("/api/CrmCustomer/lock", json!({"isLock": 1})).await,
        400,
        "客户id不能为空",
    );
    let (_, clerk) = salesperson(&app, "lock_clerk").await;
    assert_error(
        &app.post_as(&clerk, "/api/CrmCustomer/lock", json!({"ids": a, "isLock": 1}))
            .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmCustomer/setDealStatus",
            json!({"ids": a, "dealStatus": 1}),
        )
        .await,
        401,
        "无权操作",
    );
}
