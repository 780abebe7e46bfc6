//! Business status groups (商机状态组), their stages, and a business moving through them.

use serde_json::{Value, json};

use crate::helpers::*;

const SET: &str = "/api/businessType/setBusinessType";
const LIST: &str = "/api/businessType/queryBusinessTypeList";
const GET: &str = "/api/businessType/getBusinessType";
const DELETE: &str = "/api/businessType/deleteById";
const OPTIONS: &str = "/api/CrmBusiness/queryBusinessStatusOptions";
const STATUS: &str = "/api/CrmBusiness/queryBusinessStatus";
const BOOST: &str = "/api/CrmBusiness/boostBusinessStatus";

async fn dept(app: &TestApp, name: &str) -> i64 {
    let body = app
        .post("/api/system/dept/addDept", json!({"name": name, "pid": 1}))
        .await;
    body["data"].as_i64().unwrap_or_else(|| panic!("{body}"))
}

async fn user_in(app: &TestApp, name: &str, dept: i64) -> String {
    let params =
        json!({"username": name, "password": "secret-1", "realname": name, "deptId": dept, "roleIds": [3]});
    let body = app.post("/api/system/user/addUser", params).await;
    assert_eq!(body["code"], 0, "{body}");
    app.login(name, "secret-1").await
}

/// Creates or updates a group; answers its id.
async fn set_group(app: &TestApp, body: Value) -> i64 {
    let answer = app.post(SET, body).await;
    assert_eq!(answer["code"], 0, "{answer}");
    answer["data"].as_i64().unwrap()
}

async fn group(app: &TestApp, id: i64) -> Value {
    let body = app.post(GET, json!({ "id": id })).await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"].clone()
}

fn stage_ids(group: &Value) -> Vec<i64> {
    group["statusList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["statusId"].as_i64().unwrap())
        .collect()
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s[key].as_str().unwrap().to_owned())
        .collect()
}

async fn history(app: &TestApp, id: i64) -> Vec<String> {
    let body = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": id, "types": 5}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["content"].as_array().unwrap().clone())
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

async fn business(app: &TestApp, name: &str, type_id: i64, status_id: i64) -> i64 {
    let customer = app
        .create("CrmCustomer", json!({"customer_name": format!("{name}客户")}))
        .await;
    app.create(
        "CrmBusiness",
        json!({"business_name": name, "customer_id": customer, "type_id": type_id, "status_id": status_id}),
    )
    .await
}

/// The stage keys of a business in its detail and in the list.
async fn shown(app: &TestApp, id: i64) -> [Value; 3] {
    let detail = app
        .post("/api/CrmBusiness/queryById", json!({"businessId": id}))
        .await;
    assert_eq!(detail["code"], 0, "{detail}");
    let d = &detail["data"];
    let list = app
        .list("CrmBusiness", json!({"search": d["businessName"]}))
        .await;
    let row = list["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["businessId"] == id)
        .unwrap_or_else(|| panic!("{list}"))
        .clone();
    for key in ["progressBar", "statusName", "rate", "isEnd", "statusRemark"] {
        assert_eq!(row[key], d[key], "{key}: list {row} detail {d}");
    }
    [
        d["progressBar"].clone(),
        d["statusName"].clone(),
        d["rate"].clone(),
    ]
}

#[tokio::test]
async fn the_seeded_group_is_listed_with_its_stages() {
    let app = spawn_app().await;
    let body = app.post(LIST, json!({"page": 1, "limit": 15})).await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(body["data"]["totalRow"], 1, "{body}");
    let g = &body["data"]["list"][0];
    assert_eq!(g["name"], "销售流程商机组");
    assert_eq!(g["status"], 1);
    assert_eq!(g["deptIds"], json!([]));
    assert_eq!(
        names(&g["statusList"], "name"),
        ["验证客户", "需求分析", "方案/报价"]
    );
    assert_eq!(names(&g["statusList"], "rate"), ["20", "30", "80"]);
    assert_eq!(g["statusList"][2]["orderNum"], 3);
    let one = group(&app, 1).await;
    assert_eq!(one["statusList"], g["statusList"]);
    assert_error(
        &app.post(GET, json!({"id": 999})).await,
        500,
        "商机组不存在或已删除",
    );
}

#[tokio::test]
async fn groups_are_created_updated_and_deleted_by_the_administrator() {
    let app = spawn_app().await;
    let east = dept(&app, "华东").await;
    let west = dept(&app, "华西").await;
    let id = set_group(
        &app,
        json!({
            "crmBusinessType": {"name": "大客户流程"},
            "deptIds": [east, west],
            "crmBusinessStatus": [{"name": "初步接洽", "rate": 10}, {"name": "商务谈判", "rate": "60"}],
        }),
    )
    .await;
    let g = group(&app, id).await;
    assert_eq!(g["name"], "大客户流程");
    assert_eq!(g["status"], 1);
    assert_eq!(
        g["deptIds"],
        json!([{"id": east, "name": "华东"}, {"id": west, "name": "华西"}])
    );
    assert_eq!(names(&g["statusList"], "rate"), ["10", "60"]);
    assert!(g["createName"].as_str().is_some_and(|n| !n.is_empty()), "{g}");
    assert!(g["createTime"].as_str().is_some(), "{g}");
    let [first, second] = stage_ids(&g)[..] else {
        panic!("{g}")
    };

    // Update: rename, keep the second stage (now first), drop the first, add one; the
    // department objects the edit dialog read are accepted back.
    let same = set_group(
        &app,
        json!({
            "crmBusinessType": {"typeId": id, "name": "大客户流程二"},
            "deptIds": [{"id": east, "name": "华东"}],
            "crmBusinessStatus": [
                {"name": "谈判", "rate": 70, "statusId": second},
                {"name": "签约", "rate": 90},
            ],
        }),
    )
    .await;
    assert_eq!(same, id);
    let g = group(&app, id).await;
    assert_eq!(g["name"], "大客户流程二");
    assert_eq!(g["deptIds"], json!([{"id": east, "name": "华东"}]));
    assert_eq!(names(&g["statusList"], "name"), ["谈判", "签约"]);
    let ids = stage_ids(&g);
    assert_eq!(ids[0], second, "a kept stage keeps its id");
    assert_ne!(ids[1], first);

    let list = app.post(LIST, json!({"page": 1, "limit": 1})).await;
    assert_eq!(list["data"]["totalRow"], 2, "{list}");
    assert_eq!(list["data"]["list"].as_array().unwrap().len(), 1);

    assert_eq!(app.post(DELETE, json!({"id": id})).await["code"], 0);
    assert_error(
        &app.post(GET, json!({"id": id})).await,
        500,
        "商机组不存在或已删除",
    );
    assert_error(
        &app.post(DELETE, json!({"id": id})).await,
        500,
        "商机组不存在或已删除",
    );
}

#[tokio::test]
async fn bad_groups_and_non_administrators_are_refused() {
    let app = spawn_app().await;
    let stages = json!([{"name": "甲", "rate": 10}]);
    for (body, msg) in [
        (
            json!({"crmBusinessType": {"name": " "}, "crmBusinessStatus": stages}),
            "商机组名称不能为空",
        ),
        (
            json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": []}),
            "请至少设置一个商机阶段",
        ),
        (
            json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": [{"name": "", "rate": 1}]}),
            "阶段名称不能为空",
        ),
        (
            json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": [{"name": "甲", "rate": 101}]}),
            "赢单率应为0到100的整数",
        ),
        (
            json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": [{"name": "甲", "rate": "abc"}]}),
            "赢单率应为0到100的整数",
        ),
        (
            json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": [{"name": "甲"}]}),
            "赢单率不能为空",
        ),
    ] {
        assert_error(&app.post(SET, body).await, 400, msg);
    }
    let taken = json!({"crmBusinessType": {"name": "销售流程商机组"}, "crmBusinessStatus": stages});
    assert_error(&app.post(SET, taken).await, 500, "商机组名称已存在");
    let no_dept =
        json!({"crmBusinessType": {"name": "甲组"}, "deptIds": [9999], "crmBusinessStatus": stages});
    assert_error(&app.post(SET, no_dept).await, 500, "部门不存在：9999");
    // A stage of another group cannot be taken over.
    let other = json!({"crmBusinessType": {"name": "甲组"}, "crmBusinessStatus": [{"name": "甲", "rate": 1, "statusId": 1}]});
    let id = set_group(
        &app,
        json!({"crmBusinessType": {"name": "乙组"}, "crmBusinessStatus": stages}),
    )
    .await;
    let mut stolen = other.clone();
    stolen["crmBusinessType"]["typeId"] = json!(id);
    assert_error(&app.post(SET, stolen).await, 500, "商机阶段不属于该商机组：1");

    let (_, token) = salesperson(&app, "xiaowang").await;
    for (path, body) in [(SET, other), (LIST, json!({})), (DELETE, json!({"id": id}))] {
        assert_error(&app.post_as(&token, path, body).await, 401, "无权操作");
    }
    // Reading one group is for everyone (the business form reads its stages).
    assert_eq!(app.post_as(&token, GET, json!({"id": id})).await["code"], 0);
}

#[tokio::test]
async fn a_group_or_stage_in_use_is_kept() {
    let app = spawn_app().await;
    let id = set_group(
        &app,
        json!({"crmBusinessType": {"name": "项目流程"}, "crmBusinessStatus": [{"name": "立项", "rate": 10}, {"name": "交付", "rate": 90}]}),
    )
    .await;
    let [start, deliver] = stage_ids(&group(&app, id).await)[..] else {
        panic!()
    };
    business(&app, "在用商机", id, start).await;
    assert_error(
        &app.post(DELETE, json!({"id": id})).await,
        500,
        "使用中的商机组不可以删除",
    );
    let drop_used = json!({"crmBusinessType": {"typeId": id, "name": "项目流程"}, "crmBusinessStatus": [{"name": "交付", "rate": 90, "statusId": deliver}]});
    assert_error(
        &app.post(SET, drop_used).await,
        500,
        "商机阶段“立项”有商机正在使用，不能删除",
    );
    // Dropping the unused stage and renaming the used one is fine.
    let keep_used = json!({"crmBusinessType": {"typeId": id, "name": "项目流程"}, "crmBusinessStatus": [{"name": "立项确认", "rate": 15, "statusId": start}]});
    set_group(&app, keep_used).await;
    let g = group(&app, id).await;
    assert_eq!(stage_ids(&g), [start]);
    assert_eq!(g["statusList"][0]["name"], "立项确认");
}

#[tokio::test]
async fn options_are_the_enabled_groups_of_the_callers_department() {
    let app = spawn_app().await;
    let east = dept(&app, "华东").await;
    let west = dept(&app, "华西").await;
    let stages = json!([{"name": "甲", "rate": 10}]);
    set_group(
        &app,
        json!({"crmBusinessType": {"name": "华东流程"}, "deptIds": [east], "crmBusinessStatus": stages}),
    )
    .await;
    set_group(
        &app,
        json!({"crmBusinessType": {"name": "停用流程", "status": 0}, "crmBusinessStatus": stages}),
    )
    .await;
    let east_user = user_in(&app, "dongdong", east).await;
    let west_user = user_in(&app, "xixi", west).await;
    let options = |token: String| {
        let app = &app;
        async move {
            let body = app.post_as(&token, OPTIONS, json!({})).await;
            assert_eq!(body["code"], 0, "{body}");
            body["data"].clone()
        }
    };
    let east_sees = options(east_user).await;
    assert_eq!(names(&east_sees, "name"), ["销售流程商机组", "华东流程"]);
    assert_eq!(
        names(&east_sees[0]["statusList"], "name"),
        ["验证客户", "需求分析", "方案/报价"]
    );
    assert_eq!(east_sees[0]["statusList"][0]["typeId"], 1);
    assert_eq!(names(&options(west_user).await, "name"), ["销售流程商机组"]);
    let admin = app.post(OPTIONS, json!({})).await;
    assert_eq!(names(&admin["data"], "name"), ["销售流程商机组", "华东流程"]);
}

#[tokio::test]
async fn a_business_moves_through_its_stages_to_an_end() {
    let app = spawn_app().await;
    let id = business(&app, "推进商机", 1, 1).await;
    let body = app.post(STATUS, json!({"businessId": id})).await;
    assert_eq!(body["code"], 0, "{body}");
    let s = &body["data"];
    assert_eq!(s["businessId"], id);
    assert_eq!(s["typeId"], 1);
    assert_eq!(s["statusId"], 1);
    assert_eq!(s["isEnd"], 0);
    assert_eq!(s["statusRemark"], "");
    assert_eq!(
        names(&s["statusList"], "name"),
        ["验证客户", "需求分析", "方案/报价"]
    );
    assert_eq!(
        shown(&app, id).await,
        [json!("1/4"), json!("验证客户"), json!("20")]
    );

    assert_eq!(
        app.post(BOOST, json!({"businessId": id, "statusId": 2})).await["code"],
        0
    );
    assert_eq!(
        shown(&app, id).await,
        [json!("2/4"), json!("需求分析"), json!("30")]
    );
    assert_eq!(
        app.post(BOOST, json!({"businessId": id, "statusId": "3"})).await["code"],
        0
    );
    assert_eq!(
        shown(&app, id).await,
        [json!("3/4"), json!("方案/报价"), json!("80")]
    );

    let won = json!({"businessId": id, "isEnd": 1, "statusRemark": "签约"});
    assert_eq!(app.post(BOOST, won).await["code"], 0);
    let s = app.post(STATUS, json!({"businessId": id})).await["data"].clone();
    assert_eq!((s["isEnd"].clone(), s["statusId"].clone()), (json!(1), json!(3)));
    assert_eq!(s["statusRemark"], "签约");
    assert_eq!(s["statusName"], "赢单");
    let [bar, name, _] = shown(&app, id).await;
    assert_eq!((bar, name), (json!("3/4"), json!("赢单")));
    let won_scene = app
        .list(
            "CrmBusiness",
            json!({"data": {"type_id": {"formType": "business_type", "typeId": 1, "statusId": "win"}}}),
        )
        .await;
    assert_eq!(won_scene["totalRow"], 1, "{won_scene}");

    // Back to a stage reopens it; then lost with a reason.
    assert_eq!(
        app.post(BOOST, json!({"businessId": id, "statusId": 1})).await["code"],
        0
    );
    assert_eq!(shown(&app, id).await[1], json!("验证客户"));
    let lost = json!({"businessId": id, "isEnd": 2, "statusRemark": "预算取消"});
    assert_eq!(app.post(BOOST, lost).await["code"], 0);
    assert_eq!(shown(&app, id).await[1], json!("输单"));

    let h = history(&app, id).await;
    for sentence in [
        "将商机阶段由验证客户变更为需求分析",
        "将商机阶段由需求分析变更为方案/报价",
        "将商机状态变更为赢单，备注：签约",
        "将商机阶段由赢单变更为验证客户",
        "将商机状态变更为输单，备注：预算取消",
    ] {
        assert!(h.iter().any(|s| s == sentence), "{sentence} in {h:?}");
    }
}

#[tokio::test]
async fn boosts_are_checked() {
    let app = spawn_app().await;
    let other = set_group(
        &app,
        json!({"crmBusinessType": {"name": "别的组"}, "crmBusinessStatus": [{"name": "别的阶段", "rate": 50}]}),
    )
    .await;
    let foreign = stage_ids(&group(&app, other).await)[0];
    let id = business(&app, "受检商机", 1, 1).await;
    assert_error(
        &app.post(BOOST, json!({"businessId": id, "statusId": foreign}))
            .await,
        500,
        "商机阶段不属于该商机组",
    );
    assert_error(
        &app.post(BOOST, json!({"businessId": id})).await,
        400,
        "商机阶段不能为空",
    );
    assert_error(
        &app.post(BOOST, json!({"businessId": id, "isEnd": 5})).await,
        400,
        "isEnd只能为0（推进）1（赢单）2（输单）3（无效）",
    );
    assert_error(
        &app.post(BOOST, json!({"statusId": 1})).await,
        400,
        "商机id不能为空",
    );
    assert_error(
        &app.post(BOOST, json!({"businessId": 99999, "statusId": 1})).await,
        500,
        "商机不存在或已删除：99999",
    );
    assert_eq!(shown(&app, id).await[1], json!("验证客户"), "nothing changed");

    // A salesperson reaches neither the administrator's business's stages nor its boost.
    let (_, token) = salesperson(&app, "xiaoli").await;
    assert_error(
        &app.post_as(&token, STATUS, json!({"businessId": id})).await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post_as(&token, BOOST, json!({"businessId": id, "statusId": 2}))
            .await,
        401,
        "无权操作",
    );
    // Its own business it may move.
    let customer = app
        .post_as(
            &token,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "小李的客户"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let own = app
        .post_as(
            &token,
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"business_name": "小李的商机", "customer_id": customer, "type_id": 1, "status_id": 1}}),
        )
        .await;
    let own = own["data"].as_i64().unwrap_or_else(|| panic!("{own}"));
    assert_eq!(
        app.post_as(&token, BOOST, json!({"businessId": own, "statusId": 2}))
            .await["code"],
        0
    );
    let s = app.post_as(&token, STATUS, json!({"businessId": own})).await;
    assert_eq!(s["data"]["statusId"], 2, "{s}");
}

#[tokio::test]
async fn a_business_is_saved_only_at_a_stage_of_its_group() {
    let app = spawn_app().await;
    let other = set_group(
        &app,
        json!({"crmBusinessType": {"name": "另一流程"}, "deptIds": [], "crmBusinessStatus": [{"name": "别的阶段", "rate": 50}]}),
    )
    .await;
    let foreign = stage_ids(&group(&app, other).await)[0];
    let seeded = stage_ids(&group(&app, 1).await);
    let customer = app
        .create("CrmCustomer", json!({"customer_name": "阶段客户"}))
        .await;
    let save = |entity: Value| app.post("/api/CrmBusiness/addOrUpdate", json!({ "entity": entity }));
    assert_error(
        &save(
            json!({"business_name": "错组商机", "customer_id": customer, "type_id": 1, "status_id": foreign}),
        )
        .await,
        500,
        "商机阶段不属于该商机组",
    );
    let body = save(
        json!({"business_name": "对组商机", "customer_id": customer, "type_id": 1, "status_id": seeded[0]}),
    )
    .await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    assert_error(
        &save(json!({"business_id": id, "status_id": foreign})).await,
        500,
        "商机阶段不属于该商机组",
    );
    let moved = save(json!({"business_id": id, "type_id": other, "status_id": foreign})).await;
    assert_eq!(moved["code"], 0, "{moved}");
}

#[tokio::test]
async fn new_business_only_in_an_enabled_group_of_the_callers_department() {
    let app = spawn_app().await;
    let east = dept(&app, "华东组").await;
    let west = dept(&app, "华西组").await;
    let stages = json!([{"name": "甲", "rate": 10}]);
    let east_group = set_group(
        &app,
        json!({"crmBusinessType": {"name": "华东专用"}, "deptIds": [east], "crmBusinessStatus": stages}),
    )
    .await;
    let west_token = user_in(&app, "xiyu", west).await;
    let customer = app
        .post_as(
            &west_token,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "华西客户"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let new_business = |token: String, type_id: i64| {
        let app = &app;
        async move {
            app.post_as(
                &token,
                "/api/CrmBusiness/addOrUpdate",
                json!({"entity": {"business_name": "跨部门商机", "customer_id": customer, "type_id": type_id}}),
            )
            .await
        }
    };
    assert_error(
        &new_business(west_token.clone(), east_group).await,
        500,
        "该商机组不适用于您所在的部门",
    );
    // J11's spelling stops the seeded group: no new business in it, old ones keep it.
    let kept = business(&app, "老商机", 1, 1).await;
    assert_eq!(
        app.post(
            "/api/crmBusinessType/updateStatus",
            json!({"typeId": 1, "status": 0})
        )
        .await,
        json!({"code": 0})
    );
    assert_eq!(group(&app, 1).await["status"], 0);
    assert_error(&new_business(west_token.clone(), 1).await, 500, "商机组已停用");
    let edit = app
        .post(
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"business_id": kept, "business_name": "老商机改名", "type_id": 1, "status_id": 1}}),
        )
        .await;
    assert_eq!(edit["code"], 0, "{edit}");
    for (params, code, msg) in [
        (
            json!({"typeId": 1, "status": 3}),
            400,
            "status只能为0（停用）或1（启用）",
        ),
        (json!({"typeId": 999, "status": 1}), 500, "商机组不存在或已删除"),
    ] {
        assert_error(
            &app.post("/api/businessType/updateStatus", params).await,
            code,
            msg,
        );
    }
    assert_error(
        &app.post_as(
            &west_token,
            "/api/crmBusinessType/updateStatus",
            json!({"typeId": 1, "status": 1}),
        )
        .await,
        401,
        "无权操作",
    );
    // The J11 spelling lists the same groups.
    let j11 = app
        .post(
            "/api/crmBusinessType/queryBusinessTypeList",
            json!({"page": 1, "limit": 10}),
        )
        .await;
    assert_eq!(j11, app.post(LIST, json!({"page": 1, "limit": 10})).await);
}
