//! The record engine, for all four modules.

use serde_json::{Value, json};

use crate::helpers::*;

async fn customer(app: &TestApp) -> i64 {
    app.create(
        "CrmCustomer",
        json!({"customer_name": format!("客户{}", rand_suffix())}),
    )
    .await
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[tokio::test]
async fn every_module_creates_reads_lists_updates_and_deletes_in_every_encoding() {
    let app = spawn_app().await;
    let cust = customer(&app).await;
    for m in &MODULES {
        for enc in ENCODINGS {
            let name = format!("{}-{enc:?}", m.route);
            let body = app
                .send(
                    enc,
                    &m.path("addOrUpdate"),
                    json!({"entity": m.entity(&name, cust)}),
                    Some(&app.token),
                )
                .await;
            assert_eq!(body["code"], 0, "{body}");
            let id = body["data"].as_i64().unwrap();

            let detail = app
                .send(
                    enc,
                    &m.path("queryById"),
                    json!({ m.id_key: id }),
                    Some(&app.token),
                )
                .await;
            assert_eq!(detail["data"][m.name_key], name, "{detail}");
            assert_eq!(detail["data"]["ownerUserName"], "admin");
            assert_eq!(detail["data"]["createUserName"], "admin");
            assert_eq!(detail["data"]["batchId"].as_str().unwrap().len(), 32);
            assert_eq!(detail["data"][m.id_key], id);

            let search = json!({"page": 1, "limit": 15, "search": name});
            let list = app
                .send(enc, &m.path("queryPageList"), search, Some(&app.token))
                .await;
            assert_eq!(list["data"]["totalRow"], 1, "{list}");
            assert_eq!(list["data"]["list"][0][m.id_key], id);

            let renamed = format!("{name}-改");
            let update = json!({"entity": { m.id_key: id, m.name_column: renamed }});
            let body = app
                .send(enc, &m.path("addOrUpdate"), update, Some(&app.token))
                .await;
            assert_eq!(body["code"], 0, "{body}");
            let detail = app.post(&m.path("queryById"), json!({ m.id_key: id })).await;
            assert_eq!(detail["data"][m.name_key], renamed);
            assert_eq!(
                detail["data"]["remark"], "备注",
                "update keeps fields it was not given: {detail}"
            );

            let body = app
                .send(
                    enc,
                    &m.path("deleteByIds"),
                    json!({ m.ids_key: id.to_string() }),
                    Some(&app.token),
                )
                .await;
            assert_eq!(body["code"], 0, "{body}");
            let gone = app.post(&m.path("queryById"), json!({ m.id_key: id })).await;
            assert_eq!(gone["code"], 500, "{gone}");
        }
    }
}

#[tokio::test]
async fn the_seed_examples_round_trip() {
    let app = spawn_app().await;
    let leads = app
        .post("/api/CrmLeads/addOrUpdate", json!({"entity": {"leads_name": "线索3", "mobile": "18010181267", "telephone": "",
              "email": "", "address": "", "next_time": "", "remark": ""}, "field": [{"fieldName": "线索来源", "name": "线索来源", "value": "促销"}]}))
        .await;
    let lead = app
        .post("/api/CrmLeads/queryById", json!({"leadsId": leads["data"]}))
        .await["data"]
        .clone();
    assert_eq!(lead["telephone"], "");
    assert_eq!(lead["nextTime"], Value::Null);
    assert_eq!(lead["线索来源"], "促销");
    assert_eq!(lead["客户级别"], Value::Null);
    assert_eq!(lead["isTransform"], 0);
    assert_eq!(lead["fieldBatchId"], lead["batchId"]);

    let cust = app.create("CrmCustomer", json!({"customer_name": "韩志超2", "mobile": "18010181267", "next_time": "2020-10-31 00:00:00",
        "address": "北京市,北京城区,东城区", "detailAddress": "朝阳门", "location": "", "lng": "", "lat": ""})).await;
    let c = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
        .await["data"]
        .clone();
    assert_eq!(c["nextTime"], "2020-10-31 00:00:00");
    assert_eq!(c["detailAddress"], "朝阳门");
    assert_eq!(c["dealStatus"], 0);

    let contact = app
        .create(
            "CrmContacts",
            json!({"name": "寒池", "customer_id": cust, "post": "采购经理"}),
        )
        .await;
    let body = app
        .post("/api/CrmContacts/queryById", json!({"contactsId": contact}))
        .await;
    assert_eq!(body["data"]["customerName"], "韩志超2");
    assert_eq!(body["data"]["post"], "采购经理");

    let business = app.post("/api/CrmBusiness/addOrUpdate", json!({"entity": {"business_name": "hello", "customer_id": cust, "money": "60",
        "deal_date": "2020-10-05 00:00:00", "type_id": 1, "status_id": 1, "remark": "", "totalPrice": 0, "discountRate": 0}, "field": [], "product": []})).await;
    let b = app
        .post(
            "/api/CrmBusiness/queryById",
            json!({"businessId": business["data"]}),
        )
        .await["data"]
        .clone();
    assert_eq!(b["money"], "60.00");
    assert_eq!(b["totalPrice"], "0.00");
    assert_eq!(b["discountRate"], "0.00");
    assert_eq!(b["typeName"], "销售流程商机组");
    assert_eq!(b["statusName"], "验证客户");
    assert_eq!(b["customerName"], "韩志超2");
    assert_eq!(b["dealDate"], "2020-10-05 00:00:00");
}

#[tokio::test]
async fn the_contacts_detail_answers_at_the_documented_customer_route() {
    let app = spawn_app().await;
    let cust = customer(&app).await;
    let contact = app
        .create("CrmContacts", json!({"name": "寒池", "customer_id": cust}))
        .await;
    for enc in ENCODINGS {
        let body = app
            .send(
                enc,
                "/api/CrmCustomer/queryById",
                json!({"contactsId": contact}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body["data"]["contactsId"], contact, "{body}");
        assert_eq!(body["data"]["name"], "寒池");
    }
    let body = app
        .post(
            "/api/CrmCustomer/queryById",
            json!({"customerId": cust, "contactsId": contact}),
        )
        .await;
    assert_eq!(body["data"]["customerId"], cust);
    assert!(body["data"].get("contactsId").is_some_and(Value::is_null));
}

#[tokio::test]
async fn custom_values_are_kept_by_chinese_name_and_merged_on_update() {
    let app = spawn_app().await;
    let id = app
        .post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "悟空"}, "field": [
            {"name": "客户级别", "value": "A（重点客户）"}, {"fieldName": "客户行业", "value": "IT"}]}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    app.post(
        "/api/CrmCustomer/addOrUpdate",
        json!({"entity": {"customerId": id}, "field": [{"name": "客户行业", "value": "金融业"}]}),
    )
    .await;
    let c = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": id}))
        .await["data"]
        .clone();
    assert_eq!(c["客户级别"], "A（重点客户）");
    assert_eq!(c["客户行业"], "金融业");
    assert_eq!(c["客户来源"], Value::Null);
    let body = app
        .post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "x"}, "field": [{"name": "不存在", "value": "1"}]}),
        )
        .await;
    assert_error(&body, 400, "自定义字段不存在：不存在");
    let filtered = app.list("CrmCustomer", json!({"data": {"客户级别": {"condition": "is", "value": "A（重点客户）", "formType": "select"}}})).await;
    assert_eq!(filtered["totalRow"], 1);
}

#[tokio::test]
async fn leads_lists_hide_converted_leads_unless_asked() {
    let app = spawn_app().await;
    let kept = app.create("CrmLeads", json!({"leads_name": "未转化"})).await;
    let converted = app.create("CrmLeads", json!({"leads_name": "已转化"})).await;
    exec_sql(
        &app,
        &format!("UPDATE crm_leads SET is_transform = 1 WHERE leads_id = {converted}"),
    )
    .await;
    assert_eq!(app.list_ids("CrmLeads", "leadsId", json!({})).await, vec![kept]);
    let only = json!({"data": {"is_transform": {"name": "is_transform", "condition": "is", "value": 1}}});
    assert_eq!(app.list_ids("CrmLeads", "leadsId", only).await, vec![converted]);
}

#[tokio::test]
async fn pool_customers_are_not_in_the_customer_list() {
    let app = spawn_app().await;
    let owned = customer(&app).await;
    let pooled = customer(&app).await;
    exec_sql(
        &app,
        &format!("UPDATE crm_customer SET owner_user_id = NULL WHERE customer_id = {pooled}"),
    )
    .await;
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", json!({})).await,
        vec![owned]
    );
}

#[tokio::test]
async fn the_business_list_sums_money_over_the_whole_filter() {
    let app = spawn_app().await;
    let cust = customer(&app).await;
    for (name, money) in [("a", "10.50"), ("b", "20"), ("c", "0.05"), ("other", "100")] {
        app.create(
            "CrmBusiness",
            json!({"business_name": name, "customer_id": cust, "money": money}),
        )
        .await;
    }
    let data = app
        .list(
            "CrmBusiness",
            json!({"limit": 1, "data": {"business_name": {"condition": "isNot", "value": "other"}}}),
        )
        .await;
    assert_eq!(data["totalRow"], 3);
    assert_eq!(data["money"]["businessSumMoney"], "30.55");
    assert_eq!(data["list"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn keyword_search_covers_the_module_columns() {
    let app = spawn_app().await;
    let by_name = app
        .create("CrmLeads", json!({"leads_name": "北京悟空科技"}))
        .await;
    let by_phone = app
        .create("CrmLeads", json!({"leads_name": "甲", "telephone": "010-8888"}))
        .await;
    let by_mobile = app
        .create("CrmLeads", json!({"leads_name": "乙", "mobile": "13300001111"}))
        .await;
    app.create(
        "CrmLeads",
        json!({"leads_name": "丙", "remark": "悟空 010-8888 13300001111"}),
    )
    .await;
    assert_eq!(
        app.list_ids("CrmLeads", "leadsId", json!({"search": "悟空"}))
            .await,
        vec![by_name]
    );
    assert_eq!(
        app.list_ids("CrmLeads", "leadsId", json!({"search": "8888"}))
            .await,
        vec![by_phone]
    );
    assert_eq!(
        app.list_ids("CrmLeads", "leadsId", json!({"search": "0000111"}))
            .await,
        vec![by_mobile]
    );
    assert_eq!(
        app.list("CrmLeads", json!({"search": "%"})).await["totalRow"],
        0,
        "% is literal"
    );
}

#[tokio::test]
async fn conditions_on_system_fields() {
    let app = spawn_app().await;
    let a = app.create("CrmLeads", json!({"leads_name": "Alpha", "mobile": "13800000001", "email": "a@x.cn", "next_time": "2020-01-10 09:00:00"})).await;
    let b = app
        .create(
            "CrmLeads",
            json!({"leads_name": "Beta", "mobile": "13900000002", "next_time": "2020-02-10"}),
        )
        .await;
    let c = app
        .create("CrmLeads", json!({"leads_name": "Gamma", "mobile": ""}))
        .await;
    let ids = |data: Value| {
        let app = &app;
        async move {
            let mut ids = app.list_ids("CrmLeads", "leadsId", json!({ "data": data })).await;
            ids.sort();
            ids
        }
    };
    let cond = |field: &str, op: &str, value: Value| json!({ field: {"name": field, "condition": op, "value": value} });
    assert_eq!(ids(cond("leads_name", "is", json!("Alpha"))).await, vec![a]);
    assert_eq!(ids(cond("leads_name", "isNot", json!("Alpha"))).await, vec![b, c]);
    assert_eq!(ids(cond("mobile", "contains", json!("0000"))).await, vec![a, b]);
    assert_eq!(ids(cond("mobile", "notContains", json!("139"))).await, vec![a, c]);
    assert_eq!(ids(cond("mobile", "startWith", json!("139"))).await, vec![b]);
    assert_eq!(ids(cond("mobile", "endWith", json!("01"))).await, vec![a]);
    assert_eq!(ids(cond("email", "isNull", json!(""))).await, vec![b, c]);
    assert_eq!(ids(cond("email", "isNotNull", json!(""))).await, vec![a]);
    assert_eq!(ids(cond("mobile", "isNull", Value::Null)).await, vec![c]);
    assert_eq!(ids(cond("leads_id", "gt", json!(a))).await, vec![b, c]);
    assert_eq!(ids(cond("leads_id", "egt", json!(b))).await, vec![b, c]);
    assert_eq!(ids(cond("leads_id", "lt", json!(b))).await, vec![a]);
    assert_eq!(
        ids(cond("leadsId", "elt", json!(b.to_string()))).await,
        vec![a, b]
    );
    assert_eq!(
        ids(cond("leads_id", "in", json!(format!("{a},{c}")))).await,
        vec![a, c]
    );
    assert_eq!(
        ids(cond("next_time", "lt", json!("2020-02-01 00:00:00"))).await,
        vec![a]
    );
    let range = json!({"next_time": {"name": "next_time", "formType": "datetime", "start": "2020-01-01 00:00:00", "end": "2020-01-31 23:59:59"}});
    assert_eq!(ids(range).await, vec![a]);
    let date_range = json!({"next_time": {"name": "next_time", "formType": "date", "startDate": "2020-02-10", "endDate": "2020-02-10"}});
    assert_eq!(ids(date_range).await, vec![b]);
    let both = json!({"mobile": {"condition": "contains", "value": "138"}, "leads_name": {"condition": "is", "value": "Alpha"}});
    assert_eq!(ids(both).await, vec![a]);
}

#[tokio::test]
async fn sorting_is_stable_and_pages_never_skip_or_repeat() {
    let app = spawn_app().await;
    let mut all = Vec::new();
    for i in 0..7 {
        all.push(
            app.create("CrmLeads", json!({"leads_name": format!("同名{}", i % 2)}))
                .await,
        );
    }
    for (sort, order) in [
        ("leadsName", "2"),
        ("leadsName", "1"),
        ("updateTime", "1"),
        ("createTime", "2"),
    ] {
        let mut seen = Vec::new();
        for page in 1..=4 {
            seen.extend(
                app.list_ids(
                    "CrmLeads",
                    "leadsId",
                    json!({"page": page, "limit": 2, "sortField": sort, "order": order}),
                )
                .await,
            );
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen.len(), 7, "{sort} {order}: {seen:?}");
        assert_eq!(sorted.len(), 7, "{sort} {order}: {seen:?}");
    }
    let asc = app
        .list_ids(
            "CrmLeads",
            "leadsId",
            json!({"sortField": "leadsName", "order": 2, "limit": 7}),
        )
        .await;
    let first_names: Vec<i64> = asc[..4].to_vec();
    assert!(
        first_names
            .iter()
            .all(|id| (all.iter().position(|x| x == id).unwrap()) % 2 == 0),
        "同名0 first when ascending"
    );
    // Default order: most recently updated first.
    app.post(
        "/api/CrmLeads/addOrUpdate",
        json!({"entity": {"leadsId": all[0], "remark": "touched"}}),
    )
    .await;
    exec_sql(
        &app,
        &format!(
            "UPDATE crm_leads SET update_time = create_time WHERE leads_id <> {}",
            all[0]
        ),
    )
    .await;
    exec_sql(
        &app,
        &format!(
            "UPDATE crm_leads SET update_time = '2099-01-01 00:00:00' WHERE leads_id = {}",
            all[0]
        ),
    )
    .await;
    assert_eq!(app.list_ids("CrmLeads", "leadsId", json!({})).await[0], all[0]);
}

#[tokio::test]
async fn a_customer_with_contacts_or_business_cannot_be_deleted() {
    let app = spawn_app().await;
    let free = customer(&app).await;
    let busy = customer(&app).await;
    app.create("CrmContacts", json!({"name": "张", "customer_id": busy}))
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/deleteByIds",
            json!({"customerIds": format!("{free},{busy}")}),
        )
        .await;
    assert_error(&body, 500, "该条数据与其他数据有必要关联，请勿删除");
    // Nothing was deleted: the batch is one transaction.
    assert_eq!(app.list("CrmCustomer", json!({})).await["totalRow"], 2);
    let other = customer(&app).await;
    app.create(
        "CrmBusiness",
        json!({"business_name": "单", "customer_id": other}),
    )
    .await;
    assert_error(
        &app.post("/api/CrmCustomer/deleteByIds", json!({"customerIds": other}))
            .await,
        500,
        "该条数据与其他数据有必要关联，请勿删除",
    );
    assert_eq!(
        app.post("/api/CrmCustomer/deleteByIds", json!({"ids": free}))
            .await["code"],
        0
    );
}

#[tokio::test]
async fn deleting_unknown_or_junk_ids_changes_nothing() {
    let app = spawn_app().await;
    for m in &MODULES {
        let cust = customer(&app).await;
        let id = app.create(m.route, m.entity("留下", cust)).await;
        let body = app
            .post(
                &m.path("deleteByIds"),
                json!({ m.ids_key: format!("{id},987654") }),
            )
            .await;
        assert_eq!(body["code"], 500, "{body}");
        assert!(
            body["msg"].as_str().unwrap().ends_with("不存在或已删除：987654"),
            "{body}"
        );
        assert_eq!(
            app.post(&m.path("queryById"), json!({ m.id_key: id })).await["code"],
            0
        );
        let body = app
            .post(
                &m.path("deleteByIds"),
                json!({ m.ids_key: format!("{id},1 OR 1=1") }),
            )
            .await;
        assert_eq!(body["code"], 400, "{body}");
        let body = app.post(&m.path("deleteByIds"), json!({})).await;
        assert_eq!(body["code"], 400, "{body}");
        assert_eq!(
            app.post(&m.path("queryById"), json!({ m.id_key: id })).await["code"],
            0
        );
    }
}

#[tokio::test]
async fn bad_entities_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let save = |entity: Value| app.post("/api/CrmBusiness/addOrUpdate", json!({ "entity": entity }));
    let cust = customer(&app).await;
    assert_error(&save(json!({"customer_id": cust})).await, 400, "商机名称不能为空");
    assert_error(
        &save(json!({"business_name": "", "customer_id": cust})).await,
        400,
        "商机名称不能为空",
    );
    assert_error(
        &save(json!({"business_name": "x"})).await,
        400,
        "客户名称不能为空",
    );
    assert_error(
        &save(json!({"business_name": {"a": 1}, "customer_id": cust})).await,
        400,
        "商机名称应为文本",
    );
    assert_error(
        &save(json!({"business_name": "x", "customer_id": "abc"})).await,
        400,
        "客户名称应为整数",
    );
    assert_error(
        &save(json!({"business_name": "x", "customer_id": 99999})).await,
        500,
        "客户不存在：99999",
    );
    assert_error(
        &save(json!({"business_name": "x", "customer_id": cust, "money": "12.345"})).await,
        400,
        "商机金额应为数字，最多两位小数",
    );
    assert_error(
        &save(json!({"business_name": "x", "customer_id": cust, "deal_date": "2020-13-45"})).await,
        400,
        "预计成交日期日期格式错误，例:2020-01-01 00:00:00",
    );
    assert_error(
        &save(json!({"business_name": "x".repeat(256), "customer_id": cust})).await,
        400,
        "商机名称长度不能超过255个字符",
    );
    assert_error(
        &save(json!({"business_name": "x", "customer_id": cust, "owner_user_id": 4242})).await,
        500,
        "负责人不存在：4242",
    );
    assert_error(
        &save(json!({"businessId": 4242, "business_name": "x"})).await,
        500,
        "商机不存在或已删除",
    );
    assert_error(
        &app.post("/api/CrmBusiness/addOrUpdate", json!({})).await,
        400,
        "entity不能为空",
    );
    assert_eq!(app.list("CrmBusiness", json!({})).await["totalRow"], 0);
}

#[tokio::test]
async fn sql_metacharacters_are_data() {
    let app = spawn_app().await;
    let evil = "x'); DROP TABLE crm_leads; --";
    let id = app
        .create("CrmLeads", json!({"leads_name": evil, "remark": "\" OR 1=1 --"}))
        .await;
    assert_eq!(
        app.post("/api/CrmLeads/queryById", json!({"leadsId": id})).await["data"]["leadsName"],
        evil
    );
    assert_eq!(
        app.list_ids("CrmLeads", "leadsId", json!({"search": "'); DROP"}))
            .await,
        vec![id]
    );
    let data = json!({"leads_name": {"condition": "is", "value": evil}, "remark": {"condition": "contains", "value": "\" OR 1=1"}});
    assert_eq!(
        app.list_ids("CrmLeads", "leadsId", json!({ "data": data })).await,
        vec![id]
    );
    let injected = json!({"leads_id": {"condition": "in", "value": "1) OR (1=1"}});
    assert_error(
        &app.post("/api/CrmLeads/queryPageList", json!({ "data": injected }))
            .await,
        400,
        "筛选条件线索id的值格式错误",
    );
    let field = json!({"leads_name; DROP TABLE crm_leads": {"condition": "is", "value": "x"}});
    assert_error(
        &app.post("/api/CrmLeads/queryPageList", json!({ "data": field }))
            .await,
        400,
        "筛选字段不存在：leads_name; DROP TABLE crm_leads",
    );
    assert_error(
        &app.post(
            "/api/CrmLeads/queryPageList",
            json!({"sortField": "leads_id; DROP TABLE x"}),
        )
        .await,
        400,
        "不支持的排序字段：leads_id; DROP TABLE x",
    );
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 1);
}

#[tokio::test]
async fn list_parameters_are_checked() {
    let app = spawn_app().await;
    let list = |params: Value| app.post("/api/CrmLeads/queryPageList", params);
    assert_error(
        &list(json!({"page": -1})).await,
        400,
        "页码应为1到1000000之间的整数",
    );
    assert_error(
        &list(json!({"page": 0})).await,
        400,
        "页码应为1到1000000之间的整数",
    );
    assert_error(
        &list(json!({"page": "99999999999"})).await,
        400,
        "页码应为1到1000000之间的整数",
    );
    assert_error(&list(json!({"page": "x"})).await, 400, "参数page应为整数");
    assert_error(
        &list(json!({"limit": 0})).await,
        400,
        "每页条数应为1到100之间的整数",
    );
    assert_error(
        &list(json!({"limit": 101})).await,
        400,
        "每页条数应为1到100之间的整数",
    );
    assert_eq!(list(json!({"limit": 5000, "pageType": 0})).await["code"], 0);
    assert_error(
        &list(json!({"limit": 10001, "pageType": 0})).await,
        400,
        "每页条数应为1到10000之间的整数",
    );
    assert_error(
        &list(json!({"sortField": "nope"})).await,
        400,
        "不支持的排序字段：nope",
    );
    assert_error(
        &list(json!({"data": {"nope": {"condition": "is", "value": 1}}})).await,
        400,
        "筛选字段不存在：nope",
    );
    assert_error(
        &list(json!({"data": {"mobile": {"condition": "regex", "value": 1}}})).await,
        400,
        "不支持的筛选条件：regex",
    );
    assert_error(
        &list(json!({"data": "not json"})).await,
        400,
        "参数data应为JSON对象",
    );
    assert_error(
        &list(json!({"data": {"create_time": {"start": "someday"}}})).await,
        400,
        "不支持的日期范围：someday",
    );
    assert_error(
        &list(json!({"data": {"leads_id": {"condition": "contains", "value": "1"}}})).await,
        400,
        "筛选字段线索id不支持条件contains",
    );
}

#[tokio::test]
async fn query_by_id_needs_a_valid_id() {
    let app = spawn_app().await;
    for m in &MODULES {
        assert_eq!(app.post(&m.path("queryById"), json!({})).await["code"], 400);
        assert_eq!(
            app.post(&m.path("queryById"), json!({ m.id_key: "abc" })).await["code"],
            400
        );
        assert_eq!(
            app.post(&m.path("queryById"), json!({ m.id_key: 123456 })).await["code"],
            500
        );
    }
}

#[tokio::test]
async fn cached_counts_follow_writes_from_any_instance() {
    let app = spawn_app().await;
    let other = app.second_instance().await;
    app.create("CrmLeads", json!({"leads_name": "一"})).await;
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 1);
    assert_eq!(
        app.list("CrmLeads", json!({})).await["totalRow"],
        1,
        "served from the cache"
    );
    let id = other.create("CrmLeads", json!({"leads_name": "二"})).await;
    assert_eq!(
        app.list("CrmLeads", json!({})).await["totalRow"],
        2,
        "a write on another instance"
    );
    other
        .post("/api/CrmLeads/deleteByIds", json!({"leadsIds": id}))
        .await;
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 1);
    let zhang = app.add_user("zhang", "张三").await;
    let cust = app.create("CrmCustomer", json!({"customer_name": "客"})).await;
    let filter = json!({"data": {"owner_user_id": {"condition": "is", "value": zhang}}});
    assert_eq!(app.list("CrmCustomer", filter.clone()).await["totalRow"], 0);
    other
        .post(
            "/api/CrmCustomer/transfer",
            json!({"customerIds": cust, "newOwnerUserId": zhang}),
        )
        .await;
    assert_eq!(
        app.list("CrmCustomer", filter).await["totalRow"],
        1,
        "a transfer moves the version on"
    );
}

#[tokio::test]
async fn keyword_search_follows_inserts_updates_and_deletes() {
    let app = spawn_app().await;
    for m in &MODULES {
        let cust = app
            .create(
                "CrmCustomer",
                json!({"customer_name": format!("客户{}", m.route)}),
            )
            .await;
        let id = app
            .create(m.route, m.entity(&format!("北京悟空科技{}", m.route), cust))
            .await;
        let other = app
            .create(m.route, m.entity(&format!("上海星辰软件{}", m.route), cust))
            .await;
        let found = |term: &str| app.list_ids(m.route, m.id_key, json!({"search": term}));
        assert_eq!(
            found("悟空科技").await,
            vec![id],
            "{} three or more characters",
            m.route
        );
        assert_eq!(found("悟空").await, vec![id], "{} two characters", m.route);
        assert_eq!(found("京").await, vec![id], "{} one character", m.route);
        assert_eq!(
            found("\"悟空\" OR 星辰").await,
            Vec::<i64>::new(),
            "{} quotes are literal",
            m.route
        );
        let renamed = json!({"entity": { m.id_key: id, m.name_column: format!("广州远航物流{}", m.route) }});
        app.post(&m.path("addOrUpdate"), renamed).await;
        assert_eq!(found("悟空科技").await, Vec::<i64>::new(), "{} old name", m.route);
        assert_eq!(found("远航物流").await, vec![id], "{} new name", m.route);
        app.post(&m.path("deleteByIds"), json!({ m.ids_key: other }))
            .await;
        assert_eq!(found("星辰软件").await, Vec::<i64>::new(), "{} deleted", m.route);
    }
}
