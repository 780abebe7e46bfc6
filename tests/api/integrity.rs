//! Integrity under concurrency: unique values, concurrent updates, owner changes and
//! references across data scopes. The concurrent tests send real parallel requests, half
//! of them through a second instance on the same database.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::helpers::*;

/// The apps the parallel clients use: the first instance and a second one on its database.
async fn two_instances(app: TestApp) -> [Arc<TestApp>; 2] {
    let second = app.second_instance().await;
    [Arc::new(app), Arc::new(second)]
}

/// Runs `clients` tasks at once, client `i` on instance `i % 2`; answers their results in order.
async fn in_parallel<F, Fut, T>(apps: &[Arc<TestApp>; 2], clients: usize, task: F) -> Vec<T>
where
    F: Fn(Arc<TestApp>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(task(apps[i % 2].clone(), i)))
        .collect();
    let mut out = Vec::with_capacity(clients);
    for h in handles {
        out.push(h.await.expect("client task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unique_values_stay_unique_under_parallel_creates_on_two_instances() {
    let app = spawn_app().await;
    let body = app
        .post(
            "/api/field/addField",
            json!({"label": 1, "name": "工号", "formType": "text", "isUnique": 1}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let apps = two_instances(app).await;
    const NAMES: usize = 12;
    const CLIENTS: usize = 16;
    // Every client tries every value, each in its own order, on customers (客户名称 is
    // unique by default) and on leads (the custom unique field).
    let answers = in_parallel(&apps, CLIENTS, |app, client| async move {
        let mut bodies = Vec::new();
        for k in 0..NAMES {
            let n = (k + client * 5) % NAMES;
            bodies.push(
                app.post(
                    "/api/CrmCustomer/addOrUpdate",
                    json!({"entity": {"customer_name": format!("并发客户{n}")}}),
                )
                .await,
            );
            bodies.push(
                app.post(
                    "/api/CrmLeads/addOrUpdate",
                    json!({"entity": {"leads_name": format!("线索{client}-{k}"), "工号": format!("E{n:03}")}}),
                )
                .await,
            );
        }
        bodies
    })
    .await;
    let all: Vec<Value> = answers.into_iter().flatten().collect();
    let counts = tally(&all);
    assert_eq!(
        counts,
        BTreeMap::from([
            ("ok".to_owned(), 2 * NAMES),
            ("500 客户名称已存在".to_owned(), (CLIENTS - 1) * NAMES),
            ("500 工号已存在".to_owned(), (CLIENTS - 1) * NAMES),
        ]),
        "one winner per value, every loser told why"
    );
    let app = &apps[0];
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM crm_customer").await,
        NAMES as i64
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM crm_leads").await, NAMES as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_updates_of_one_record_lose_no_field() {
    let app = spawn_app().await;
    const FIELDS: usize = 12;
    for i in 0..FIELDS {
        let body = app
            .post(
                "/api/field/addField",
                json!({"label": 1, "name": format!("字段{i}"), "formType": "text"}),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
    }
    let lead = app.create("CrmLeads", json!({"leads_name": "共享线索"})).await;
    let apps = two_instances(app).await;
    // Each client writes only its own field, several times; every write must survive the others.
    let answers = in_parallel(&apps, FIELDS, |app, i| async move {
        let mut codes = Vec::new();
        for round in 0..4 {
            let body = app
                .post(
                    "/api/CrmLeads/addOrUpdate",
                    json!({"entity": {"leads_id": lead, format!("字段{i}"): format!("值{i}-{round}")}}),
                )
                .await;
            codes.push(body["code"].clone());
        }
        codes
    })
    .await;
    assert!(answers.iter().flatten().all(|c| *c == 0), "{answers:?}");
    let detail = apps[0]
        .post("/api/CrmLeads/queryById", json!({"leadsId": lead}))
        .await;
    for i in 0..FIELDS {
        assert_eq!(detail["data"][format!("字段{i}")], format!("值{i}-3"), "{detail}");
    }
    assert_eq!(detail["data"]["leadsName"], "共享线索");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_team_changes_never_make_the_owner_a_member() {
    let app = spawn_app().await;
    let a = app.add_user("team_a", "甲").await;
    let b = app.add_user("team_b", "乙").await;
    let mut customers = Vec::new();
    for i in 0..8 {
        customers.push(
            app.create("CrmCustomer", json!({"customer_name": format!("团队客户{i}")}))
                .await,
        );
    }
    let apps = two_instances(app).await;
    let customers = Arc::new(customers);
    // Half the clients add `a` to every team while the others give every customer to `a`.
    in_parallel(&apps, 8, |app, i| {
        let customers = customers.clone();
        async move {
            for c in customers.iter() {
                let body = if i % 2 == 0 {
                    app.post(
                        "/api/CrmCustomer/addMembers",
                        json!({"ids": c, "memberIds": a, "power": 2}),
                    )
                    .await
                } else {
                    app.post(
                        "/api/CrmCustomer/transfer",
                        json!({"customerIds": c, "newOwnerUserId": if i % 4 == 1 { a } else { b }}),
                    )
                    .await
                };
                let refused = body["msg"] == "负责人不能重复选为团队成员!";
                assert!(body["code"] == 0 || refused, "{body}");
            }
        }
    })
    .await;
    let both = scalar(
        &apps[0],
        "SELECT COUNT(*) FROM crm_customer c JOIN crm_team_member t \
         ON t.label = 2 AND t.record_id = c.customer_id AND t.user_id = c.owner_user_id",
    )
    .await;
    assert_eq!(both, 0, "an owner is never also a member of its own team");
}

#[tokio::test]
async fn a_team_member_cannot_change_the_owner_through_add_or_update() {
    let app = spawn_app().await;
    let (s1, s1_token) = salesperson(&app, "member1").await;
    let other = app.add_user("other1", "别人").await;
    let customer = app
        .create("CrmCustomer", json!({"customer_name": "团队客户"}))
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/addMembers",
            json!({"ids": customer, "memberIds": s1, "power": 2}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let owner_of = || async {
        app.post("/api/CrmCustomer/queryById", json!({"customerId": customer}))
            .await["data"]["ownerUserId"]
            .clone()
    };
    for new_owner in [s1, other] {
        for key in ["owner_user_id", "ownerUserId"] {
            let body = app
                .post_as(
                    &s1_token,
                    "/api/CrmCustomer/addOrUpdate",
                    json!({"entity": {"customer_id": customer, key: new_owner, "remark": "改了"}}),
                )
                .await;
            assert_error(&body, 401, "无权操作");
        }
    }
    assert_eq!(owner_of().await, 1, "the owner is still the administrator");
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": customer}))
        .await;
    assert_ne!(
        detail["data"]["remark"], "改了",
        "nothing of the refused update was written"
    );
    // The member may still update the record, naming the current owner or none.
    let body = app
        .post_as(
            &s1_token,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_id": customer, "owner_user_id": 1, "remark": "成员改"}}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");

    // Whoever may transfer changes the owner by the transfer rules: the new owner leaves the team.
    let body = app
        .post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_id": customer, "owner_user_id": s1}}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(owner_of().await, s1);
    let members = app
        .post("/api/CrmCustomer/getMembers", json!({"customerId": customer}))
        .await;
    let listed: Vec<i64> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["userId"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, vec![s1], "the owner is listed once, as owner: {members}");
}

#[tokio::test]
async fn references_to_records_outside_the_callers_reach_are_refused() {
    let app = spawn_app().await;
    let (_, s1_token) = salesperson(&app, "seller1").await;
    let foreign = app
        .create("CrmCustomer", json!({"customer_name": "别人的客户"}))
        .await;
    let own = app
        .post_as(
            &s1_token,
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "自己的客户"}}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    for (route, name_column) in [("CrmContacts", "name"), ("CrmBusiness", "business_name")] {
        let body = app
            .post_as(
                &s1_token,
                &format!("/api/{route}/addOrUpdate"),
                json!({"entity": {name_column: "越权", "customer_id": foreign}}),
            )
            .await;
        assert_error(&body, 401, "无权操作");
        let body = app
            .post_as(
                &s1_token,
                &format!("/api/{route}/addOrUpdate"),
                json!({"entity": {name_column: "本人", "customer_id": own}}),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
        // Moving an own record under the foreign customer is refused the same way.
        let id = body["data"].as_i64().unwrap();
        let id_column = if route == "CrmContacts" {
            "contacts_id"
        } else {
            "business_id"
        };
        let body = app
            .post_as(
                &s1_token,
                &format!("/api/{route}/addOrUpdate"),
                json!({"entity": {id_column: id, "customer_id": foreign}}),
            )
            .await;
        assert_error(&body, 401, "无权操作");
    }
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM crm_contacts WHERE customer_id = {foreign}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM crm_business WHERE customer_id = {foreign}")
        )
        .await,
        0
    );
    // The foreign customer has no dependents, so its owner can still delete it.
    let body = app
        .post("/api/CrmCustomer/deleteByIds", json!({"ids": foreign}))
        .await;
    assert_eq!(body["code"], 0, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_department_moves_never_make_a_cycle() {
    let app = spawn_app().await;
    let mut depts = Vec::new();
    for i in 0..6 {
        let body = app
            .post(
                "/api/system/dept/addDept",
                json!({"name": format!("部门{i}"), "pid": 1}),
            )
            .await;
        depts.push(body["data"].as_i64().unwrap_or_else(|| panic!("{body}")));
    }
    let apps = two_instances(app).await;
    let depts = Arc::new(depts);
    // Client i moves department i under department i+1 (mod 6): all six at once would close a ring.
    let answers = in_parallel(&apps, 6, |app, i| {
        let depts = depts.clone();
        async move {
            app.post(
                "/api/system/dept/setDept",
                json!({"deptId": depts[i], "pid": depts[(i + 1) % 6]}),
            )
            .await
        }
    })
    .await;
    let refused = answers
        .iter()
        .filter(|b| b["msg"] == "上级部门不能是本部门或其下级部门")
        .count();
    assert!(
        refused >= 1,
        "the move that would close the ring is refused: {answers:?}"
    );
    let tree = apps[0].post("/api/system/dept/queryDeptTree", json!({})).await;
    fn count(nodes: &Value) -> usize {
        nodes
            .as_array()
            .map_or(0, |n| n.iter().map(|d| 1 + count(&d["children"])).sum())
    }
    assert_eq!(
        count(&tree["data"]),
        7,
        "every department still hangs from the root: {tree}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_users_first_parallel_lists_create_its_system_scenes_once() {
    let app = spawn_app().await;
    let apps = two_instances(app).await;
    in_parallel(&apps, 8, |app, _| async move {
        let body = app.post("/api/scene/queryScene", json!({"type": 2})).await;
        assert_eq!(body["code"], 0, "{body}");
    })
    .await;
    let body = apps[0].post("/api/scene/queryScene", json!({"type": 2})).await;
    let names: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "全部客户",
            "我负责的客户",
            "我关注的客户",
            "下属负责的客户",
            "我参与的客户"
        ],
        "{body}"
    );
}
