//! Data scopes, operation rights and team members, enforced identically on every path.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::helpers::*;

/// Every menu id of the rights tree.
async fn all_menu_ids(app: &TestApp) -> Vec<i64> {
    fn walk(nodes: &Value, out: &mut Vec<i64>) {
        for n in nodes.as_array().unwrap() {
            out.push(n["menuId"].as_i64().unwrap());
            walk(&n["childMenu"], out);
        }
    }
    let tree = app.post("/api/system/menu/getAllMenuList", json!({})).await;
    let mut ids = Vec::new();
    walk(&tree["data"], &mut ids);
    ids
}

/// A role holding every CRM right with the given data scope.
async fn role_with_scope(app: &TestApp, data_type: i64) -> i64 {
    let body = app
        .post(
            "/api/system/role/add",
            json!({"roleName": format!("范围{data_type}"), "dataType": data_type}),
        )
        .await;
    let role = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    let menus = all_menu_ids(app).await;
    let body = app
        .post(
            "/api/system/role/updateRoleMenu",
            json!({"roleId": role, "dataType": data_type, "menuIds": menus}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    role
}

async fn dept(app: &TestApp, name: &str, pid: i64) -> i64 {
    let body = app
        .post("/api/system/dept/addDept", json!({"name": name, "pid": pid}))
        .await;
    body["data"].as_i64().unwrap_or_else(|| panic!("{body}"))
}

async fn user(app: &TestApp, name: &str, dept: i64, parent: Option<i64>, role: i64) -> (i64, String) {
    let mut params = json!({"username": name, "password": "secret-1", "realname": name, "deptId": dept, "roleIds": [role]});
    if let Some(p) = parent {
        params["parentId"] = json!(p);
    }
    let body = app.post("/api/system/user/addUser", params).await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    (id, app.login(name, "secret-1").await)
}

/// A lead and a customer owned by each user: `owner → (lead, customer)`.
async fn records_for(app: &TestApp, owners: &[i64]) -> BTreeMap<i64, (i64, i64)> {
    let mut out = BTreeMap::new();
    for owner in owners {
        let lead = app
            .create(
                "CrmLeads",
                json!({"leads_name": format!("线索{owner}"), "owner_user_id": owner}),
            )
            .await;
        let cust = app
            .create(
                "CrmCustomer",
                json!({"customer_name": format!("客户{owner}"), "owner_user_id": owner}),
            )
            .await;
        out.insert(*owner, (lead, cust));
    }
    out
}

struct Org {
    app: TestApp,
    /// name → (user id, token)
    users: BTreeMap<&'static str, (i64, String)>,
    records: BTreeMap<i64, (i64, i64)>,
}

/// 全公司 ⊃ 销售部 ⊃ 销售一组, and 市场部. mgr (本人及下属) manages s1, s1 manages s2; d3 (本部门)
/// and d4 (本部门及下属部门) sit in 销售部; other (本人) and all5 (全部) in 市场部.
async fn build_org() -> Org {
    let app = spawn_app().await;
    let roles: Vec<i64> = {
        let mut r = Vec::new();
        for scope in 1..=5 {
            r.push(role_with_scope(&app, scope).await);
        }
        r
    };
    let sales = dept(&app, "销售部", 1).await;
    let group = dept(&app, "销售一组", sales).await;
    let market = dept(&app, "市场部", 1).await;
    let mut users = BTreeMap::new();
    let mgr = user(&app, "mgr", sales, None, roles[1]).await;
    let s1 = user(&app, "s1", group, Some(mgr.0), roles[0]).await;
    let s2 = user(&app, "s2", group, Some(s1.0), roles[0]).await;
    users.insert("mgr", mgr);
    users.insert("s1", s1);
    users.insert("s2", s2);
    users.insert("d3", user(&app, "d3", sales, None, roles[2]).await);
    users.insert("d4", user(&app, "d4", sales, None, roles[3]).await);
    users.insert("other", user(&app, "other", market, None, roles[0]).await);
    users.insert("all5", user(&app, "all5", market, None, roles[4]).await);
    users.insert("admin", (1, app.token.clone()));
    let owners: Vec<i64> = users.values().map(|(id, _)| *id).collect();
    let records = records_for(&app, &owners).await;
    Org { app, users, records }
}

impl Org {
    fn id(&self, name: &str) -> i64 {
        self.users[name].0
    }

    /// The owners `name` is expected to reach.
    fn expected(&self, name: &str) -> BTreeSet<i64> {
        let ids = |names: &[&str]| names.iter().map(|n| self.id(n)).collect();
        match name {
            "mgr" => ids(&["mgr", "s1", "s2"]),
            "s1" => ids(&["s1"]),
            "s2" => ids(&["s2"]),
            "d3" => ids(&["mgr", "d3", "d4"]),
            "d4" => ids(&["mgr", "d3", "d4", "s1", "s2"]),
            "other" => ids(&["other"]),
            _ => self.users.values().map(|(id, _)| *id).collect(),
        }
    }
}

#[tokio::test]
async fn every_scope_reaches_exactly_its_records_for_every_operation() {
    let org = build_org().await;
    let app = &org.app;
    let modules = [
        ("CrmLeads", "leadsId", "leadsIds", "leads_name", 0usize),
        ("CrmCustomer", "customerId", "customerIds", "customer_name", 1),
    ];
    for (name, (_, token)) in &org.users {
        let expected = org.expected(name);
        for (route, id_key, ids_key, name_col, which) in modules {
            let record = |owner: &i64| {
                if which == 0 {
                    org.records[owner].0
                } else {
                    org.records[owner].1
                }
            };
            let want: BTreeSet<i64> = expected.iter().map(record).collect();
            // list and count
            let data = app
                .post_as(
                    token,
                    &format!("/api/{route}/queryPageList"),
                    json!({"limit": 100}),
                )
                .await;
            let listed: BTreeSet<i64> = data["data"]["list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r[id_key].as_i64().unwrap())
                .collect();
            assert_eq!(listed, want, "{name} lists {route}");
            assert_eq!(data["data"]["totalRow"], want.len(), "{name} counts {route}");
            for owner in org.records.keys() {
                let id = record(owner);
                let visible = want.contains(&id);
                // detail
                let detail = app
                    .post_as(token, &format!("/api/{route}/queryById"), json!({ id_key: id }))
                    .await;
                if visible {
                    assert_eq!(detail["data"][id_key], id, "{name} reads {route} {id}");
                } else {
                    assert_eq!(
                        detail,
                        json!({"code": 0, "data": {"dataAuth": 0}}),
                        "{name} reads {route} {id}"
                    );
                }
                // update
                let update = json!({"entity": { id_key: id, "remark": format!("by {name}") }});
                let body = app
                    .post_as(token, &format!("/api/{route}/addOrUpdate"), update)
                    .await;
                if visible {
                    assert_eq!(body["code"], 0, "{name} updates {id}: {body}")
                } else {
                    assert_error(&body, 401, "无权操作")
                }
                // transfer (to its current owner, which keeps the fixture)
                let transfer = if route == "CrmLeads" {
                    "changeOwnerUser"
                } else {
                    "transfer"
                };
                let body = app
                    .post_as(
                        token,
                        &format!("/api/{route}/{transfer}"),
                        json!({ ids_key: id, "newOwnerUserId": owner }),
                    )
                    .await;
                if visible {
                    assert_eq!(body["code"], 0, "{name} transfers {id}: {body}")
                } else {
                    assert_error(&body, 401, "无权操作")
                }
                // delete: refused outside the scope (and nothing goes)
                if !visible {
                    let body = app
                        .post_as(
                            token,
                            &format!("/api/{route}/deleteByIds"),
                            json!({ ids_key: id }),
                        )
                        .await;
                    assert_error(&body, 401, "无权操作");
                }
            }
            // delete inside the scope: a fresh record of each reachable owner
            for owner in &expected {
                let fresh = app
                    .create(route, json!({ name_col: "临时", "owner_user_id": owner }))
                    .await;
                let body = app
                    .post_as(
                        token,
                        &format!("/api/{route}/deleteByIds"),
                        json!({ ids_key: fresh }),
                    )
                    .await;
                assert_eq!(body["code"], 0, "{name} deletes a record of {owner}: {body}");
            }
        }
    }
    // Nothing outside a scope was deleted.
    assert_eq!(
        app.list("CrmLeads", json!({})).await["totalRow"],
        org.records.len()
    );
}

#[tokio::test]
async fn team_members_reach_records_by_power_until_expiry() {
    let org = build_org().await;
    let app = &org.app;
    let (s1, s1_token) = org.users["s1"].clone();
    let cust = org.records[&org.id("other")].1;
    let read = |t: &String| {
        let t = t.clone();
        async move {
            app.post_as(&t, "/api/CrmCustomer/queryById", json!({"customerId": cust}))
                .await
        }
    };
    assert_eq!(read(&s1_token).await["data"]["dataAuth"], 0);

    let body = app
        .post(
            "/api/CrmCustomer/addMembers",
            json!({"ids": cust, "memberIds": s1, "power": 1}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(
        read(&s1_token).await["data"]["customerId"],
        cust,
        "a read-only member reads"
    );
    let listed = app
        .post_as(&s1_token, "/api/CrmCustomer/queryPageList", json!({}))
        .await;
    assert_eq!(listed["data"]["totalRow"], 2, "its own customer and the team one");
    let update = json!({"entity": {"customerId": cust, "remark": "成员"}});
    assert_error(
        &app.post_as(&s1_token, "/api/CrmCustomer/addOrUpdate", update.clone())
            .await,
        401,
        "无权操作",
    );

    app.post(
        "/api/CrmCustomer/updateMembers",
        json!({"ids": cust, "memberIds": s1, "power": 2}),
    )
    .await;
    assert_eq!(
        app.post_as(&s1_token, "/api/CrmCustomer/addOrUpdate", update)
            .await["code"],
        0,
        "a read-write member writes"
    );
    let body = app
        .post_as(
            &s1_token,
            "/api/CrmCustomer/deleteByIds",
            json!({"customerIds": cust}),
        )
        .await;
    assert_error(&body, 401, "无权操作");
    let body = app
        .post_as(
            &s1_token,
            "/api/CrmCustomer/transfer",
            json!({"customerIds": cust, "newOwnerUserId": s1}),
        )
        .await;
    assert_error(&body, 401, "无权操作");

    let members = app
        .post("/api/CrmCustomer/getMembers", json!({"customerId": cust}))
        .await;
    let list = members["data"].as_array().unwrap();
    assert_eq!(list[0]["groupRole"], "负责人");
    assert_eq!(list[0]["userId"], org.id("other"));
    assert_eq!(list[1]["userId"], s1);
    assert_eq!(list[1]["power"], 2);

    let body = app
        .post(
            "/api/CrmCustomer/addMembers",
            json!({"ids": cust, "memberIds": org.id("other")}),
        )
        .await;
    assert_error(&body, 500, "负责人不能重复选为团队成员!");
    let (_, other_token) = &org.users["other"];
    let body = app
        .post_as(
            other_token,
            "/api/CrmCustomer/exitTeam",
            json!({"customerId": cust}),
        )
        .await;
    assert_error(&body, 500, "负责人不能退出团队！");
    assert_eq!(
        app.post_as(
            &s1_token,
            "/api/CrmCustomer/exitTeam",
            json!({"customerId": cust})
        )
        .await["code"],
        0
    );
    assert_eq!(read(&s1_token).await["data"]["dataAuth"], 0);

    // A membership that has expired reaches nothing.
    let body = app
        .post(
            "/api/CrmCustomer/addMembers",
            json!({"ids": cust, "memberIds": s1, "expiresTime": "2000-01-01 00:00:00"}),
        )
        .await;
    assert_error(&body, 400, "过期时间必须晚于当前时间");
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": s1, "expiresTime": "2099-01-01 00:00:00"}),
    )
    .await;
    assert_eq!(read(&s1_token).await["data"]["customerId"], cust);
    exec_sql(
        app,
        "UPDATE crm_team_member SET expires_time = '2001-01-01 00:00:00'",
    )
    .await;
    assert_eq!(read(&s1_token).await["data"]["dataAuth"], 0);

    app.post(
        "/api/CrmCustomer/deleteMembers",
        json!({"ids": cust, "memberIds": s1}),
    )
    .await;
    let members = app
        .post("/api/CrmCustomer/getMembers", json!({"customerId": cust}))
        .await;
    assert_eq!(members["data"].as_array().unwrap().len(), 1);
    // Leads have no team.
    let req = axum::http::Request::builder()
        .uri("/api/CrmLeads/getMembers")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(app.raw(req).await.1["code"], 404);
}

#[tokio::test]
async fn missing_rights_are_refused_and_the_auth_tree_says_so() {
    let app = spawn_app().await;
    // 销售员 (seeded role 3) may not delete.
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "clerk", "password": "secret-1", "realname": "职员", "roleIds": "3"}),
        )
        .await;
    let clerk = body["data"].as_i64().unwrap();
    let login = app
        .send(
            Enc::Form,
            "/api/login",
            json!({"username": "clerk", "password": "secret-1"}),
            None,
        )
        .await;
    assert_eq!(login["auth"]["crm"]["leads"]["index"], true);
    assert!(login["auth"]["crm"]["leads"].get("delete").is_none(), "{login}");
    assert!(login["auth"].get("manage").is_none());
    let token = login["Admin-Token"].as_str().unwrap().to_owned();
    let lead = app
        .create(
            "CrmLeads",
            json!({"leads_name": "职员的", "owner_user_id": clerk}),
        )
        .await;
    assert_error(
        &app.post_as(&token, "/api/CrmLeads/deleteByIds", json!({"leadsIds": lead}))
            .await,
        401,
        "无权访问",
    );
    assert_eq!(
        app.post_as(&token, "/api/CrmLeads/queryPageList", json!({}))
            .await["data"]["totalRow"],
        1
    );
    // A user with no role reaches nothing at all.
    app.add_user("nobody", "无角色").await;
    let nobody = app.login("nobody", "secret-1").await;
    for path in [
        "/api/CrmLeads/queryPageList",
        "/api/CrmCustomer/queryById",
        "/api/CrmContacts/addOrUpdate",
    ] {
        assert_error(
            &app.post_as(
                &nobody,
                path,
                json!({"customerId": 1, "entity": {"name": "x", "customer_id": 1}}),
            )
            .await,
            401,
            "无权访问",
        );
    }
    // Management is the administrator's.
    for path in [
        "/api/system/role/add",
        "/api/system/dept/addDept",
        "/api/system/role/getAllRoleList",
        "/api/system/user/setUser",
    ] {
        assert_error(
            &app.post_as(
                &token,
                path,
                json!({"roleName": "x", "name": "x", "userId": clerk}),
            )
            .await,
            401,
            "无权操作",
        );
    }
}

#[tokio::test]
async fn role_department_and_superior_changes_apply_on_the_next_request() {
    let org = build_org().await;
    let app = &org.app;
    let (mgr, mgr_token) = org.users["mgr"].clone();
    let leads = |t: String| async move {
        app.post_as(&t, "/api/CrmLeads/queryPageList", json!({})).await["data"]["totalRow"].clone()
    };
    assert_eq!(leads(mgr_token.clone()).await, 3);
    // s1 gets a new superior: mgr loses s1 and s1's subordinate s2.
    let body = app
        .post(
            "/api/system/user/setUser",
            json!({"userId": org.id("s1"), "parentId": org.id("d3")}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(leads(mgr_token.clone()).await, 1);
    // mgr is given the 全部 role as well: the widest scope wins.
    let roles = app.post("/api/system/role/getAllRoleList", json!({})).await;
    let all_role = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dataType"] == 5 && r["roleId"] != 1)
        .unwrap()["roleId"]
        .clone();
    app.post(
        "/api/system/role/relatedUser",
        json!({"userIds": mgr, "roleIds": all_role}),
    )
    .await;
    assert_eq!(leads(mgr_token.clone()).await, org.records.len());
    app.post(
        "/api/system/role/unbindingUser",
        json!({"userIds": mgr, "roleIds": all_role}),
    )
    .await;
    assert_eq!(leads(mgr_token.clone()).await, 1);
    // d3 (本部门) follows its department.
    let (_, d3_token) = org.users["d3"].clone();
    assert_eq!(leads(d3_token.clone()).await, 3);
    let market =
        app.post("/api/system/dept/queryDeptTree", json!({})).await["data"][0]["children"][1]["deptId"]
            .clone();
    app.post(
        "/api/system/user/setUser",
        json!({"userId": org.id("d3"), "deptId": market}),
    )
    .await;
    assert_eq!(
        leads(d3_token).await,
        3,
        "d3 now sees 市场部: other, all5 and itself"
    );
    // J9's key names work too; a changed scope applies on the next request.
    let range2 = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roleName"] == "范围2")
        .unwrap()["roleId"]
        .clone();
    let body = app
        .post(
            "/api/system/role/updateRoleMenu",
            json!({"id": range2, "type": 5, "rules": all_menu_ids(app).await}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(leads(mgr_token).await, org.records.len());
}

#[tokio::test]
async fn organisation_routes_check_their_input() {
    let app = spawn_app().await;
    let sales = dept(&app, "销售部", 1).await;
    let sub = dept(&app, "一组", sales).await;
    assert_error(
        &app.post("/api/system/dept/addDept", json!({"pid": 1})).await,
        400,
        "部门名称不能为空",
    );
    assert_error(
        &app.post("/api/system/dept/addDept", json!({"name": "x", "pid": 999}))
            .await,
        500,
        "上级部门不存在",
    );
    assert_error(
        &app.post("/api/system/dept/setDept", json!({"deptId": sales, "pid": sub}))
            .await,
        500,
        "上级部门不能是本部门或其下级部门",
    );
    assert_error(
        &app.post("/api/system/dept/deleteDept", json!({"deptId": sales}))
            .await,
        500,
        "该部门下有下级部门，不能删除",
    );
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "u", "password": "secret-1", "realname": "u", "deptId": sub}),
        )
        .await;
    let user = body["data"].as_i64().unwrap();
    assert_error(
        &app.post("/api/system/dept/deleteDept", json!({"deptId": sub}))
            .await,
        500,
        "该部门下有员工，不能删除",
    );
    app.post("/api/system/user/setUser", json!({"userId": user, "deptId": 1}))
        .await;
    assert_eq!(
        app.post("/api/system/dept/deleteDept", json!({"deptId": sub}))
            .await["code"],
        0
    );
    let tree = app.post("/api/system/dept/queryDeptTree", json!({})).await;
    assert_eq!(tree["data"][0]["name"], "全公司");
    assert_eq!(tree["data"][0]["children"][0]["name"], "销售部");
    assert_eq!(tree["data"][0]["children"][0]["children"], json!([]));

    assert_error(
        &app.post("/api/system/role/add", json!({"dataType": 2})).await,
        400,
        "角色名称不能为空",
    );
    assert_error(
        &app.post("/api/system/role/add", json!({"roleName": "x", "dataType": 9}))
            .await,
        400,
        "dataType只能为1到5",
    );
    assert_error(
        &app.post("/api/system/role/delete", json!({"roleId": 1})).await,
        500,
        "超级管理员角色不能删除",
    );
    assert_error(
        &app.post(
            "/api/system/role/updateRoleMenu",
            json!({"roleId": 2, "menuIds": [99999]}),
        )
        .await,
        500,
        "菜单不存在：99999",
    );
    assert_error(
        &app.post(
            "/api/system/role/relatedUser",
            json!({"userIds": user, "roleIds": 77}),
        )
        .await,
        500,
        "角色不存在：77",
    );
    assert_error(
        &app.post(
            "/api/system/role/unbindingUser",
            json!({"userIds": 1, "roleIds": 1}),
        )
        .await,
        500,
        "不能取消自己的超级管理员角色",
    );
    assert_error(
        &app.post("/api/system/user/setUser", json!({"userId": 1, "parentId": 1}))
            .await,
        500,
        "直属上级不能是自己或自己的下属",
    );
    let role = app
        .post("/api/system/role/add", json!({"roleName": "临时", "dataType": 3}))
        .await["data"]
        .as_i64()
        .unwrap();
    app.post(
        "/api/system/role/relatedUser",
        json!({"userIds": user, "roleIds": role}),
    )
    .await;
    let body = app
        .post(
            "/api/system/role/update",
            json!({"roleId": role, "roleName": "改名"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let roles = app.post("/api/system/role/getAllRoleList", json!({})).await;
    let found = roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roleId"] == role)
        .unwrap()
        .clone();
    assert_eq!(found["roleName"], "改名");
    assert_eq!(found["dataType"], 3);
    assert_eq!(found["userIds"], json!([user]));
    assert_eq!(
        app.post("/api/system/role/delete", json!({"roleId": role})).await["code"],
        0
    );
    let menus = app.post("/api/system/menu/getAllMenuList", json!({})).await;
    let crm = &menus["data"][0];
    assert_eq!(crm["realm"], "crm");
    assert_eq!(crm["childMenu"][0]["realm"], "leads");
    assert_eq!(crm["childMenu"][0]["childMenu"][0]["realm"], "save");
}

/// A random organisation: for each user a superior among the earlier ones (or none), a
/// department (0 ⊃ 1, and 2 apart) and a data scope; and the owners of some leads.
/// Per user: superior index, department index, data scope.
type Person = (Option<usize>, usize, i64);

fn organisations() -> impl Strategy<Value = (Vec<Person>, Vec<usize>)> {
    (2usize..6).prop_flat_map(|n| {
        let users = (0..n)
            .map(|i| {
                (
                    proptest::option::of(0..i.max(1)).prop_map(move |p| p.filter(|_| i > 0)),
                    0usize..3,
                    1i64..=5,
                )
            })
            .collect::<Vec<_>>();
        (users, proptest::collection::vec(0..n, 1..12))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn lists_agree_with_detail_access_for_random_organisations((people, owners) in organisations()) {
        tokio::runtime::Runtime::new().unwrap().block_on(async move {
            let app = spawn_app().await;
            let mut roles = Vec::new();
            for scope in 1..=5 {
                roles.push(role_with_scope(&app, scope).await);
            }
            let top = dept(&app, "甲", 1).await;
            let depts = [top, dept(&app, "甲一", top).await, dept(&app, "乙", 1).await];
            let mut users: Vec<(i64, String)> = Vec::new();
            for (i, (parent, d, scope)) in people.iter().enumerate() {
                let parent = parent.map(|p| users[p].0);
                users.push(user(&app, &format!("p{i}"), depts[*d], parent, roles[*scope as usize - 1]).await);
            }
            let mut leads = Vec::new();
            for owner in &owners {
                leads.push(app.create("CrmLeads", json!({"leads_name": "随机", "owner_user_id": users[*owner].0})).await);
            }
            for (_, token) in &users {
                let data = app.post_as(token, "/api/CrmLeads/queryPageList", json!({"limit": 100})).await;
                let listed: BTreeSet<i64> = data["data"]["list"].as_array().unwrap().iter().map(|r| r["leadsId"].as_i64().unwrap()).collect();
                let mut readable = BTreeSet::new();
                for id in &leads {
                    let detail = app.post_as(token, "/api/CrmLeads/queryById", json!({"leadsId": id})).await;
                    if detail["data"]["dataAuth"] != 0 {
                        readable.insert(*id);
                    }
                }
                assert_eq!(&listed, &readable);
                assert_eq!(data["data"]["totalRow"].as_u64().unwrap() as usize, readable.len());
            }
        });
    }
}
