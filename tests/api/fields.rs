//! The field catalogue, custom-field administration and validation on save.

use serde_json::{Value, json};

use crate::helpers::*;

async fn add_field(app: &TestApp, params: Value) -> i64 {
    let body = app.post("/api/field/addField", params).await;
    body["data"].as_i64().unwrap_or_else(|| panic!("{body}"))
}

async fn fields(app: &TestApp, label: i64) -> Vec<Value> {
    let body = app.post("/api/field/queryField", json!({"label": label})).await;
    body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

fn by_name<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[tokio::test]
async fn query_field_lists_the_seeded_catalogue_in_every_encoding() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let body = app
            .send(
                enc,
                "/api/field/queryField",
                json!({"label": "1"}),
                Some(&app.token),
            )
            .await;
        let list = body["data"].as_array().unwrap().clone();
        let source = by_name(&list, "线索来源");
        assert_eq!(source["formType"], "select");
        assert_eq!(source["type"], 3);
        assert_eq!(
            source["setting"],
            json!([
                "促销",
                "搜索引擎",
                "广告",
                "转介绍",
                "线上注册",
                "线上询价",
                "预约上门",
                "陌拜",
                "电话咨询",
                "邮件咨询"
            ])
        );
        assert_eq!(
            source["options"],
            "促销,搜索引擎,广告,转介绍,线上注册,线上询价,预约上门,陌拜,电话咨询,邮件咨询"
        );
        assert_eq!(source["authLevel"], 3);
        assert_eq!(source["fieldType"], 2);
        let name = by_name(&list, "线索名称");
        assert_eq!(
            (
                name["isNull"].clone(),
                name["fieldType"].clone(),
                name["fieldName"].clone()
            ),
            (json!(1), json!(1), json!("leads_name"))
        );
        let names: Vec<&str> = list.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(&names[..4], ["线索名称", "线索来源", "电话", "手机"]);
    }
    assert_eq!(by_name(&fields(&app, 2).await, "客户名称")["isUnique"], 1);
    assert_eq!(
        by_name(&fields(&app, 3).await, "是否关键决策人")["setting"],
        json!(["是", "否"])
    );
    assert_eq!(
        by_name(&fields(&app, 3).await, "性别")["setting"],
        json!(["男", "女"])
    );
    assert_eq!(
        by_name(&fields(&app, 5).await, "商机金额")["formType"],
        "floatnumber"
    );
    assert_error(
        &app.post("/api/field/queryField", json!({"label": 9})).await,
        400,
        "label不符合要求：9",
    );
    assert_error(
        &app.post("/api/field/queryField", json!({})).await,
        400,
        "label不能为空",
    );
}

#[tokio::test]
async fn query_field_with_an_id_answers_the_records_values() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let tags = add_field(
        &app,
        json!({"label": 1, "name": "标签", "formType": "checkbox", "options": "甲,乙,丙"}),
    )
    .await;
    let helper = add_field(&app, json!({"label": 1, "name": "协助人", "formType": "user"})).await;
    let body = app.post("/api/CrmLeads/addOrUpdate", json!({"entity": {"leads_name": "有值", "mobile": "13800000000"}, "field": [
        {"fieldId": tags, "value": ["丙", "甲"]}, {"fieldId": helper, "value": [zhang]}, {"name": "线索来源", "value": "广告"}]})).await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    let list = app
        .post("/api/field/queryField", json!({"label": 1, "id": id}))
        .await["data"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(by_name(&list, "线索名称")["value"], "有值");
    assert_eq!(by_name(&list, "手机")["value"], "13800000000");
    assert_eq!(by_name(&list, "线索来源")["value"], "广告");
    assert_eq!(by_name(&list, "标签")["value"], json!(["甲", "丙"]));
    assert_eq!(
        by_name(&list, "协助人")["value"],
        json!([{"userId": zhang, "realname": "张三"}])
    );
    let lead = app.post("/api/CrmLeads/queryById", json!({"leadsId": id})).await;
    assert_eq!(lead["data"]["标签"], "甲,丙");
}

#[tokio::test]
async fn every_save_checks_required_unique_types_and_formats() {
    let app = spawn_app().await;
    let code = add_field(
        &app,
        json!({"label": 1, "name": "编号", "formType": "text", "isUnique": 1, "isNull": 1, "maxLength": 8}),
    )
    .await;
    add_field(&app, json!({"label": 1, "name": "人数", "formType": "number"})).await;
    add_field(
        &app,
        json!({"label": 1, "name": "预算", "formType": "floatnumber", "precisions": 1}),
    )
    .await;
    add_field(&app, json!({"label": 1, "name": "生日", "formType": "date"})).await;
    add_field(&app, json!({"label": 1, "name": "邮箱2", "formType": "email"})).await;
    let save = |field: Value| {
        app.post(
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "校验"}, "field": field}),
        )
    };
    assert_error(&save(json!([])).await, 400, "编号不能为空");
    assert_error(
        &save(json!([{"name": "编号", "value": "123456789"}])).await,
        400,
        "编号长度不能超过8个字符",
    );
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}, {"name": "人数", "value": "3.5"}])).await,
        400,
        "人数应为整数",
    );
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}, {"name": "预算", "value": "1.25"}])).await,
        400,
        "预算最多1位小数",
    );
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}, {"name": "生日", "value": "1990/01/01"}])).await,
        400,
        "生日日期格式错误，例:2020-01-01",
    );
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}, {"name": "邮箱2", "value": "nope"}])).await,
        400,
        "邮箱2格式错误，应为邮箱地址",
    );
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}, {"name": "线索来源", "value": "地推"}])).await,
        400,
        "线索来源的值不在可选项中：地推",
    );
    let first = save(json!([{"name": "编号", "value": "A1"}, {"name": "人数", "value": "3"}])).await;
    let id = first["data"].as_i64().unwrap_or_else(|| panic!("{first}"));
    assert_error(
        &save(json!([{"name": "编号", "value": "A1"}])).await,
        500,
        "编号已存在",
    );
    // A record keeps its own unique value on update.
    let body = app
        .post(
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leadsId": id, "remark": "改"}, "field": [{"name": "编号", "value": "A1"}]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    // Fixed columns: formats and uniqueness too.
    let body = app.post("/api/CrmLeads/addOrUpdate", json!({"entity": {"leads_name": "x", "mobile": "12ab"}, "field": [{"name": "编号", "value": "B"}]})).await;
    assert_error(&body, 400, "手机格式错误，应为6到15位数字的手机号");
    app.create("CrmCustomer", json!({"customer_name": "唯一客户"}))
        .await;
    assert_error(
        &app.post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "唯一客户"}}),
        )
        .await,
        500,
        "客户名称已存在",
    );
    // verify pre-checks the same way.
    let body = app
        .post("/api/field/verify", json!({"fieldId": code, "value": "A1"}))
        .await;
    assert_error(&body, 500, "编号已存在");
    assert_eq!(
        app.post(
            "/api/field/verify",
            json!({"fieldId": code, "value": "A1", "id": id})
        )
        .await["code"],
        0
    );
    assert_eq!(
        app.post("/api/field/verify", json!({"fieldId": code, "value": "A2"}))
            .await["code"],
        0
    );
    let unique = by_name(&fields(&app, 2).await, "客户名称")["fieldId"].clone();
    assert_error(
        &app.post(
            "/api/field/verify",
            json!({"fieldId": unique, "value": "唯一客户"}),
        )
        .await,
        500,
        "客户名称已存在",
    );
    assert_eq!(app.list("CrmLeads", json!({})).await["totalRow"], 1);
}

#[tokio::test]
async fn administrators_shape_custom_fields() {
    let app = spawn_app().await;
    let level = add_field(&app, json!({"label": 2, "name": "等级", "formType": "select", "options": ["金", "银"], "defaultValue": "银"})).await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "默认值"}))
        .await;
    assert_eq!(
        app.post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
            .await["data"]["等级"],
        "银",
        "the default applies"
    );
    // Renaming keeps the stored values; the type cannot change.
    let body = app
        .post(
            "/api/field/updateField",
            json!({"fieldId": level, "name": "客户等级"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(
        app.post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
            .await["data"]["客户等级"],
        "银"
    );
    assert_error(
        &app.post(
            "/api/field/updateField",
            json!({"fieldId": level, "formType": "text"}),
        )
        .await,
        400,
        "字段类型不能修改",
    );
    assert_error(
        &app.post(
            "/api/field/addField",
            json!({"label": 2, "name": "客户等级", "formType": "text"}),
        )
        .await,
        500,
        "字段名称已存在",
    );
    assert_error(
        &app.post(
            "/api/field/addField",
            json!({"label": 2, "name": "x", "formType": "select"}),
        )
        .await,
        400,
        "选项不能为空",
    );
    assert_error(
        &app.post(
            "/api/field/addField",
            json!({"label": 2, "name": "x", "formType": "file"}),
        )
        .await,
        400,
        "不支持的字段类型：file",
    );
    assert_error(
        &app.post(
            "/api/field/addField",
            json!({"label": 2, "name": "x", "formType": "select", "options": "a", "defaultValue": "b"}),
        )
        .await,
        400,
        "x的值不在可选项中：b",
    );
    // Order and visibility.
    let ids: Vec<i64> = fields(&app, 2)
        .await
        .iter()
        .map(|f| f["fieldId"].as_i64().unwrap())
        .collect();
    let mut reversed = ids.clone();
    reversed.reverse();
    assert_eq!(
        app.post("/api/field/sortField", json!({"label": 2, "fieldIds": reversed}))
            .await["code"],
        0
    );
    assert_eq!(fields(&app, 2).await[0]["fieldId"], *ids.last().unwrap());
    assert_eq!(
        app.post(
            "/api/field/setFieldHidden",
            json!({"fieldId": level, "isHidden": 1})
        )
        .await["code"],
        0
    );
    assert!(fields(&app, 2).await.iter().all(|f| f["fieldId"] != level));
    assert!(
        app.post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
            .await["data"]
            .get("客户等级")
            .is_none()
    );
    let name_field = by_name(&fields(&app, 2).await, "客户名称")["fieldId"].clone();
    assert_error(
        &app.post(
            "/api/field/setFieldHidden",
            json!({"fieldId": name_field, "isHidden": 1}),
        )
        .await,
        500,
        "系统字段和必填字段不能隐藏",
    );
    assert_error(
        &app.post("/api/field/deleteField", json!({"fieldId": name_field}))
            .await,
        500,
        "系统字段不能删除",
    );
    // Deleting a field leaves records valid.
    assert_eq!(
        app.post("/api/field/deleteField", json!({"fieldId": level}))
            .await["code"],
        0
    );
    assert_eq!(app.list("CrmCustomer", json!({})).await["totalRow"], 1);
    let body = app
        .post(
            "/api/CrmCustomer/queryPageList",
            json!({"data": {"客户等级": {"condition": "is", "value": "银"}}}),
        )
        .await;
    assert_error(&body, 400, "筛选字段不存在：客户等级");
    assert_error(
        &app.post("/api/field/deleteField", json!({"fieldId": 424242}))
            .await,
        500,
        "字段不存在：424242",
    );
    // Only the administrator.
    app.add_user("zhang", "张三").await;
    let token = app.login("zhang", "secret-1").await;
    for path in [
        "/api/field/addField",
        "/api/field/updateField",
        "/api/field/deleteField",
        "/api/field/sortField",
        "/api/field/setFieldHidden",
    ] {
        assert_error(
            &app.post_as(&token, path, json!({"label": 2, "fieldId": level}))
                .await,
            401,
            "无权操作",
        );
    }
}

#[tokio::test]
async fn custom_fields_get_an_index_and_lose_it_with_the_field() {
    let app = spawn_app().await;
    let count = |name: String| {
        let app = &app;
        async move {
            let sql = match app.crm.db.backend() {
                wkcrm::store::Backend::Sqlite => {
                    format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{name}'")
                }
                wkcrm::store::Backend::Postgres => {
                    format!("SELECT COUNT(*) FROM pg_indexes WHERE indexname = '{name}'")
                }
            };
            scalar(app, &sql).await
        }
    };
    let seeded = by_name(&fields(&app, 1).await, "线索来源")["fieldId"]
        .as_i64()
        .unwrap();
    assert_eq!(count(format!("crm_leads_cf_{seeded}")).await, 1);
    let id = add_field(
        &app,
        json!({"label": 3, "name": "爱好", "formType": "select", "options": "读书,跑步"}),
    )
    .await;
    assert_eq!(count(format!("crm_contacts_cf_{id}")).await, 1);
    app.post("/api/field/deleteField", json!({"fieldId": id})).await;
    assert_eq!(count(format!("crm_contacts_cf_{id}")).await, 0);
}

/// `verify` writes nothing, so it takes no write lock: it answers while another transaction
/// holds one (on SQLite, the database's only one; before, it queued behind it).
#[tokio::test]
async fn verify_answers_while_a_writer_holds_the_lock() {
    let app = spawn_app().await;
    app.create("CrmCustomer", json!({"customer_name": "唯一客户"}))
        .await;
    let unique = by_name(&fields(&app, 2).await, "客户名称")["fieldId"].clone();
    let writer = app.crm.db.begin().await.unwrap();
    let verify = app.post(
        "/api/field/verify",
        json!({"fieldId": unique, "value": "唯一客户"}),
    );
    let body = tokio::time::timeout(std::time::Duration::from_secs(5), verify)
        .await
        .expect("verify waited for the writer");
    assert_error(&body, 500, "客户名称已存在");
    drop(writer);
}
