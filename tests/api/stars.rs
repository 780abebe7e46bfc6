//! Stars (关注) on all four modules.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn stars_toggle_show_in_rows_and_fill_the_star_scene() {
    let app = spawn_app().await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "关注客户"}))
        .await;
    for m in &MODULES {
        let starred = app
            .create(m.route, m.entity(&format!("{}关注", m.route), cust))
            .await;
        let other = app
            .create(m.route, m.entity(&format!("{}其他", m.route), cust))
            .await;
        // The parameter form, then J11's path form removes it again, then the parameter form adds it.
        assert_eq!(
            app.post(&m.path("star"), json!({"id": starred})).await,
            json!({"code": 0})
        );
        let path = format!("{}/{starred}", m.path("star"));
        assert_eq!(app.post(&path, json!({})).await, json!({"code": 0}));
        let detail = app.post(&m.path("queryById"), json!({ m.id_key: starred })).await;
        assert_eq!(detail["data"]["star"], 0, "{}", m.route);
        assert_eq!(
            app.post(&m.path("star"), json!({ m.id_key: starred })).await["code"],
            0
        );
        let detail = app.post(&m.path("queryById"), json!({ m.id_key: starred })).await;
        assert_eq!(detail["data"]["star"], 1, "{}", m.route);
        let list = app.list(m.route, json!({})).await;
        for row in list["list"].as_array().unwrap() {
            let id = row[m.id_key].as_i64().unwrap();
            assert_eq!(row["star"], i64::from(id == starred), "{} row {id}", m.route);
        }
        let scenes = app
            .post("/api/scene/queryScene", json!({"type": label_of(m)}))
            .await;
        let scene = scenes["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str().unwrap().starts_with("我关注的"))
            .unwrap_or_else(|| panic!("a star scene for {}: {scenes}", m.route))
            .clone();
        let ids = app
            .list_ids(m.route, m.id_key, json!({"sceneId": scene["sceneId"]}))
            .await;
        assert_eq!(ids, [starred], "{}", m.route);
        assert!(!ids.contains(&other));
    }
}

fn label_of(m: &Mod) -> i64 {
    match m.route {
        "CrmLeads" => 1,
        "CrmCustomer" => 2,
        "CrmContacts" => 3,
        _ => 5,
    }
}

#[tokio::test]
async fn stars_are_per_user_and_need_the_record() {
    let app = spawn_app().await;
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "star_clerk", "password": "secret-1", "realname": "星", "roleIds": "3"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let clerk = app.login("star_clerk", "secret-1").await;
    let lead = app
        .create("CrmLeads", json!({"leads_name": "管理员的线索"}))
        .await;
    app.post("/api/CrmLeads/star", json!({"id": lead})).await;
    assert_error(
        &app.post_as(&clerk, "/api/CrmLeads/star", json!({"id": lead}))
            .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post("/api/CrmLeads/star", json!({"id": 99999})).await,
        500,
        "线索不存在或已删除：99999",
    );
    assert_error(
        &app.post("/api/CrmLeads/star/abc", json!({})).await,
        400,
        "线索id应为整数",
    );
    let own = app
        .post_as(
            &clerk,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "自己的"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let list = app
        .post_as(&clerk, "/api/CrmLeads/queryPageList", json!({}))
        .await;
    assert_eq!(list["data"]["list"][0]["leadsId"], own);
    assert_eq!(
        list["data"]["list"][0]["star"], 0,
        "the admin's star is not the clerk's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_toggles_on_two_instances_toggle_in_turn() {
    let first = spawn_app().await;
    let second = std::sync::Arc::new(first.second_instance().await);
    let first = std::sync::Arc::new(first);
    let lead = first.create("CrmLeads", json!({"leads_name": "连点线索"})).await;
    for clicks in [6, 7] {
        let tasks: Vec<_> = (0..clicks)
            .map(|i| {
                let app = if i % 2 == 0 { first.clone() } else { second.clone() };
                tokio::spawn(async move { app.post("/api/CrmLeads/star", json!({"id": lead})).await })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap()["code"], 0);
        }
        let stars = scalar(
            &first,
            &format!("SELECT COUNT(*) FROM crm_star WHERE record_id = {lead}"),
        )
        .await;
        // After 6 clicks none, after 7 more one: every click toggled, none inserted twice.
        assert_eq!(stars, i64::from(clicks == 7));
    }
}

#[tokio::test]
async fn a_user_who_had_the_other_system_scenes_gets_the_star_scene() {
    let app = spawn_app().await;
    let names = |body: serde_json::Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        names(app.post("/api/scene/queryScene", json!({"type": 2})).await)
            .contains(&"我关注的客户".to_owned())
    );
    // As a user of an older version had them: the system scenes without the star scene.
    exec_sql(&app, "DELETE FROM crm_scene WHERE name = '我关注的客户'").await;
    assert!(
        names(app.post("/api/scene/queryScene", json!({"type": 2})).await)
            .contains(&"我关注的客户".to_owned())
    );
}
