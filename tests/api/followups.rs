//! Follow-ups (跟进记录) and the history (操作记录) of records.

use serde_json::{Value, json};

use crate::helpers::*;

async fn timeline(app: &TestApp, m: &Mod, id: i64) -> Vec<Value> {
    let body = app.post(&m.path("getRecord"), json!({ m.id_key: id })).await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a plain array: {body}"))
        .clone()
}

async fn history(app: &TestApp, label: i64, id: i64) -> Vec<Value> {
    let body = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": id, "types": label}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("a plain array: {body}"))
        .clone()
}

fn sentences(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .flat_map(|e| e["content"].as_array().unwrap().clone())
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

const LABELS: [i64; 4] = [1, 2, 3, 5];

#[tokio::test]
async fn every_module_takes_follow_ups_through_every_route() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "跟进客户"}))
        .await;
    for (m, label) in MODULES.iter().zip(LABELS) {
        let id = app
            .create(m.route, m.entity(&format!("{}甲", m.route), cust))
            .await;
        // J9 client's route, in form encoding as the client sends it.
        let body = app
            .send(
                Enc::Form,
                &m.path("addRecord"),
                json!({"typesId": id, "content": "第一次", "category": "打电话", "nextTime": "2030-01-02 10:00:00", "isEvent": 0, "batchId": ""}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body, json!({"code": 0}), "{}", m.route);
        // The document's call: addOrUpdate without entity (on the leads route, for any module).
        let body = app
            .send(
                Enc::Form,
                "/api/CrmLeads/addOrUpdate",
                json!({"activityType": label, "activityTypeId": id, "content": "第二次", "category": "上门拜访", "businessIds": "", "contactsIds": "", "nextTime": "", "isEvent": 0}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body, json!({"code": 0}), "{}", m.route);
        // The SPEC's J11-style route answers the new id.
        let body = app
            .post(
                "/api/CrmActivity/addCrmActivityRecord",
                json!({"activityType": label, "activityTypeId": id, "content": "第三次", "category": "发短信"}),
            )
            .await;
        assert!(body["data"].as_i64().is_some(), "{body}");

        let rows = timeline(&app, m, id).await;
        let contents: Vec<&str> = rows.iter().map(|r| r["content"].as_str().unwrap()).collect();
        assert_eq!(contents, ["第三次", "第二次", "第一次"], "newest first");
        assert_eq!(rows[2]["category"], "打电话");
        assert_eq!(rows[2]["nextTime"], "2030-01-02 10:00:00");
        assert_eq!(rows[0]["realname"], "admin");
        assert!(rows[0]["recordId"].as_i64().is_some() && rows[0]["batchId"].as_str().unwrap().len() == 32);
        let page = app
            .post(
                "/api/CrmActivity/getCrmActivityPageList",
                json!({"activityType": label, "activityTypeId": id, "page": 2, "limit": 2}),
            )
            .await;
        assert_eq!(page["data"]["totalRow"], 3, "{page}");
        assert_eq!(page["data"]["list"][0]["content"], "第一次");
        let paged = app
            .post(
                &m.path("getRecord"),
                json!({ m.id_key: id, "page": 1, "limit": 1 }),
            )
            .await;
        assert_eq!(paged["data"].as_array().unwrap().len(), 1);

        let detail = app.post(&m.path("queryById"), json!({ m.id_key: id })).await["data"].clone();
        assert_eq!(detail["lastContent"], "第三次", "{}", m.route);
        assert!(detail["lastTime"].is_string(), "{detail}");
        assert_eq!(detail["nextTime"], "2030-01-02 10:00:00", "{}", m.route);
        if m.route != "CrmContacts" {
            assert_eq!(detail["followup"], 1, "{}", m.route);
        }
    }
}

#[tokio::test]
async fn a_customers_follow_up_shows_on_its_contacts_and_business() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "共享客户"}))
        .await;
    let contact = app
        .create("CrmContacts", json!({"name": "联系人", "customer_id": cust}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "商机", "customer_id": cust, "money": 1}),
        )
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/addRecord",
            json!({"typesId": cust, "content": "一起谈", "category": "上门拜访", "contactsIds": contact.to_string(), "businessIds": [business], "nextTime": "2031-05-06 07:08:09"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let rows = timeline(&app, &MODULES[1], cust).await;
    assert_eq!(rows[0]["contactsList"][0]["name"], "联系人", "{rows:?}");
    assert_eq!(rows[0]["businessList"][0]["businessName"], "商机");
    for (m, id) in [(&MODULES[2], contact), (&MODULES[3], business)] {
        let rows = timeline(&app, m, id).await;
        assert_eq!(rows.len(), 1, "{}", m.route);
        assert_eq!(rows[0]["content"], "一起谈");
        assert_eq!(rows[0]["types"], "crm_customer");
        let detail = app.post(&m.path("queryById"), json!({ m.id_key: id })).await;
        assert_eq!(detail["data"]["nextTime"], "2031-05-06 07:08:09", "{}", m.route);
    }
}

#[tokio::test]
async fn follow_up_refusals_say_what_is_wrong() {
    let app = spawn_app().await;
    let lead = app.create("CrmLeads", json!({"leads_name": "拒绝线索"})).await;
    let cases = [
        (
            "/api/CrmLeads/addRecord",
            json!({"content": "x", "category": "打电话"}),
            400,
            "线索id不能为空",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": lead, "category": "打电话"}),
            400,
            "内容不能为空",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": lead, "content": "x"}),
            400,
            "跟进类型不能为空",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": lead, "content": "x", "category": "打电话", "nextTime": "明天"}),
            400,
            "下次联系时间日期格式错误，例:2020-01-01 00:00:00",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": 99999, "content": "x", "category": "打电话"}),
            500,
            "线索不存在或已删除：99999",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": lead, "content": "x".repeat(1001), "category": "打电话"}),
            400,
            "跟进内容长度不能超过1000个字符",
        ),
        (
            "/api/CrmActivity/addCrmActivityRecord",
            json!({"activityTypeId": lead, "content": "x", "category": "c"}),
            400,
            "类型不能为空",
        ),
        (
            "/api/CrmActivity/addCrmActivityRecord",
            json!({"activityType": 4, "activityTypeId": 1, "content": "x", "category": "c"}),
            400,
            "activityType只能为1（线索）2（客户）3（联系人）5（商机）",
        ),
        (
            "/api/CrmActivity/addCrmActivityRecord",
            json!({"activityType": 1, "content": "x", "category": "c"}),
            400,
            "类型id不能为空",
        ),
        (
            "/api/CrmLeads/addRecord",
            json!({"typesId": lead, "content": "x", "category": "c", "contactsIds": "99999"}),
            500,
            "联系人不存在：99999",
        ),
        ("/api/CrmLeads/getRecord", json!({}), 400, "线索id不能为空"),
        (
            "/api/CrmRecord/deleteFollowRecord",
            json!({"recordId": 99999}),
            500,
            "跟进记录不存在或已删除",
        ),
    ];
    for (path, params, code, msg) in cases {
        assert_error(&app.post(path, params).await, code, msg);
    }
    assert!(
        timeline(&app, &MODULES[0], lead).await.is_empty(),
        "nothing was added"
    );
}

#[tokio::test]
async fn follow_ups_need_the_record_and_go_only_by_their_author_or_the_admin() {
    let app = spawn_app().await;
    let (_, a) = salesperson(&app, "clerk_a").await;
    let (_, b) = salesperson(&app, "clerk_b").await;
    let body = app
        .post_as(
            &a,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "甲的客户"}}),
        )
        .await;
    let cust = body["data"].as_i64().unwrap();
    let add = json!({"typesId": cust, "content": "甲跟进", "category": "打电话"});
    assert_error(
        &app.post_as(&b, "/api/CrmCustomer/addRecord", add.clone()).await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post_as(&b, "/api/CrmCustomer/getRecord", json!({"customerId": cust}))
            .await,
        401,
        "无权操作",
    );
    assert_eq!(
        app.post_as(&a, "/api/CrmCustomer/addRecord", add.clone()).await["code"],
        0
    );
    assert_eq!(
        app.post_as(&a, "/api/CrmCustomer/addRecord", add).await["code"],
        0
    );
    let rows = timeline(&app, &MODULES[1], cust).await;
    let (first, second) = (rows[0]["recordId"].clone(), rows[1]["recordId"].clone());
    assert_error(
        &app.post_as(
            &b,
            "/api/CrmRecord/deleteFollowRecord",
            json!({"recordId": first}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_eq!(
        app.post_as(
            &a,
            "/api/CrmRecord/deleteFollowRecord",
            json!({"recordId": first})
        )
        .await["code"],
        0
    );
    assert_eq!(
        app.post("/api/CrmRecord/deleteFollowRecord", json!({"recordId": second}))
            .await["code"],
        0
    );
    assert!(timeline(&app, &MODULES[1], cust).await.is_empty());
}

#[tokio::test]
async fn follow_up_types_are_configurable_by_the_admin() {
    let app = spawn_app().await;
    let body = app.post("/api/CrmRecord/queryRecordOptions", json!({})).await;
    assert_eq!(body["data"], json!(["打电话", "发短信", "上门拜访"]));
    let body = app
        .post(
            "/api/CrmRecord/setRecordOptions",
            json!({"value": ["上门拜访", "微信", "邮件"]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let body = app.post("/api/CrmRecord/queryRecordOptions", json!({})).await;
    assert_eq!(body["data"], json!(["上门拜访", "微信", "邮件"]));
    assert_error(
        &app.post("/api/CrmRecord/setRecordOptions", json!({"value": ["a", "a"]}))
            .await,
        400,
        "跟进类型重复：a",
    );
    let (_, clerk) = salesperson(&app, "opt_clerk").await;
    assert_error(
        &app.post_as(&clerk, "/api/CrmRecord/setRecordOptions", json!({"value": ["x"]}))
            .await,
        401,
        "无权操作",
    );
    assert_eq!(
        app.post_as(&clerk, "/api/CrmRecord/queryRecordOptions", json!({}))
            .await["data"][0],
        "上门拜访"
    );
}

#[tokio::test]
async fn history_tells_every_change_newest_first() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let field = app
        .post(
            "/api/field/addField",
            json!({"label": 2, "name": "客户来源渠道", "formType": "select", "options": "展会,网络"}),
        )
        .await;
    assert_eq!(field["code"], 0, "{field}");
    let cust = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "历史客户", "mobile": "13800000000"}),
        )
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_id": cust, "mobile": "13900000000", "remark": "新备注", "客户来源渠道": "展会"}}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    app.post(
        "/api/CrmCustomer/transfer",
        json!({"customerIds": cust, "newOwnerUserId": zhang, "transferType": 2, "power": 1}),
    )
    .await;
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": zhang, "power": 2}),
    )
    .await;
    app.post(
        "/api/CrmCustomer/addRecord",
        json!({"typesId": cust, "content": "c", "category": "打电话"}),
    )
    .await;
    let entries = history(&app, 2, cust).await;
    let all = sentences(&entries);
    assert_eq!(all.last().unwrap(), "新建了客户", "{all:?}");
    for expected in [
        "将手机 由13800000000修改为13900000000。",
        "将备注 由空修改为新备注。",
        "将客户来源渠道 由空修改为展会。",
        "将客户转移给：张三",
        "新建了跟进记录：打电话",
    ] {
        assert!(all.iter().any(|s| s == expected), "{expected} in {all:?}");
    }
    assert_eq!(entries[0]["realname"], "admin");
    assert_eq!(entries[0]["types"], "2");
    assert!(entries[0]["createTime"].is_string());
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
}

#[tokio::test]
async fn a_failed_change_leaves_no_history_and_a_deleted_records_history_stays_for_the_admin() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "失败客户"}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "失败商机", "customer_id": cust, "money": 1}),
        )
        .await;
    let before = history(&app, 5, business).await.len();
    // The record is updated (and its history written) before its line items fail.
    let body = app
        .post(
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"business_id": business, "business_name": "改名"}, "product": [{"productId": 99999, "price": 1, "salesPrice": 1, "num": 1}]}),
        )
        .await;
    assert_ne!(body["code"], 0, "{body}");
    assert_eq!(
        history(&app, 5, business).await.len(),
        before,
        "no entry of the failed save"
    );
    let lead = app.create("CrmLeads", json!({"leads_name": "失败线索"})).await;
    let (_, clerk) = salesperson(&app, "hist_clerk").await;
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": lead, "types": 1}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_eq!(
        app.post("/api/CrmLeads/deleteByIds", json!({"leadsIds": lead}))
            .await["code"],
        0
    );
    let all = sentences(&history(&app, 1, lead).await);
    assert_eq!(all.first().unwrap(), "删除了线索：失败线索", "{all:?}");
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": lead, "types": 1}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": lead, "types": 9}),
        )
        .await,
        400,
        "type不符合要求",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_follow_ups_on_two_instances_all_land() {
    let first = spawn_app().await;
    let second = std::sync::Arc::new(first.second_instance().await);
    let app = std::sync::Arc::new(first);
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "并发跟进"}))
        .await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let app = if i % 2 == 0 { app.clone() } else { second.clone() };
            tokio::spawn(async move {
                app.post(
                    "/api/CrmCustomer/addRecord",
                    json!({"typesId": cust, "content": format!("第{i}条"), "category": "打电话"}),
                )
                .await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap()["code"], 0);
    }
    assert_eq!(timeline(&app, &MODULES[1], cust).await.len(), 16);
    let follow_ups = sentences(&history(&app, 2, cust).await)
        .iter()
        .filter(|s| s.starts_with("新建了跟进记录"))
        .count();
    assert_eq!(follow_ups, 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_option_lists_leave_exactly_one_of_them() {
    let first = std::sync::Arc::new(spawn_app().await);
    let second = std::sync::Arc::new(first.second_instance().await);
    let lists: Vec<Vec<String>> = (0..12)
        .map(|i| (0..5).map(|j| format!("方式{i}-{j}")).collect())
        .collect();
    let tasks: Vec<_> = lists
        .iter()
        .enumerate()
        .map(|(i, list)| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            let list = list.clone();
            tokio::spawn(async move {
                app.post("/api/CrmRecord/setRecordOptions", json!({ "value": list }))
                    .await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), json!({"code": 0}));
    }
    let body = first.post("/api/CrmRecord/queryRecordOptions", json!({})).await;
    let stored: Vec<String> = serde_json::from_value(body["data"].clone()).unwrap();
    assert!(lists.contains(&stored), "one whole list, not a mix: {stored:?}");
}
