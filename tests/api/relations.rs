//! Related records: a customer's contacts and business, contacts ↔ business.

use serde_json::{Value, json};

use crate::helpers::*;

async fn related(app: &TestApp, path: &str, params: Value) -> Vec<String> {
    let body = app.post(path, params).await;
    assert_eq!(body["code"], 0, "{path}: {body}");
    assert!(body["data"]["totalRow"].is_number(), "{body}");
    body["data"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["name"]
                .as_str()
                .or(r["businessName"].as_str())
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_customers_contacts_and_business_are_listed_within_reach() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "关系客户"}))
        .await;
    let other = app
        .create("CrmCustomer", json!({"customer_name": "别的客户"}))
        .await;
    for name in ["张一", "张二"] {
        app.create("CrmContacts", json!({"name": name, "customer_id": cust}))
            .await;
    }
    app.create("CrmContacts", json!({"name": "别人", "customer_id": other}))
        .await;
    app.create(
        "CrmBusiness",
        json!({"business_name": "关系商机", "customer_id": cust, "money": 1}),
    )
    .await;
    let mut contacts = related(
        &app,
        "/api/CrmCustomer/queryContacts",
        json!({"customerId": cust}),
    )
    .await;
    contacts.sort();
    assert_eq!(contacts, ["张一", "张二"]);
    let searched = related(
        &app,
        "/api/CrmCustomer/queryContacts",
        json!({"customerId": cust, "search": "二"}),
    )
    .await;
    assert_eq!(searched, ["张二"]);
    let paged = app
        .post(
            "/api/CrmCustomer/queryContacts",
            json!({"customerId": cust, "page": 2, "limit": 1}),
        )
        .await;
    assert_eq!(paged["data"]["totalRow"], 2);
    assert_eq!(paged["data"]["list"].as_array().unwrap().len(), 1);
    assert_eq!(
        related(
            &app,
            "/api/CrmCustomer/queryBusiness",
            json!({"customerId": cust})
        )
        .await,
        ["关系商机"]
    );
    let (_, clerk) = salesperson(&app, "rel_clerk").await;
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmCustomer/queryContacts",
            json!({"customerId": cust}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post("/api/CrmCustomer/queryContacts", json!({})).await,
        400,
        "客户id不能为空",
    );
    assert_error(
        &app.post("/api/CrmCustomer/queryBusiness", json!({"customerId": 99999}))
            .await,
        500,
        "客户不存在或已删除：99999",
    );
}

#[tokio::test]
async fn contacts_and_business_relate_from_either_side() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "关联客户"}))
        .await;
    let contact = app
        .create("CrmContacts", json!({"name": "李联系", "customer_id": cust}))
        .await;
    let second = app
        .create("CrmContacts", json!({"name": "王联系", "customer_id": cust}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "关联商机", "customer_id": cust, "money": 1}),
        )
        .await;
    for _ in 0..2 {
        let body = app
            .post(
                "/api/CrmContacts/relateBusiness",
                json!({"contactsId": contact, "businessIds": business.to_string()}),
            )
            .await;
        assert_eq!(body, json!({"code": 0}));
    }
    assert_eq!(
        related(
            &app,
            "/api/CrmContacts/queryBusiness",
            json!({"contactsId": contact})
        )
        .await,
        ["关联商机"]
    );
    let body = app
        .post(
            "/api/CrmBusiness/relateContacts",
            json!({"businessId": business, "contactsIds": [second]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let mut names = related(
        &app,
        "/api/CrmBusiness/queryContacts",
        json!({"businessId": business}),
    )
    .await;
    names.sort();
    assert_eq!(names, ["李联系", "王联系"], "related once, whichever side");
    assert_eq!(
        app.post(
            "/api/CrmBusiness/unrelateContacts",
            json!({"businessId": business, "contactsIds": contact})
        )
        .await["code"],
        0
    );
    assert_eq!(
        related(
            &app,
            "/api/CrmBusiness/queryContacts",
            json!({"businessId": business})
        )
        .await,
        ["王联系"]
    );
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": contact, "types": 3}),
        )
        .await["data"]
        .to_string();
    assert!(history.contains("关联了商机：关联商机"), "{history}");
    assert_error(
        &app.post(
            "/api/CrmContacts/relateBusiness",
            json!({"contactsId": contact, "businessIds": "99999"}),
        )
        .await,
        500,
        "商机不存在：99999",
    );
    assert_error(
        &app.post("/api/CrmContacts/relateBusiness", json!({"contactsId": contact}))
            .await,
        400,
        "商机id不能为空",
    );
    let (_, clerk) = salesperson(&app, "relate_clerk").await;
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmContacts/relateBusiness",
            json!({"contactsId": contact, "businessIds": business}),
        )
        .await,
        401,
        "无权操作",
    );
}

#[tokio::test]
async fn deleting_a_contact_clears_it_as_primary_contact_and_drops_its_links() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "首要客户"}))
        .await;
    let contact = app
        .create("CrmContacts", json!({"name": "首要联系人", "customer_id": cust}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "链接商机", "customer_id": cust, "money": 1}),
        )
        .await;
    app.post(
        "/api/CrmContacts/relateBusiness",
        json!({"contactsId": contact, "businessIds": business}),
    )
    .await;
    exec_sql(
        &app,
        &format!("UPDATE crm_customer SET contacts_id = {contact} WHERE customer_id = {cust}"),
    )
    .await;
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
        .await;
    assert_eq!(detail["data"]["contactsName"], "首要联系人");
    assert_eq!(
        app.post("/api/CrmContacts/deleteByIds", json!({"contactsIds": contact}))
            .await["code"],
        0
    );
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
        .await;
    assert!(detail["data"]["contactsId"].is_null(), "{detail}");
    assert!(detail["data"]["contactsName"].is_null());
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_contacts_business").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_pair_related_from_both_sides_at_once_is_linked_once() {
    let first = spawn_app().await;
    let second = std::sync::Arc::new(first.second_instance().await);
    let first = std::sync::Arc::new(first);
    let cust = first
        .create("CrmCustomer", json!({"customer_name": "并发关联"}))
        .await;
    let contact = first
        .create("CrmContacts", json!({"name": "并发联系人", "customer_id": cust}))
        .await;
    let business = first
        .create(
            "CrmBusiness",
            json!({"business_name": "并发商机", "customer_id": cust, "money": 1}),
        )
        .await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move {
                if i % 4 < 2 {
                    app.post(
                        "/api/CrmContacts/relateBusiness",
                        json!({"contactsId": contact, "businessIds": business}),
                    )
                    .await
                } else {
                    app.post(
                        "/api/CrmBusiness/relateContacts",
                        json!({"businessId": business, "contactsIds": contact}),
                    )
                    .await
                }
            })
        })
        .collect();
    let mut bodies = Vec::new();
    for t in tasks {
        bodies.push(t.await.unwrap());
    }
    assert_eq!(tally(&bodies).get("ok"), Some(&8), "{:?}", tally(&bodies));
    assert_eq!(
        scalar(&first, "SELECT COUNT(*) FROM crm_contacts_business").await,
        1
    );
}
