//! Lead conversion (`CrmLeads/transfer`).

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_lead_becomes_a_customer_with_its_data_follow_ups_and_history() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let lead = app
        .create(
            "CrmLeads",
            json!({"leads_name": "转化线索", "mobile": "13800000001", "telephone": "010-1", "address": "北京市海淀区",
                   "remark": "老客户介绍", "next_time": "2030-03-04 05:06:07", "owner_user_id": zhang,
                   "线索来源": "转介绍", "客户级别": "A（重点客户）"}),
        )
        .await;
    app.post(
        "/api/CrmLeads/addRecord",
        json!({"typesId": lead, "content": "线索时的跟进", "category": "打电话"}),
    )
    .await;
    let body = app
        .post("/api/CrmLeads/transfer", json!({"leadsIds": lead}))
        .await;
    assert_eq!(body, json!({"code": 0}));

    let detail = app
        .post("/api/CrmLeads/queryById", json!({"leadsId": lead}))
        .await["data"]
        .clone();
    assert_eq!(detail["isTransform"], 1, "{detail}");
    let customer = detail["customerId"]
        .as_i64()
        .expect("the lead names its customer");
    let c = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": customer}))
        .await["data"]
        .clone();
    for (key, value) in [
        ("customerName", json!("转化线索")),
        ("mobile", json!("13800000001")),
        ("telephone", json!("010-1")),
        ("detailAddress", json!("北京市海淀区")),
        ("remark", json!("老客户介绍")),
        ("nextTime", json!("2030-03-04 05:06:07")),
        ("ownerUserId", json!(zhang)),
        ("客户来源", json!("转介绍")),
        ("客户级别", json!("A（重点客户）")),
    ] {
        assert_eq!(c[key], value, "{key}: {c}");
    }
    let rows = app
        .post("/api/CrmCustomer/getRecord", json!({"customerId": customer}))
        .await["data"]
        .clone();
    assert_eq!(rows[0]["content"], "线索时的跟进", "{rows}");
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": customer, "types": 2}),
        )
        .await["data"]
        .clone();
    let text = history.to_string();
    assert!(text.contains("将线索\\\"转化线索\\\"转化为客户"), "{text}");
    assert!(
        text.contains("新建了线索"),
        "the lead's history came along: {text}"
    );

    // Converted leads leave the default list and show in 已转化的线索.
    let all = app.list_ids("CrmLeads", "leadsId", json!({})).await;
    assert!(!all.contains(&lead));
    let converted = app
        .list_ids(
            "CrmLeads",
            "leadsId",
            json!({"data": {"is_transform": {"name": "is_transform", "condition": "is", "value": 1}}}),
        )
        .await;
    assert_eq!(converted, [lead]);
    assert_error(
        &app.post("/api/CrmLeads/transfer", json!({"leadsIds": lead}))
            .await,
        500,
        "已转化线索不能再次转化",
    );
}

#[tokio::test]
async fn a_batch_where_the_last_lead_collides_converts_none() {
    let app = spawn_app().await;
    app.create("CrmCustomer", json!({"customer_name": "已有客户"}))
        .await;
    let a = app.create("CrmLeads", json!({"leads_name": "新客户甲"})).await;
    let b = app.create("CrmLeads", json!({"leads_name": "新客户乙"})).await;
    let c = app.create("CrmLeads", json!({"leads_name": "已有客户"})).await;
    let customers_before = app.list("CrmCustomer", json!({})).await["totalRow"].clone();
    assert_error(
        &app.post(
            "/api/CrmLeads/transfer",
            json!({"leadsIds": format!("{a},{b},{c}")}),
        )
        .await,
        500,
        "客户名称已存在",
    );
    assert_eq!(
        app.list("CrmCustomer", json!({})).await["totalRow"],
        customers_before
    );
    let unconverted = app.list_ids("CrmLeads", "leadsId", json!({})).await;
    for id in [a, b, c] {
        assert!(unconverted.contains(&id), "lead {id} stays unconverted");
    }
    assert_error(
        &app.post("/api/CrmLeads/transfer", json!({})).await,
        400,
        "线索id不能为空",
    );
    assert_error(
        &app.post("/api/CrmLeads/transfer", json!({"leadsIds": "99999"}))
            .await,
        500,
        "线索不存在或已删除：99999",
    );
}

#[tokio::test]
async fn converting_needs_the_transform_right_and_the_lead() {
    let app = spawn_app().await;
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "conv_a", "password": "secret-1", "realname": "甲", "roleIds": "3"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let a = app.login("conv_a", "secret-1").await;
    let lead = app.create("CrmLeads", json!({"leads_name": "别人的线索"})).await;
    // 销售员 sees only its own leads: the admin's lead is out of reach.
    assert_error(
        &app.post_as(&a, "/api/CrmLeads/transfer", json!({"leadsIds": lead}))
            .await,
        401,
        "无权操作",
    );
    let body = app
        .post_as(
            &a,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "自己的线索"}}),
        )
        .await;
    let own = body["data"].as_i64().unwrap();
    assert_eq!(
        app.post_as(&a, "/api/CrmLeads/transfer", json!({"leadsIds": own}))
            .await["code"],
        0
    );
}
