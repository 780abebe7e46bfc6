//! Scenes: system scenes per user, custom scenes, defaults, and how they merge into lists.

use serde_json::{Value, json};

use crate::helpers::*;

async fn scenes(app: &TestApp, token: &str, r#type: i64) -> Vec<Value> {
    let body = app
        .post_as(token, "/api/scene/queryScene", json!({"type": r#type}))
        .await;
    body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

fn id_of(list: &[Value], name: &str) -> i64 {
    list.iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no scene {name}"))["sceneId"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn each_user_gets_the_system_scenes_in_every_encoding() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let body = app
            .send(
                enc,
                "/api/scene/queryScene",
                json!({"type": "1"}),
                Some(&app.token),
            )
            .await;
        let names: Vec<&str> = body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "全部线索",
                "我负责的线索",
                "我关注的线索",
                "下属负责的线索",
                "已转化的线索"
            ]
        );
        let all = &body["data"][0];
        assert_eq!(all["isSystem"], 1);
        let data: Value = serde_json::from_str(all["data"].as_str().unwrap()).unwrap();
        assert_eq!(data["is_transform"]["value"], 0);
    }
    let names = |list: Vec<Value>| {
        list.iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(scenes(&app, &app.token, 2).await),
        [
            "全部客户",
            "我负责的客户",
            "我关注的客户",
            "下属负责的客户",
            "我参与的客户"
        ]
    );
    assert_eq!(
        names(scenes(&app, &app.token, 5).await),
        [
            "全部商机",
            "我负责的商机",
            "我关注的商机",
            "下属负责的商机",
            "我参与的商机",
            "赢单",
            "输单"
        ]
    );
    assert_error(
        &app.post("/api/scene/queryScene", json!({"type": 9})).await,
        400,
        "场景label不符合要求！",
    );
    assert_error(
        &app.post("/api/scene/queryScene", json!({})).await,
        400,
        "type不能为空",
    );
}

#[tokio::test]
async fn a_custom_scene_filters_and_the_request_wins_on_the_same_field() {
    let app = spawn_app().await;
    let deal = app
        .create("CrmCustomer", json!({"customer_name": "成交了"}))
        .await;
    let open = app
        .create("CrmCustomer", json!({"customer_name": "没成交"}))
        .await;
    exec_sql(
        &app,
        &format!("UPDATE crm_customer SET deal_status = 1 WHERE customer_id = {deal}"),
    )
    .await;
    // The seed's example, as a form.
    let body = app.send(Enc::Form, "/api/scene/addScene", json!({"type": 2, "isDefault": 0, "name": "成交客户",
        "data": r#"{"deal_status":{"condition":"is","value":1,"formType":"dealStatus","name":"deal_status"}}"#}), Some(&app.token)).await;
    assert_eq!(body["code"], 0, "{body}");
    let scene = id_of(&scenes(&app, &app.token, 2).await, "成交客户");
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", json!({"sceneId": scene}))
            .await,
        vec![deal]
    );
    let over = json!({"sceneId": scene, "data": {"deal_status": {"condition": "is", "value": 0}}});
    assert_eq!(app.list_ids("CrmCustomer", "customerId", over).await, vec![open]);
    let both = json!({"sceneId": scene, "search": "没"});
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", both).await,
        Vec::<i64>::new()
    );
    // As the default it applies without sceneId; sceneId 0 means none.
    assert_eq!(
        app.post("/api/scene/setDefaultScene", json!({"sceneId": scene}))
            .await["code"],
        0
    );
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", json!({})).await,
        vec![deal]
    );
    assert_eq!(
        app.list("CrmCustomer", json!({"sceneId": 0})).await["totalRow"],
        2
    );
    assert_eq!(
        scenes(&app, &app.token, 2)
            .await
            .iter()
            .find(|s| s["sceneId"] == scene)
            .unwrap()["isDefault"],
        1
    );
    // Update and delete.
    let body = app.post("/api/scene/updateScene", json!({"sceneId": scene, "name": "未成交", "data": {"deal_status": {"condition": "is", "value": 0}}})).await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(
        app.list_ids("CrmCustomer", "customerId", json!({})).await,
        vec![open]
    );
    assert_eq!(
        app.post("/api/scene/deleteScene", json!({"sceneId": scene}))
            .await["code"],
        0
    );
    assert_eq!(
        app.list("CrmCustomer", json!({})).await["totalRow"],
        2,
        "the default went with it"
    );
}

#[tokio::test]
async fn system_scenes_resolve_owner_team_and_conversion_live() {
    let app = spawn_app().await;
    let boss = app.add_user("boss", "经理").await;
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "staff", "password": "secret-1", "realname": "员工", "parentId": boss}),
        )
        .await;
    let staff = body["data"].as_i64().unwrap();
    let mine = app.create("CrmLeads", json!({"leads_name": "我的"})).await;
    let theirs = app
        .create(
            "CrmLeads",
            json!({"leads_name": "下属的", "owner_user_id": staff}),
        )
        .await;
    let converted = app.create("CrmLeads", json!({"leads_name": "转化了"})).await;
    exec_sql(
        &app,
        &format!("UPDATE crm_leads SET is_transform = 1 WHERE leads_id = {converted}"),
    )
    .await;
    let list = scenes(&app, &app.token, 1).await;
    let ids = |scene: i64| app.list_ids("CrmLeads", "leadsId", json!({"sceneId": scene}));
    let mut all = ids(id_of(&list, "全部线索")).await;
    all.sort();
    assert_eq!(all, vec![mine, theirs]);
    assert_eq!(ids(id_of(&list, "我负责的线索")).await, vec![mine]);
    assert_eq!(ids(id_of(&list, "已转化的线索")).await, vec![converted]);
    assert_eq!(
        ids(id_of(&list, "下属负责的线索")).await,
        Vec::<i64>::new(),
        "admin has no subordinates"
    );
    // The manager's 下属负责的 scene follows the organisation as it is now.
    app.post(
        "/api/system/role/relatedUser",
        json!({"userIds": boss, "roleIds": 2}),
    )
    .await;
    let token = app.login("boss", "secret-1").await;
    let boss_list = scenes(&app, &token, 1).await;
    let under = app
        .post_as(
            &token,
            "/api/CrmLeads/queryPageList",
            json!({"sceneId": id_of(&boss_list, "下属负责的线索")}),
        )
        .await;
    assert_eq!(under["data"]["list"][0]["leadsId"], theirs, "{under}");
    // 我参与的客户: the caller's team records.
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "团队客户"}))
        .await;
    app.create("CrmCustomer", json!({"customer_name": "别的客户"}))
        .await;
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": boss}),
    )
    .await;
    let customer_scenes = scenes(&app, &token, 2).await;
    let part = app
        .post_as(
            &token,
            "/api/CrmCustomer/queryPageList",
            json!({"sceneId": id_of(&customer_scenes, "我参与的客户")}),
        )
        .await;
    assert_eq!(part["data"]["totalRow"], 1, "{part}");
    assert_eq!(part["data"]["list"][0]["customerId"], cust);
    // Someone else's scene is not the caller's to use.
    let foreign = id_of(&list, "我负责的线索");
    assert_error(
        &app.post_as(&token, "/api/CrmLeads/queryPageList", json!({"sceneId": foreign}))
            .await,
        500,
        &format!("场景不存在：{foreign}"),
    );
}

#[tokio::test]
async fn scene_rules_and_messages() {
    let app = spawn_app().await;
    let list = scenes(&app, &app.token, 1).await;
    let system = id_of(&list, "全部线索");
    assert_error(
        &app.post("/api/scene/deleteScene", json!({"sceneId": system}))
            .await,
        500,
        "系统场景不能删除",
    );
    assert_error(
        &app.post("/api/scene/updateScene", json!({"sceneId": system, "name": "改"}))
            .await,
        500,
        "系统场景不能修改",
    );
    assert_error(
        &app.post("/api/scene/addScene", json!({"type": 1, "data": {}}))
            .await,
        400,
        "场景名称不能为空",
    );
    assert_error(
        &app.post("/api/scene/addScene", json!({"type": 1, "name": "x"}))
            .await,
        400,
        "data不能为空",
    );
    assert_error(
        &app.post("/api/scene/addScene", json!({"name": "x", "data": {}}))
            .await,
        400,
        "type不能为空",
    );
    assert_error(
        &app.post(
            "/api/scene/addScene",
            json!({"type": 1, "name": "x", "data": {"nope": {"condition": "is", "value": 1}}}),
        )
        .await,
        400,
        "筛选字段不存在：nope",
    );
    assert_error(
        &app.post(
            "/api/scene/addScene",
            json!({"type": 1, "name": "x", "data": "not json"}),
        )
        .await,
        400,
        "参数data应为JSON对象",
    );
    let custom = app
        .post(
            "/api/scene/addScene",
            json!({"type": 1, "name": "自定义", "data": {"mobile": {"condition": "isNotNull"}}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    assert_error(
        &app.post("/api/scene/sceneConfig", json!({"type": 1, "hideIds": [system]}))
            .await,
        500,
        "系统场景不能隐藏",
    );
    assert_eq!(
        app.post("/api/scene/sceneConfig", json!({"type": 1, "hideIds": [custom]}))
            .await["code"],
        0
    );
    assert!(
        scenes(&app, &app.token, 1)
            .await
            .iter()
            .all(|s| s["sceneId"] != custom)
    );
    let config = app.post("/api/scene/querySceneConfig", json!({"type": 1})).await;
    assert_eq!(config["data"]["hideValue"][0]["sceneId"], custom);
    assert_eq!(config["data"]["value"].as_array().unwrap().len(), 5);
    assert_eq!(
        app.post("/api/scene/sceneConfig", json!({"type": 1, "noHideIds": custom}))
            .await["code"],
        0
    );
    assert_eq!(scenes(&app, &app.token, 1).await.len(), 6);
    assert_error(
        &app.post("/api/scene/setDefaultScene", json!({"sceneId": 999}))
            .await,
        500,
        "场景不存在：999",
    );
}
