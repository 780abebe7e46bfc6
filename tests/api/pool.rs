//! The public pool (公海): put in, list, receive, distribute.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

async fn customer(app: &TestApp, id: i64) -> Value {
    app.post("/api/CrmCustomer/queryById", json!({"customerId": id}))
        .await["data"]
        .clone()
}

async fn pool_ids(app: &TestApp, token: &str, params: Value) -> Vec<i64> {
    let body = app
        .post_as(token, "/api/CrmCustomer/queryPoolPageList", params)
        .await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["customerId"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn customers_go_into_the_pool_and_come_out_with_a_new_owner() {
    let app = spawn_app().await;
    let (clerk, clerk_token) = salesperson(&app, "pool_clerk").await;
    let cust = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "公海客户", "mobile": "13600000000"}),
        )
        .await;
    let contact = app
        .create("CrmContacts", json!({"name": "公海联系人", "customer_id": cust}))
        .await;
    let kept = app
        .create("CrmCustomer", json!({"customer_name": "留下的客户"}))
        .await;
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": clerk, "power": 1}),
    )
    .await;
    // The J9 client sends only `ids`.
    let body = app
        .send(
            Enc::Form,
            "/api/CrmCustomer/updateCustomerByIds",
            json!({"ids": cust.to_string()}),
            Some(&app.token),
        )
        .await;
    assert_eq!(body, json!({"code": 0}));
    let detail = customer(&app, cust).await;
    assert!(detail["ownerUserId"].is_null(), "{detail}");
    assert_eq!(detail["preOwnerUserId"], 1);
    assert!(detail["poolTime"].is_string());
    assert_eq!(detail["isPool"], 1);
    let members = app
        .post("/api/CrmCustomer/getMembers", json!({"customerId": cust}))
        .await;
    assert!(
        !members.to_string().contains("pool_clerk"),
        "the team is dropped: {members}"
    );
    let contact_detail = app
        .post("/api/CrmContacts/queryById", json!({"contactsId": contact}))
        .await;
    assert!(contact_detail["data"]["ownerUserId"].is_null(), "contacts follow");
    // Out of the customer list, into the pool list (with its search), visible to a clerk.
    assert!(
        !app.list_ids("CrmCustomer", "customerId", json!({}))
            .await
            .contains(&cust)
    );
    assert_eq!(pool_ids(&app, &app.token, json!({})).await, [cust]);
    assert_eq!(
        pool_ids(&app, &clerk_token, json!({"search": "公海"})).await,
        [cust]
    );
    assert!(
        pool_ids(&app, &clerk_token, json!({"search": "留下"}))
            .await
            .is_empty()
    );
    let via_j11 = app
        .post("/api/CrmCustomerPool/queryPageList", json!({"poolId": 1}))
        .await;
    assert_eq!(via_j11["data"]["totalRow"], 1);

    let body = app
        .post_as(
            &clerk_token,
            "/api/CrmCustomer/receiveByIds",
            json!({"ids": cust}),
        )
        .await;
    assert_eq!(body, json!({"code": 0}));
    let detail = customer(&app, cust).await;
    assert_eq!(detail["ownerUserId"], clerk);
    assert_eq!(detail["isReceive"], 2);
    assert!(detail["receiveTime"].is_string());
    let contact_detail = app
        .post("/api/CrmContacts/queryById", json!({"contactsId": contact}))
        .await;
    assert_eq!(contact_detail["data"]["ownerUserId"], clerk);
    assert_error(
        &app.post("/api/CrmCustomer/receiveByIds", json!({"ids": cust}))
            .await,
        500,
        "选中的客户已不在公海中",
    );
    // Distribute: the administrator gives a pool customer to the clerk.
    app.post("/api/CrmCustomer/updateCustomerByIds", json!({"ids": kept}))
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/distributeByIds",
            json!({"ids": kept, "userId": clerk}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(customer(&app, kept).await["isReceive"], 1);
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": cust, "types": 2}),
        )
        .await
        .to_string();
    assert!(
        history.contains("将客户放入公海") && history.contains("领取了客户"),
        "{history}"
    );
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": kept, "types": 2}),
        )
        .await
        .to_string();
    assert!(history.contains("将客户分配给：pool_clerk"), "{history}");
}

#[tokio::test]
async fn the_pools_refusals() {
    let app = spawn_app().await;
    let (_, clerk_token) = salesperson(&app, "pool_refused").await;
    let locked = app
        .create("CrmCustomer", json!({"customer_name": "锁定的客户"}))
        .await;
    let free = app
        .create("CrmCustomer", json!({"customer_name": "自由的客户"}))
        .await;
    app.post("/api/CrmCustomer/lock", json!({"ids": locked, "isLock": 1}))
        .await;
    assert_error(
        &app.post(
            "/api/CrmCustomer/updateCustomerByIds",
            json!({"ids": format!("{locked},{free}")}),
        )
        .await,
        500,
        "选中的客户有被锁定的，不能放入公海！",
    );
    assert!(
        customer(&app, free).await["ownerUserId"].is_number(),
        "all or nothing"
    );
    assert_error(
        &app.post("/api/CrmCustomer/updateCustomerByIds", json!({})).await,
        400,
        "客户id不能为空",
    );
    assert_error(
        &app.post_as(
            &clerk_token,
            "/api/CrmCustomer/updateCustomerByIds",
            json!({"ids": free}),
        )
        .await,
        401,
        "无权操作",
    );
    app.post("/api/CrmCustomer/updateCustomerByIds", json!({"ids": free}))
        .await;
    // A clerk receives for itself only, and may not distribute.
    assert_error(
        &app.post_as(
            &clerk_token,
            "/api/CrmCustomer/distributeByIds",
            json!({"ids": free, "userId": 1}),
        )
        .await,
        401,
        "无权访问",
    );
    assert_error(
        &app.post_as(
            &clerk_token,
            "/api/CrmCustomer/receiveByIds",
            json!({"ids": free, "userId": 1}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post(
            "/api/CrmCustomer/distributeByIds",
            json!({"ids": free, "userId": 99999}),
        )
        .await,
        500,
        "负责人不存在：99999",
    );
    // A user without any role holds no pool right.
    app.add_user("nobody", "无角色").await;
    let nobody = app.login("nobody", "secret-1").await;
    assert_error(
        &app.post_as(&nobody, "/api/CrmCustomer/queryPoolPageList", json!({}))
            .await,
        401,
        "无权访问",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_receiving_one_customer_at_once_exactly_one_wins() {
    let first = spawn_app().await;
    let second = Arc::new(first.second_instance().await);
    let first = Arc::new(first);
    let cust = first
        .create("CrmCustomer", json!({"customer_name": "抢手客户"}))
        .await;
    first
        .post("/api/CrmCustomer/updateCustomerByIds", json!({"ids": cust}))
        .await;
    let mut clerks = Vec::new();
    for i in 0..12 {
        clerks.push(salesperson(&first, &format!("racer{i}")).await);
    }
    let tasks: Vec<_> = clerks
        .into_iter()
        .enumerate()
        .map(|(i, (id, token))| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move {
                let body = app
                    .post_as(&token, "/api/CrmCustomer/receiveByIds", json!({"ids": cust}))
                    .await;
                (id, body)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut bodies = Vec::new();
    for t in tasks {
        let (id, body) = t.await.unwrap();
        if body["code"] == 0 {
            winners.push(id);
        }
        bodies.push(body);
    }
    assert_eq!(winners.len(), 1, "{:?}", tally(&bodies));
    assert_eq!(tally(&bodies).get("500 选中的客户已不在公海中"), Some(&11));
    assert_eq!(customer(&first, cust).await["ownerUserId"], winners[0]);
}

#[tokio::test]
async fn a_request_naming_thousands_of_customers_is_one_change() {
    let app = spawn_app().await;
    let plan = wkcrm::crm::demo::DemoPlan {
        users: 2,
        leads: 0,
        customers: 7000,
        seed: 7,
        ..Default::default()
    };
    app.crm.generate_demo(&plan, &|_| {}).await.unwrap();
    let ids = (1..=7000)
        .map(|i: i64| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    // Its history is 7,000 rows of five values: more than one statement may bind.
    let body = app
        .post("/api/CrmCustomer/updateCustomerByIds", json!({"ids": ids}))
        .await;
    assert_eq!(body, json!({"code": 0}));
    let pool = app
        .post("/api/CrmCustomer/queryPoolPageList", json!({"limit": 1}))
        .await;
    assert_eq!(pool["data"]["totalRow"], 7000);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM crm_action_record WHERE content LIKE '%放入公海%'"
        )
        .await,
        7000
    );
}
