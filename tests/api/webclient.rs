//! What the WukongCRM 9 web client needs beyond the API document (issue 12): its session
//! routes, list columns, forms and 基本信息, the to-do page, the dashboard, and envelopes
//! for the modules wkcrm does not have.

use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn session_routes_answer_the_reload_path() {
    let app = spawn_app().await;
    let auth = app.post("/api/system/role/auth", json!({})).await;
    assert_eq!(auth["code"], 0, "{auth}");
    assert_eq!(auth["data"]["crm"]["customer"]["index"], true);
    // The settings pages the client registers for the administrator, by their operations.
    for (menu, op) in [
        ("crm", "field"),
        ("crm", "pool"),
        ("system", "read"),
        ("users", "read"),
        ("permission", "update"),
    ] {
        assert_eq!(
            auth["data"]["manage"][menu][op], true,
            "manage.{menu}.{op}: {auth}"
        );
    }
    let me = app.post("/api/system/user/queryLoginUser", json!({})).await;
    assert_eq!(me["data"]["username"], "admin", "{me}");
    let types = app.post("/api/system/role/getRoleTypeList", json!({})).await;
    assert!(
        types["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["roleType"] == 2)
    );

    // The login page reads the name and logo before anyone logs in.
    let anonymous = app
        .send(Enc::Form, "/api/sysConfig/querySysConfig", json!({}), None)
        .await;
    assert_eq!(anonymous, json!({"code": 0, "data": {"name": "", "logo": ""}}));
    let (_, sales) = salesperson(&app, "webclient_sales").await;
    let refused = app
        .post_as(&sales, "/api/sysConfig/setSysConfig", json!({"name": "X"}))
        .await;
    assert_eq!(refused["code"], 401, "{refused}");
    let set = app
        .post(
            "/api/sysConfig/setSysConfig",
            json!({"name": "悟空", "logo": "/logo.png"}),
        )
        .await;
    assert_eq!(set["code"], 0, "{set}");
    let config = app
        .send(Enc::Form, "/api/sysConfig/querySysConfig", json!({}), None)
        .await;
    assert_eq!(config["data"], json!({"name": "悟空", "logo": "/logo.png"}));
    // A salesperson's tree lists only its own rights.
    let tree = app.post_as(&sales, "/api/system/role/auth", json!({})).await;
    assert!(tree["data"].get("manage").is_none(), "{tree}");
}

/// The catalogue label of a module's route.
fn label_of(route: &str) -> i64 {
    match route {
        "CrmLeads" => 1,
        "CrmCustomer" => 2,
        "CrmContacts" => 3,
        _ => 5,
    }
}

/// The `fieldName`s of a list head.
fn head_keys(head: &Value) -> Vec<String> {
    head["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{head}"))
        .iter()
        .map(|c| c["fieldName"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn list_heads_name_the_keys_of_the_list_rows() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "列客户"}))
        .await;
    for m in &MODULES {
        app.create(m.route, m.entity(&format!("{}列", m.route), cust))
            .await;
        let head = app
            .post("/api/field/queryListHead", json!({"label": label_of(m.route)}))
            .await;
        let row = app.list(m.route, json!({})).await["list"][0].clone();
        for key in head_keys(&head) {
            assert!(row.get(&key).is_some(), "{}: no {key} in {row}", m.route);
        }
        assert!(head["data"].as_array().unwrap().iter().all(|c| c["width"] == 100));
    }
    app.post(
        "/api/CrmProduct/addOrUpdate",
        json!({"entity": {"name": "列产品", "category_id": 1, "num": "P-1", "price": "1.00"}}),
    )
    .await;
    let head = app.post("/api/field/queryListHead", json!({"label": 4})).await;
    let row = app.list("CrmProduct", json!({})).await["list"][0].clone();
    for key in head_keys(&head) {
        assert!(row.get(&key).is_some(), "product: no {key} in {row}");
    }
    let business = head_keys(&app.post("/api/field/queryListHead", json!({"label": 5})).await);
    assert!(business.contains(&"customerName".to_owned()) && business.contains(&"statusName".to_owned()));
    let pool = head_keys(&app.post("/api/field/queryListHead", json!({"label": 9})).await);
    assert!(pool.contains(&"customerName".to_owned()) && !pool.contains(&"poolDay".to_owned()));
    assert_error(
        &app.post("/api/field/queryListHead", json!({})).await,
        400,
        "label不能为空",
    );
}

#[tokio::test]
async fn column_settings_are_each_users_own() {
    let app = spawn_app().await;
    let (_, sales) = salesperson(&app, "columns_sales").await;
    let config = app.post("/api/field/queryFieldConfig", json!({"label": 2})).await;
    let shown = config["data"]["value"].as_array().unwrap().clone();
    let id = |i: usize| shown[i]["id"].as_i64().unwrap();
    assert_error(
        &app.post(
            "/api/field/fieldConfig",
            json!({"label": 2, "noHideIds": id(0).to_string()}),
        )
        .await,
        500,
        "至少显示2列",
    );
    let hidden: Vec<String> = shown[2..].iter().map(|c| c["id"].to_string()).collect();
    let set = app
        .post(
            "/api/field/fieldConfig",
            json!({"label": 2, "noHideIds": format!("{},{}", id(1), id(0)), "hideIds": hidden.join(",")}),
        )
        .await;
    assert_eq!(set["code"], 0, "{set}");
    let width = app
        .post(
            "/api/field/setFelidStyle",
            json!({"types": "crm_customer", "field": "mobile", "width": 180}),
        )
        .await;
    assert_eq!(width["code"], 0, "{width}");
    let head = app.post("/api/field/queryListHead", json!({"label": 2})).await;
    assert_eq!(head_keys(&head), vec!["mobile", "customerName"]);
    assert_eq!(head["data"][0]["width"], 180);
    let config = app.post("/api/field/queryFieldConfig", json!({"label": 2})).await;
    assert_eq!(
        config["data"]["hide_value"].as_array().unwrap().len(),
        shown.len() - 2
    );
    // Another user still has every column, at the default width.
    let theirs = app
        .post_as(&sales, "/api/field/queryListHead", json!({"label": 2}))
        .await;
    assert_eq!(head_keys(&theirs).len(), shown.len());
    assert!(
        theirs["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["width"] == 100)
    );
    // Ids of another user's columns are refused.
    let other = app
        .post_as(&sales, "/api/field/queryFieldConfig", json!({"label": 2}))
        .await;
    let foreign = other["data"]["value"][0]["id"].as_i64().unwrap();
    assert_error(
        &app.post(
            "/api/field/fieldConfig",
            json!({"label": 2, "noHideIds": format!("{},{foreign}", id(0))}),
        )
        .await,
        500,
        &format!("列不存在：{foreign}"),
    );
    assert_error(
        &app.post(
            "/api/field/setFelidStyle",
            json!({"types": "crm_nothing", "field": "x", "width": 10}),
        )
        .await,
        400,
        "types不符合要求：crm_nothing",
    );
}

#[tokio::test]
async fn the_customer_form_saves_its_address_as_the_j9_client_sends_it() {
    let app = spawn_app().await;
    let form = app.post("/api/field/queryField", json!({"label": 2})).await;
    let fields = form["data"].as_array().unwrap();
    let map = fields.iter().find(|f| f["formType"] == "map_address").unwrap();
    assert_eq!(map["fieldName"], "map_address");
    assert!(!fields.iter().any(|f| f["fieldName"] == "detail_address"));
    let website = fields.iter().find(|f| f["fieldName"] == "website").unwrap();
    assert_eq!(website["formType"], "text");
    // The J9 client's save: the address parts beside the other columns.
    let saved = app
        .post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "地址客户", "address": "北京市,北京城区,东城区",
                "detailAddress": "长安街1号", "location": "天安门", "lng": "116.39", "lat": "39.90",
                "website": "", "next_time": ""}, "field": []}),
        )
        .await;
    assert_eq!(saved["code"], 0, "{saved}");
    let id = saved["data"].as_i64().unwrap();
    let address = json!({"address": "北京市,北京城区,东城区", "detailAddress": "长安街1号",
        "location": "天安门", "lng": "116.39", "lat": "39.90"});
    let edit = app
        .post("/api/field/queryField", json!({"label": 2, "id": id}))
        .await;
    let map = edit["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fieldName"] == "map_address")
        .unwrap()
        .clone();
    assert_eq!(map["value"], address);
    let info = app
        .post("/api/field/information", json!({"types": 2, "id": id}))
        .await;
    let info = info["data"].as_array().unwrap();
    let map = info.iter().find(|f| f["formType"] == "map_address").unwrap();
    assert_eq!(map["value"], address);
    let name = info.iter().find(|f| f["name"] == "客户名称").unwrap();
    assert_eq!(name["value"], "地址客户");
}

#[tokio::test]
async fn information_types_references_users_and_stages_as_the_client_renders_them() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "信息客户"}))
        .await;
    let business = app
        .create(
            "CrmBusiness",
            json!({"business_name": "信息商机", "customer_id": cust, "money": "12.50"}),
        )
        .await;
    let info = app
        .post("/api/field/information", json!({"types": 5, "id": business}))
        .await;
    let by_name = |name: &str| {
        info["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {info}"))
            .clone()
    };
    assert_eq!(
        by_name("客户名称")["value"],
        json!({"customerId": cust, "customerName": "信息客户"})
    );
    assert_eq!(by_name("商机金额")["value"], "12.50");
    assert_eq!(by_name("商机状态组")["formType"], "typeName");
    let (_, sales) = salesperson(&app, "info_sales").await;
    assert_error(
        &app.post_as(
            &sales,
            "/api/field/information",
            json!({"types": 5, "id": business}),
        )
        .await,
        401,
        "无权操作",
    );
    let filters = app.post("/api/scene/queryField", json!({"label": 2})).await;
    let names: Vec<&str> = filters["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fieldName"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"customer_name")
            && names.contains(&"deal_status")
            && names.contains(&"owner_user_id")
    );
}

#[tokio::test]
async fn the_to_do_page_lists_each_owners_records_to_follow() {
    let app = spawn_app().await;
    let (sales_id, sales) = salesperson(&app, "todo_sales").await;
    let mine = app
        .post_as(
            &sales,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "待办客户"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let lead = app
        .post_as(
            &sales,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "待办线索"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    app.create("CrmCustomer", json!({"customer_name": "管理员的客户"}))
        .await;
    let num = app.post_as(&sales, "/api/CrmBackLog/num", json!({})).await;
    assert_eq!(
        num["data"],
        json!({"followCustomer": 1, "followLeads": 1, "putInPoolRemind": 0, "todayCustomer": 0}),
        "{num}"
    );
    let page = app
        .post_as(
            &sales,
            "/api/CrmBackLog/followCustomer",
            json!({"type": 1, "isSub": 1}),
        )
        .await;
    assert_eq!(page["data"]["totalRow"], 1, "{page}");
    assert_eq!(page["data"]["list"][0]["customerId"], mine);
    // The administrator sees the salesperson's records as a subordinate's? Not in this
    // organisation (no superior set): an empty tab, not an error.
    let subs = app
        .post("/api/CrmBackLog/followCustomer", json!({"type": 1, "isSub": 2}))
        .await;
    assert_eq!(subs["code"], 0, "{subs}");
    // Marking someone else's record is refused and changes nothing.
    let admins = app
        .list_ids("CrmCustomer", "customerId", json!({"search": "管理员的客户"}))
        .await;
    assert_error(
        &app.post_as(
            &sales,
            "/api/CrmBackLog/setCustomerFollowup",
            json!({"ids": format!("{mine},{}", admins[0])}),
        )
        .await,
        401,
        "无权操作",
    );
    let marked = app
        .post_as(
            &sales,
            "/api/CrmBackLog/setCustomerFollowup",
            json!({"ids": mine.to_string()}),
        )
        .await;
    assert_eq!(marked["code"], 0, "{marked}");
    let marked = app
        .post_as(&sales, "/api/CrmBackLog/setLeadsFollowup", json!({"ids": [lead]}))
        .await;
    assert_eq!(marked["code"], 0, "{marked}");
    let num = app.post_as(&sales, "/api/CrmBackLog/num", json!({})).await;
    assert_eq!(num["data"]["followCustomer"], 0);
    assert_eq!(num["data"]["followLeads"], 0);
    let followed = app
        .post_as(
            &sales,
            "/api/CrmBackLog/followLeads",
            json!({"type": 2, "isSub": 1}),
        )
        .await;
    assert_eq!(followed["data"]["totalRow"], 1, "{followed}");
    assert_error(
        &app.post_as(
            &sales,
            "/api/CrmBackLog/todayCustomer",
            json!({"type": 9, "isSub": 1}),
        )
        .await,
        400,
        "type类型不正确",
    );
    let _ = sales_id;
}

#[tokio::test]
async fn customers_due_today_or_overdue_leave_the_tab_once_followed_up() {
    let app = spawn_app().await;
    let today = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "今日客户", "next_time": today_at("23:59:00")}),
        )
        .await;
    let overdue = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "逾期客户", "next_time": "2020-01-01 09:00:00"}),
        )
        .await;
    let tab = |t: i64| {
        let app = &app;
        async move {
            let body = app
                .post("/api/CrmBackLog/todayCustomer", json!({"type": t, "isSub": 1}))
                .await;
            body["data"]["list"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .map(|r| r["customerId"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    // Made later but due earlier: the tabs go by next contact, latest first.
    let long_overdue = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "久逾期客户", "next_time": "2019-06-01 09:00:00"}),
        )
        .await;
    assert_eq!(tab(1).await, vec![today]);
    assert_eq!(tab(2).await, vec![overdue, long_overdue]);
    assert!(tab(3).await.is_empty());
    assert_eq!(
        app.post("/api/CrmBackLog/num", json!({})).await["data"]["todayCustomer"],
        1
    );
    for id in [today, overdue, long_overdue] {
        let added = app
            .post(
                "/api/CrmActivity/addCrmActivityRecord",
                json!({"activityType": 2, "activityTypeId": id, "content": "打过电话", "category": "打电话"}),
            )
            .await;
        assert_eq!(added["code"], 0, "{added}");
    }
    assert!(tab(1).await.is_empty());
    assert!(tab(2).await.is_empty());
    assert_eq!(tab(3).await, vec![today]);
}

/// Today's date in Asia/Shanghai (the server's zone) at a time.
fn today_at(time: &str) -> String {
    let now = chrono::Utc::now() + chrono::Duration::hours(8);
    format!("{} {time}", now.format("%Y-%m-%d"))
}

#[tokio::test]
async fn the_dashboard_counts_within_the_callers_reach() {
    let app = spawn_app().await;
    let (sales_id, sales) = salesperson(&app, "dash_sales").await;
    let cust = app
        .post_as(
            &sales,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "仪表盘客户"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    app.post_as(
        &sales,
        "/api/CrmActivity/addCrmActivityRecord",
        json!({"activityType": 2, "activityTypeId": cust, "content": "拜访", "category": "上门拜访"}),
    )
    .await;
    app.create("CrmCustomer", json!({"customer_name": "管理员客户"}))
        .await;
    let mine = app
        .post_as(
            &sales,
            "/api/Crm/Instrument/queryBulletin",
            json!({"type": "today"}),
        )
        .await;
    assert_eq!(mine["data"]["customerCount"], 1, "{mine}");
    assert_eq!(mine["data"]["recordCount"], 1);
    assert_eq!(mine["data"]["contractCount"], 0);
    // The salesperson's scope is its own records: naming the administrator counts nothing.
    let admin = app
        .post_as(
            &sales,
            "/api/Crm/Instrument/queryBulletin",
            json!({"type": "today", "userIds": "1"}),
        )
        .await;
    assert_eq!(admin["data"]["customerCount"], 0, "{admin}");
    let both = app
        .post(
            "/api/Crm/Instrument/queryBulletin",
            json!({"type": "month", "userIds": format!("1,{sales_id}")}),
        )
        .await;
    assert_eq!(both["data"]["customerCount"], 2, "{both}");
    let info = app
        .post_as(
            &sales,
            "/api/Crm/Instrument/queryBulletinInfo",
            json!({"type": "today", "label": 2}),
        )
        .await;
    assert_eq!(info["data"]["list"][0]["customerId"], cust, "{info}");
    let records = app
        .post_as(
            &sales,
            "/api/Crm/Instrument/queryRecordConunt",
            json!({"type": "week"}),
        )
        .await;
    let customer = records["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["crmType"] == "crm_customer")
        .unwrap()
        .clone();
    assert_eq!(customer["count"], 1, "{records}");
    let trend = app
        .post(
            "/api/Crm/Instrument/sellMonth",
            json!({"startTime": "2026-01-01", "endTime": "2026-12-31"}),
        )
        .await;
    assert_eq!(trend["data"]["list"].as_array().unwrap().len(), 12, "{trend}");
    let funnel = app
        .post("/api/Crm/Instrument/queryBusiness", json!({"type": "year"}))
        .await;
    assert_eq!(funnel["code"], 0, "{funnel}");
    assert!(funnel["data"]["list"].as_array().unwrap().len() >= 3);
    // The keys the client's funnel reads (赢单/输单 and the stages'), camelCase as J9's.
    for key in ["sumYing", "sumShu", "sumMoney"] {
        assert!(
            funnel["data"][key].is_number() || funnel["data"][key].is_string(),
            "{key}: {funnel}"
        );
    }
    let stage = &funnel["data"]["list"][0];
    for key in ["statusId", "name", "orderNum", "typeId", "count", "money"] {
        assert!(!stage[key].is_null(), "{key}: {stage}");
    }
    let performance = app.post("/api/Crm/Instrument/queryPerformance", json!({})).await;
    assert_eq!(performance["data"]["contractMoneys"], 0);
    assert_error(
        &app.post("/api/Crm/Instrument/queryBulletin", json!({"type": "someday"}))
            .await,
        400,
        "type不符合要求：someday",
    );
}

#[tokio::test]
async fn absent_modules_answer_an_envelope_not_a_404() {
    let app = spawn_app().await;
    for (path, msg) in [
        ("/api/CrmContract/queryPageList", "合同模块未启用"),
        ("/api/CrmReceivables/queryPageList", "回款模块未启用"),
        ("/api/CrmBackLog/checkContract", "合同模块未启用"),
        ("/api/OaExamine/myInitiate", "审批模块未启用"),
        ("/api/OaLog/queryList", "办公模块未启用"),
        ("/api/biRanking/contractRanKing", "商业智能模块未启用"),
    ] {
        assert_error(&app.post(path, json!({})).await, 500, msg);
    }
    let req = axum::http::Request::post("/api/CrmNothing/queryPageList")
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, body) = app.raw(req).await;
    assert_eq!(status, axum::http::StatusCode::NOT_FOUND);
    assert_error(&body, 404, "资源未找到");
}

#[tokio::test]
async fn field_save_replaces_a_modules_field_list_in_one_go() {
    let app = spawn_app().await;
    let list = app.post("/api/field/list", json!({"label": 1})).await;
    let mut fields = list["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .clone();
    assert!(fields.iter().any(|f| f["fieldType"] == 1 && f["operating"] == 3));
    // Add two custom fields at the front.
    fields.insert(
        0,
        json!({"name": "预算", "formType": "number", "isNull": 0, "isUnique": 0}),
    );
    fields.insert(1, json!({"name": "意向", "formType": "checkbox", "setting": ["高", "中", "低"], "defaultValue": ["中"]}));
    let saved = app
        .post("/api/field/save", json!({"label": 1, "data": fields}))
        .await;
    assert_eq!(saved["code"], 0, "{saved}");
    let lead = app
        .post(
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "字段线索", "预算": 100, "意向": "高"}}),
        )
        .await;
    assert_eq!(lead["code"], 0, "{lead}");
    let list = app.post("/api/field/list", json!({"label": 1})).await;
    let fields = list["data"].as_array().unwrap().clone();
    assert_eq!(fields[0]["name"], "预算");
    assert_eq!(fields[1]["defaultValue"], "中");
    // Rename 预算 and drop 意向: the kept field keeps its values.
    let kept: Vec<Value> = fields
        .iter()
        .filter(|f| f["name"] != "意向")
        .map(|f| {
            let mut f = f.clone();
            if f["name"] == "预算" {
                f["name"] = json!("预算金额");
            }
            f
        })
        .collect();
    let saved = app
        .post("/api/field/save", json!({"label": 1, "data": kept}))
        .await;
    assert_eq!(saved["code"], 0, "{saved}");
    let row = app.list("CrmLeads", json!({})).await["list"][0].clone();
    assert_eq!(row["预算金额"], 100, "{row}");
    assert!(row.get("意向").is_none(), "{row}");
    // A fixed field cannot go, names must differ, and a refused save changes nothing.
    let without_name: Vec<Value> = kept
        .iter()
        .filter(|f| f["fieldName"] != "leads_name")
        .cloned()
        .collect();
    assert_error(
        &app.post("/api/field/save", json!({"label": 1, "data": without_name}))
            .await,
        500,
        "系统字段不能删除：线索名称",
    );
    let mut twice = kept.clone();
    twice.push(json!({"name": "预算金额", "formType": "text"}));
    assert_error(
        &app.post("/api/field/save", json!({"label": 1, "data": twice}))
            .await,
        500,
        "自定义表单名称不能重复！",
    );
    let mut bad = kept.clone();
    bad.push(json!({"name": "新字段", "formType": "nonsense"}));
    let refused = app
        .post("/api/field/save", json!({"label": 1, "data": bad}))
        .await;
    assert_eq!(refused["code"], 400, "{refused}");
    let after = app.post("/api/field/list", json!({"label": 1})).await;
    assert_eq!(after["data"].as_array().unwrap().len(), kept.len());
    let (_, sales) = salesperson(&app, "field_sales").await;
    assert_error(
        &app.post_as(&sales, "/api/field/save", json!({"label": 1, "data": kept}))
            .await,
        401,
        "无权操作",
    );
    let modules = app.post("/api/field/queryFields", json!({})).await;
    assert!(
        modules["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["types"] == "crm_customer")
    );
    // When each module's fields last changed, in the server's zone: the leads' with this
    // test's saves, the others' at their creation.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    for module in modules["data"].as_array().unwrap() {
        let time = module["updateTime"]
            .as_str()
            .unwrap_or_else(|| panic!("{module}"));
        assert!(time.starts_with(&today) && time.len() == 19, "{module}");
    }
}

#[tokio::test]
async fn the_duplicate_check_finds_records_the_caller_may_read() {
    let app = spawn_app().await;
    let (_, sales) = salesperson(&app, "dup_sales").await;
    let own = app
        .post_as(
            &sales,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "查重科技有限公司", "mobile": "13900000001"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    app.create(
        "CrmCustomer",
        json!({"customer_name": "查重贸易", "mobile": "13900000002"}),
    )
    .await;
    let found = |token: String, params: Value| {
        let app = &app;
        async move {
            let body = app.post_as(&token, "/api/CrmCustomer/queryList", params).await;
            body["data"]["list"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .map(|r| r["customerId"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found(sales.clone(), json!({"customerName": "查重"})).await,
        vec![own]
    );
    assert_eq!(
        found(app.token.clone(), json!({"customerName": "查重"}))
            .await
            .len(),
        2
    );
    assert_eq!(
        found(app.token.clone(), json!({"mobile": "13900000001"})).await,
        vec![own]
    );
    assert!(
        found(
            app.token.clone(),
            json!({"customerName": "查重", "mobile": "139"})
        )
        .await
        .is_empty()
    );
    assert_error(
        &app.post("/api/CrmCustomer/queryList", json!({})).await,
        400,
        "查询条件不能为空",
    );
    let contact = app
        .create("CrmContacts", json!({"name": "查重联系人", "customer_id": own}))
        .await;
    let body = app
        .post("/api/CrmContacts/queryList", json!({"customerName": "科技"}))
        .await;
    assert_eq!(body["data"]["list"][0]["contactsId"], contact, "{body}");
    let lead = app
        .create(
            "CrmLeads",
            json!({"leads_name": "查重线索", "telephone": "010-1234567"}),
        )
        .await;
    let body = app
        .post("/api/CrmLeads/queryList", json!({"telephone": "010-1234567"}))
        .await;
    assert_eq!(body["data"]["list"][0]["leadsId"], lead, "{body}");
}

#[tokio::test]
async fn the_j9_clients_names_for_products_and_the_organisation() {
    let app = spawn_app().await;
    let saved = app
        .post(
            "/api/CrmProduct/saveAndUpdate",
            json!({"entity": {"name": "J9产品", "category_id": 1, "num": "J9-1", "price": "9.90"}, "field": []}),
        )
        .await;
    assert_eq!(saved["code"], 0, "{saved}");
    let dept = app
        .post("/api/system/dept/addDept", json!({"name": "华东", "pid": 1}))
        .await["data"]
        .as_i64()
        .unwrap();
    let renamed = app
        .post(
            "/api/system/dept/updateDept",
            json!({"deptId": dept, "name": "华东区", "pid": 1}),
        )
        .await;
    assert_eq!(renamed["code"], 0, "{renamed}");
    let tree = app.post("/api/system/dept/queryDeptByAuth", json!({})).await;
    assert!(tree.to_string().contains("华东区"), "{tree}");
    let users = app
        .post("/api/system/user/queryUserByDeptId", json!({"deptId": 1}))
        .await;
    assert!(
        users["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["username"] == "admin"),
        "{users}"
    );
    let roles = app
        .post("/api/system/role/getRoleByType", json!({"roleType": 2}))
        .await;
    assert!(!roles["data"].as_array().unwrap().is_empty(), "{roles}");
    let none = app
        .post("/api/system/role/getRoleByType", json!({"roleType": 7}))
        .await;
    assert_eq!(none["data"], json!([]));
    let menus = app
        .post("/api/system/menu/getMenuListByType", json!({"roleType": 2}))
        .await;
    assert_eq!(menus["code"], 0, "{menus}");
}

#[tokio::test]
async fn the_dashboard_lists_the_follow_ups_it_counts() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "跟进统计客户"}))
        .await;
    let added = app
        .post(
            "/api/CrmActivity/addCrmActivityRecord",
            json!({"activityType": 2, "activityTypeId": cust, "content": "统计的跟进", "category": "打电话"}),
        )
        .await;
    assert_eq!(added["code"], 0, "{added}");
    let page = app
        .post(
            "/api/Crm/Instrument/queryRecordList",
            json!({"type": "today", "crmType": "crm_customer"}),
        )
        .await;
    assert_eq!(page["data"]["totalRow"], 1, "{page}");
    assert_eq!(page["data"]["list"][0]["content"], "统计的跟进");
    let leads = app
        .post(
            "/api/Crm/Instrument/queryRecordList",
            json!({"type": "today", "crmType": "crm_leads"}),
        )
        .await;
    assert_eq!(leads["data"]["totalRow"], 0, "{leads}");
    assert_error(
        &app.post(
            "/api/Crm/Instrument/queryRecordList",
            json!({"crmType": "crm_contract"}),
        )
        .await,
        400,
        "crmType不符合要求：crm_contract",
    );
}

#[tokio::test]
async fn an_administrator_renames_a_users_login() {
    let app = spawn_app().await;
    let (id, token) = salesperson(&app, "rename_me").await;
    let edited = app
        .post(
            "/api/system/user/usernameEdit",
            json!({"id": id, "username": "renamed", "password": "secret-2"}),
        )
        .await;
    assert_eq!(edited["code"], 0, "{edited}");
    app.assert_logged_out(&token).await;
    app.login("renamed", "secret-2").await;
    assert_error(
        &app.post(
            "/api/system/user/usernameEdit",
            json!({"id": id, "username": "admin", "password": "secret-2"}),
        )
        .await,
        500,
        "用户名已存在",
    );
    let other = app.login("renamed", "secret-2").await;
    assert_error(
        &app.post_as(
            &other,
            "/api/system/user/usernameEdit",
            json!({"id": 1, "username": "x", "password": "secret-3"}),
        )
        .await,
        401,
        "无权操作",
    );
}

#[tokio::test]
async fn a_role_is_copied_with_its_rights() {
    let app = spawn_app().await;
    let first = app.post("/api/system/role/copy", json!({"roleId": 3})).await;
    assert_eq!(first["code"], 0, "{first}");
    let second = app
        .post("/api/system/role/copy", json!({"roleId": first["data"]}))
        .await;
    let roles = app.post("/api/system/role/getAllRoleList", json!({})).await;
    let role = |id: &Value| {
        roles["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["roleId"] == *id)
            .unwrap()
            .clone()
    };
    let (original, copy, again) = (role(&json!(3)), role(&first["data"]), role(&second["data"]));
    assert_eq!(
        copy["roleName"],
        format!("{}(1)", original["roleName"].as_str().unwrap())
    );
    assert_eq!(
        again["roleName"],
        format!("{}(2)", original["roleName"].as_str().unwrap())
    );
    assert_eq!(copy["menuIds"], original["menuIds"]);
    assert_eq!(copy["dataType"], original["dataType"]);
}

#[tokio::test]
async fn a_user_changes_its_own_password() {
    let app = spawn_app().await;
    let (_, token) = salesperson(&app, "own_password").await;
    assert_error(
        &app.post_as(
            &token,
            "/api/system/user/updatePassword",
            json!({"oldPwd": "wrong-1", "newPwd": "secret-9"}),
        )
        .await,
        500,
        "密码输入错误",
    );
    let changed = app
        .post_as(
            &token,
            "/api/system/user/updatePassword",
            json!({"oldPwd": "secret-1", "newPwd": "secret-9"}),
        )
        .await;
    assert_eq!(changed["code"], 0, "{changed}");
    app.assert_logged_out(&token).await;
    app.login("own_password", "secret-9").await;
}

#[tokio::test]
async fn only_the_crm_module_is_on() {
    let app = spawn_app().await;
    let modules = app.post("/api/sysConfig/queryModuleSetting", json!({})).await;
    let on: Vec<&Value> = modules["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == 1)
        .collect();
    assert_eq!(on.len(), 1, "{modules}");
    assert_eq!(on[0]["module"], "crm");
    let crm = on[0]["settingId"].clone();
    assert_eq!(
        app.post(
            "/api/sysConfig/setModuleSetting",
            json!({"settingId": crm, "status": 1})
        )
        .await["code"],
        0
    );
    assert_error(
        &app.post(
            "/api/sysConfig/setModuleSetting",
            json!({"settingId": crm, "status": 0}),
        )
        .await,
        500,
        "客户管理模块不能停用",
    );
    assert_error(
        &app.post(
            "/api/sysConfig/setModuleSetting",
            json!({"settingId": 21, "status": 1}),
        )
        .await,
        500,
        "办公管理模块未启用：wkcrm 没有该模块",
    );
}

#[tokio::test]
async fn field_save_takes_back_the_customer_list_it_gave_with_its_map_address() {
    let app = spawn_app().await;
    let list = app.post("/api/field/list", json!({"label": 2})).await;
    let mut fields = list["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .clone();
    assert!(
        fields.iter().any(|f| f["formType"] == "map_address"),
        "the customer's 地区定位: {list}"
    );
    fields.push(json!({"name": "客户来源渠道", "formType": "text"}));
    let changed = |label: i64| {
        let app = &app;
        async move {
            let modules = app.post("/api/field/queryFields", json!({})).await;
            let module = modules["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["label"] == label)
                .cloned();
            module.unwrap()["updateTime"].as_str().unwrap().to_owned()
        }
    };
    let (customers_before, leads_before) = (changed(2).await, changed(1).await);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let saved = app
        .post("/api/field/save", json!({"label": 2, "data": fields}))
        .await;
    assert_eq!(
        saved["code"], 0,
        "the client resends every field as it read it: {saved}"
    );
    assert!(
        changed(2).await > customers_before,
        "the save moves the customers' time on"
    );
    assert_eq!(changed(1).await, leads_before, "the leads' fields did not change");
    let after = app.post("/api/field/list", json!({"label": 2})).await;
    assert!(after.to_string().contains("客户来源渠道"), "{after}");
    // A new field still takes only the custom fields' types.
    fields.push(json!({"name": "另一个地址", "formType": "map_address"}));
    let refused = app
        .post("/api/field/save", json!({"label": 2, "data": fields}))
        .await;
    assert_eq!(refused["code"], 400, "{refused}");
    assert!(
        refused["msg"]
            .as_str()
            .unwrap()
            .contains("不支持的字段类型：map_address"),
        "{refused}"
    );
}
