//! Owner transfer for all four modules.

use serde_json::json;

use crate::helpers::*;

async fn owner_of(app: &TestApp, m: &Mod, id: i64) -> i64 {
    app.post(&m.path("queryById"), json!({ m.id_key: id })).await["data"]["ownerUserId"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn every_module_transfers_in_every_encoding() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "转移客户"}))
        .await;
    for m in &MODULES {
        for enc in ENCODINGS {
            let a = app.create(m.route, m.entity(&format!("甲{enc:?}"), cust)).await;
            let b = app.create(m.route, m.entity(&format!("乙{enc:?}"), cust)).await;
            let params = json!({ m.ids_key: format!("{a},{b}"), "newOwnerUserId": zhang.to_string(), "transferType": "1" });
            let body = app.send(enc, &m.path(m.transfer), params, Some(&app.token)).await;
            assert_eq!(body["code"], 0, "{} {enc:?}: {body}", m.route);
            assert_eq!(owner_of(&app, m, a).await, zhang);
            let detail = app.post(&m.path("queryById"), json!({ m.id_key: b })).await;
            assert_eq!(detail["data"]["ownerUserName"], "张三");
        }
    }
}

#[tokio::test]
async fn keeping_the_old_owner_makes_it_a_team_member() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "团队客户"}))
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/transfer",
            json!({"customerIds": cust, "newOwnerUserId": zhang, "transferType": 2, "power": 2}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let power = scalar(
        &app,
        &format!("SELECT power FROM crm_team_member WHERE label = 2 AND record_id = {cust} AND user_id = 1"),
    )
    .await;
    assert_eq!(power, 2);
    // Giving it back removes the new owner from its own team and keeps zhang read-only.
    app.post(
        "/api/CrmCustomer/transfer",
        json!({"customerIds": cust, "newOwnerUserId": 1, "transferType": 2, "power": 1}),
    )
    .await;
    let admin_rows = scalar(
        &app,
        &format!("SELECT COUNT(*) FROM crm_team_member WHERE record_id = {cust} AND user_id = 1"),
    )
    .await;
    assert_eq!(admin_rows, 0);
    let zhang_power = scalar(
        &app,
        &format!("SELECT power FROM crm_team_member WHERE record_id = {cust} AND user_id = {zhang}"),
    )
    .await;
    assert_eq!(zhang_power, 1);
}

#[tokio::test]
async fn a_customer_transfer_can_carry_its_contacts_and_business() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let cust = app.create("CrmCustomer", json!({"customer_name": "带走"})).await;
    let contact = app
        .create("CrmContacts", json!({"name": "联系人", "customer_id": cust}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "商机", "customer_id": cust}),
        )
        .await;
    let [_, _, contacts, business_mod] = &MODULES;
    app.post(
        "/api/CrmCustomer/transfer",
        json!({"customerIds": cust, "newOwnerUserId": zhang, "changeType": "1"}),
    )
    .await;
    assert_eq!(owner_of(&app, contacts, contact).await, zhang);
    assert_eq!(
        owner_of(&app, business_mod, business).await,
        1,
        "business stays without changeType 2"
    );
    app.post(
        "/api/CrmCustomer/transfer",
        json!({"customerIds": cust, "newOwnerUserId": 1, "changeType": [1, 2], "transferType": 2}),
    )
    .await;
    assert_eq!(owner_of(&app, contacts, contact).await, 1);
    assert_eq!(owner_of(&app, business_mod, business).await, 1);
    let kept = scalar(&app, &format!("SELECT COUNT(*) FROM crm_team_member WHERE label = 3 AND record_id = {contact} AND user_id = {zhang}")).await;
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn transfers_to_unknown_or_disabled_users_are_refused() {
    let app = spawn_app().await;
    let gone = app.add_user("gone", "停用").await;
    app.post(
        "/api/system/user/setUserStatus",
        json!({"userIds": gone, "status": 0}),
    )
    .await;
    let lead = app.create("CrmLeads", json!({"leads_name": "不动"})).await;
    let change = |params| app.post("/api/CrmLeads/changeOwnerUser", params);
    assert_error(
        &change(json!({"leadsIds": lead, "newOwnerUserId": 4242})).await,
        500,
        "新负责人不存在：4242",
    );
    assert_error(
        &change(json!({"leadsIds": lead, "newOwnerUserId": gone})).await,
        500,
        &format!("新负责人已被禁用：{gone}"),
    );
    assert_error(&change(json!({"leadsIds": lead})).await, 400, "新负责人不能为空");
    assert_error(&change(json!({"newOwnerUserId": 1})).await, 400, "线索id不能为空");
    assert_error(
        &change(json!({"leadsIds": "1,x", "newOwnerUserId": 1})).await,
        400,
        "参数leadsIds应为以英文逗号分隔的数字id",
    );
    let zhang = app.add_user("zhang", "张三").await;
    let body = change(json!({"leadsIds": format!("{lead},777"), "newOwnerUserId": zhang})).await;
    assert_error(&body, 500, "线索不存在或已删除：777");
    let body = app
        .post(
            "/api/CrmCustomer/transfer",
            json!({"customerIds": 1, "newOwnerUserId": zhang, "transferType": 9}),
        )
        .await;
    assert_error(&body, 400, "transferType只能为1（移出团队）或2（转为团队成员）");
    assert_eq!(
        app.post("/api/CrmLeads/queryById", json!({"leadsId": lead}))
            .await["data"]["ownerUserId"],
        1
    );
}
