//! Several public pools (J11's 公海): their administration, who may use which, the receive
//! limits, and recycling by each pool's rules and customer levels.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::*;

const DEFAULT_POOL: i64 = 1;

async fn create_as(app: &TestApp, token: &str, name: &str, extra: Value) -> i64 {
    let mut entity = json!({"customer_name": name});
    entity
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().cloned().unwrap_or_default());
    let body = app
        .post_as(token, "/api/CrmCustomer/addOrUpdate", json!({"entity": entity}))
        .await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"].as_i64().unwrap()
}

/// A pool whose administrator and member are the given users, with `extra` settings.
fn pool(name: &str, admin: i64, member: i64, extra: Value) -> Value {
    let mut p = json!({"poolName": name, "adminUserId": admin.to_string(), "memberUserId": member.to_string(),
                       "status": 1, "putInRule": 0, "rule": [], "field": []});
    p.as_object_mut()
        .unwrap()
        .extend(extra.as_object().cloned().unwrap_or_default());
    p
}

async fn save_pool(app: &TestApp, params: Value) -> i64 {
    let body = app.post("/api/crmCustomerPool/setCustomerPool", params).await;
    assert_eq!(body["code"], 0, "{body}");
    body["data"].as_i64().unwrap()
}

async fn put_in(app: &TestApp, token: &str, ids: &[i64], pool: Option<i64>) -> Value {
    let ids = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut params = json!({"ids": ids});
    if let Some(pool) = pool {
        params["poolId"] = pool.into();
    }
    app.post_as(token, "/api/CrmCustomer/updateCustomerByIds", params)
        .await
}

async fn pool_of(app: &TestApp, id: i64) -> Value {
    app.post("/api/CrmCustomer/queryById", json!({"customerId": id}))
        .await["data"]["poolId"]
        .clone()
}

fn ids_of(body: &Value) -> Vec<i64> {
    body["data"]["list"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|r| r["customerId"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn administrators_create_change_and_remove_pools_as_j11_does() {
    let app = spawn_app().await;
    let (clerk, clerk_token) = salesperson(&app, "pools_clerk").await;
    let settings = app
        .post("/api/CrmCustomerPool/queryPoolSettingList", json!({}))
        .await;
    assert_eq!(
        settings["data"]["list"][0]["poolName"], "系统默认公海",
        "{settings}"
    );
    for (params, code, msg) in [
        (
            json!({"adminUserId": "1", "memberUserId": "1"}),
            400,
            "公海名称不能为空",
        ),
        (
            json!({"poolName": "无人公海"}),
            500,
            "公海管理员或公海成员不能为空",
        ),
        (
            json!({"poolName": "坏规则", "adminUserId": "1", "memberUserId": "1",
                   "rule": [{"type": 9, "level": [{"limitDay": 3}]}]}),
            400,
            "收回规则type只能为1（跟进记录）、2（商机）或3（成交状态）",
        ),
        (
            json!({"poolName": "坏天数", "adminUserId": "1", "memberUserId": "1",
                   "rule": [{"type": 1, "customerLevelSetting": 1, "level": [{"limitDay": 0}]}]}),
            400,
            "limitDay应为1到3650之间的天数",
        ),
        (
            json!({"poolName": "坏领取", "adminUserId": "1", "memberUserId": "1", "receiveSetting": 1}),
            400,
            "receiveSetting为1时receiveNum应为1到100000之间的整数",
        ),
        (
            json!({"poolName": "无此人", "adminUserId": "1", "memberUserId": "999999"}),
            500,
            "员工不存在：999999",
        ),
    ] {
        assert_error(
            &app.post("/api/crmCustomerPool/setCustomerPool", params).await,
            code,
            msg,
        );
    }
    assert_error(
        &app.post_as(
            &clerk_token,
            "/api/crmCustomerPool/setCustomerPool",
            pool("越权", 1, 1, json!({})),
        )
        .await,
        401,
        "无权操作",
    );
    let rules = json!([{"type": 1, "dealHandle": 0, "businessHandle": 1, "customerLevelSetting": 2,
                        "level": [{"level": "A（重点客户）", "limitDay": 5}, {"level": "B（普通客户）", "limitDay": 20}]},
                       {"type": 3, "dealHandle": 0, "businessHandle": 0, "customerLevelSetting": 1,
                        "level": [{"level": null, "limitDay": 30}]}]);
    let second = save_pool(
        &app,
        pool(
            "华东公海",
            1,
            clerk,
            json!({"receiveSetting": 1, "receiveNum": 5, "preOwnerSetting": 1, "preOwnerSettingDay": 7,
                   "remindSetting": 1, "remindDay": 2, "putInRule": 1, "rule": rules,
                   "field": [{"fieldName": "mobile", "name": "手机", "isHidden": 1}]}),
        ),
    )
    .await;
    let detail = app
        .post("/api/CrmCustomerPool/queryPoolById", json!({"poolId": second}))
        .await;
    let d = &detail["data"];
    assert_eq!(d["poolName"], "华东公海", "{detail}");
    assert_eq!(d["memberUserId"], clerk.to_string());
    assert_eq!(d["memberUser"][0]["realname"], "pools_clerk");
    assert_eq!(
        (d["receiveSetting"].clone(), d["receiveNum"].clone()),
        (json!(1), json!(5))
    );
    assert_eq!(
        (d["preOwnerSetting"].clone(), d["preOwnerSettingDay"].clone()),
        (json!(1), json!(7))
    );
    assert_eq!(d["rule"][0]["customerLevelSetting"], 2);
    assert_eq!(
        d["rule"][0]["levelSetting"][1],
        json!({"level": "B（普通客户）", "limitDay": 20})
    );
    assert_eq!(d["rule"][1]["businessHandle"], 0);
    assert_eq!(d["field"][0]["isHidden"], 1);
    // Names the caller may use: the member sees both, an outsider the open default only.
    let names = |token: String| {
        let app = &app;
        async move {
            app.post_as(&token, "/api/crmCustomerPool/queryPoolNameList", json!({}))
                .await["data"]
                .clone()
        }
    };
    assert_eq!(
        names(clerk_token.clone()).await,
        json!([{"poolId": DEFAULT_POOL, "poolName": "系统默认公海"}, {"poolId": second, "poolName": "华东公海"}])
    );
    let (_, outsider) = salesperson(&app, "pools_outsider").await;
    assert_eq!(
        names(outsider).await,
        json!([{"poolId": DEFAULT_POOL, "poolName": "系统默认公海"}])
    );
    // A pool holding customers cannot stop or go; the last enabled pool neither.
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "华东客户"}))
        .await;
    assert_eq!(
        put_in(&app, &app.token, &[cust], Some(second)).await,
        json!({"code": 0})
    );
    assert_eq!(pool_of(&app, cust).await, second);
    for path in [
        "/api/crmCustomerPool/deleteCustomerPool",
        "/api/crmCustomerPool/changeStatus",
    ] {
        assert_error(
            &app.post(path, json!({"poolId": second, "status": 0})).await,
            500,
            "公海内有客户，不能停用/删除",
        );
    }
    // Transfer: not into a stopped pool; then everything moves.
    let stopped = save_pool(&app, pool("停用公海", 1, clerk, json!({"status": 0}))).await;
    assert_error(
        &app.post(
            "/api/crmCustomerPool/transfer",
            json!({"prePoolId": second, "postPoolId": stopped}),
        )
        .await,
        500,
        "不能向停用公海转入客户",
    );
    let moved = app
        .post(
            "/api/crmCustomerPool/transfer",
            json!({"prePoolId": second, "postPoolId": DEFAULT_POOL}),
        )
        .await;
    assert_eq!(moved, json!({"code": 0, "data": 1}));
    assert_eq!(pool_of(&app, cust).await, DEFAULT_POOL);
    assert_eq!(
        app.post(
            "/api/crmCustomerPool/deleteCustomerPool",
            json!({"poolId": second})
        )
        .await,
        json!({"code": 0})
    );
    assert_error(
        &app.post("/api/crmCustomerPool/queryPoolById", json!({"poolId": second}))
            .await,
        500,
        "公海不存在",
    );
    // A stopped, empty pool goes; the default pool, the last enabled one, does not stop.
    assert_eq!(
        app.post(
            "/api/crmCustomerPool/deleteCustomerPool",
            json!({"poolId": stopped})
        )
        .await,
        json!({"code": 0})
    );
    let receive = app
        .post("/api/CrmCustomer/receiveByIds", json!({"ids": cust}))
        .await;
    assert_eq!(receive, json!({"code": 0}));
    assert_error(
        &app.post(
            "/api/crmCustomerPool/changeStatus",
            json!({"poolId": DEFAULT_POOL, "status": 0}),
        )
        .await,
        500,
        "最后一个启用公海不能停用/删除",
    );
    assert_error(
        &app.post(
            "/api/crmCustomerPool/changeStatus",
            json!({"poolId": DEFAULT_POOL, "status": 5}),
        )
        .await,
        400,
        "status只能为0（停用）或1（启用）",
    );
}

#[tokio::test]
async fn members_use_their_pools_and_the_pool_hides_its_columns() {
    let app = spawn_app().await;
    let (clerk, clerk_token) = salesperson(&app, "member_clerk").await;
    let (_, outsider) = salesperson(&app, "member_outsider").await;
    let (manager, manager_token) = salesperson(&app, "member_manager").await;
    let east = save_pool(
        &app,
        pool(
            "成员公海",
            manager,
            clerk,
            json!({"field": [{"fieldName": "mobile", "name": "手机", "isHidden": 1}]}),
        ),
    )
    .await;
    let cust = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "成员客户", "mobile": "13900000001"}),
        )
        .await;
    assert_eq!(
        put_in(&app, &app.token, &[cust], Some(east)).await,
        json!({"code": 0})
    );
    let list = |token: String, params: Value| {
        let app = &app;
        async move {
            app.post_as(&token, "/api/CrmCustomerPool/queryPageList", params)
                .await
        }
    };
    let seen = list(clerk_token.clone(), json!({"poolId": east})).await;
    assert_eq!(ids_of(&seen), vec![cust]);
    assert!(seen["data"]["list"][0].get("mobile").is_none(), "hidden: {seen}");
    assert_eq!(seen["data"]["list"][0]["customerName"], "成员客户");
    assert_error(
        &list(outsider.clone(), json!({"poolId": east})).await,
        500,
        "没有该公海权限，不能进行操作",
    );
    // Without poolId (the J9 route): only the pools the caller may use.
    let j9 = app
        .post_as(&outsider, "/api/CrmCustomer/queryPoolPageList", json!({}))
        .await;
    assert!(!ids_of(&j9).contains(&cust), "{j9}");
    assert_error(
        &app.post_as(&outsider, "/api/CrmCustomer/receiveByIds", json!({"ids": cust}))
            .await,
        500,
        "没有该公海权限，不能进行操作",
    );
    // The pool's administrator distributes even without the role's distribute right.
    let auth = app
        .post_as(
            &manager_token,
            "/api/crmCustomerPool/queryAuthByPoolId",
            json!({"poolId": east}),
        )
        .await;
    assert_eq!(auth["data"]["distribute"], true, "{auth}");
    assert_eq!(
        app.post_as(
            &manager_token,
            "/api/CrmCustomer/distributeByIds",
            json!({"ids": cust, "userId": clerk}),
        )
        .await,
        json!({"code": 0})
    );
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": cust}))
        .await;
    assert_eq!(detail["data"]["ownerUserId"], clerk);
    assert!(detail["data"]["poolId"].is_null(), "out of the pool: {detail}");
    // Into a stopped pool: refused.
    let stopped = save_pool(&app, pool("停用", manager, clerk, json!({"status": 0}))).await;
    assert_error(
        &put_in(&app, &clerk_token, &[cust], Some(stopped)).await,
        500,
        "不能向停用公海转入客户",
    );
}

#[tokio::test]
async fn the_daily_quota_and_the_previous_owners_wait_hold() {
    let app = spawn_app().await;
    let (clerk, clerk_token) = salesperson(&app, "quota_clerk").await;
    let (colleague, colleague_token) = salesperson(&app, "quota_colleague").await;
    let quota = save_pool(
        &app,
        pool(
            "限领公海",
            1,
            clerk,
            json!({"receiveSetting": 1, "receiveNum": 2, "preOwnerSetting": 1, "preOwnerSettingDay": 3,
                   "memberUserId": format!("{clerk},{colleague}")}),
        ),
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            app.create("CrmCustomer", json!({"customer_name": format!("限领{i}")}))
                .await,
        );
    }
    let own = create_as(&app, &clerk_token, "前负责人的客户", json!({})).await;
    assert_eq!(
        put_in(&app, &app.token, &ids, Some(quota)).await,
        json!({"code": 0})
    );
    assert_eq!(
        put_in(&app, &clerk_token, &[own], Some(quota)).await,
        json!({"code": 0})
    );
    let receive = |ids: String| {
        let (app, token) = (&app, clerk_token.clone());
        async move {
            app.post_as(&token, "/api/CrmCustomer/receiveByIds", json!({"ids": ids}))
                .await
        }
    };
    assert_error(
        &receive(format!("{},{},{}", ids[0], ids[1], ids[2])).await,
        500,
        "领取客户数超过限制",
    );
    assert_error(
        &receive(own.to_string()).await,
        500,
        "前负责人在限制时间内不能领取",
    );
    assert_eq!(receive(ids[0].to_string()).await, json!({"code": 0}));
    assert_eq!(receive(ids[1].to_string()).await, json!({"code": 0}));
    assert_error(&receive(ids[2].to_string()).await, 500, "今日领取次数超过上限");
    // The wait binds the administrator too, who put these in; the quota is the
    // receiver's, so a colleague still receives.
    assert_error(
        &app.post("/api/CrmCustomer/receiveByIds", json!({"ids": ids[2]}))
            .await,
        500,
        "前负责人在限制时间内不能领取",
    );
    assert_eq!(
        app.post_as(
            &colleague_token,
            "/api/CrmCustomer/receiveByIds",
            json!({"ids": ids[2]})
        )
        .await,
        json!({"code": 0})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_receives_stay_within_the_daily_quota_on_two_instances() {
    let first = spawn_app().await;
    let (clerk, token) = salesperson(&first, "parallel_quota").await;
    let quota = save_pool(
        &first,
        pool(
            "并发限领",
            1,
            clerk,
            json!({"receiveSetting": 1, "receiveNum": 3}),
        ),
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(
            first
                .create("CrmCustomer", json!({"customer_name": format!("并发{i}")}))
                .await,
        );
    }
    assert_eq!(
        put_in(&first, &first.token, &ids, Some(quota)).await,
        json!({"code": 0})
    );
    let second = Arc::new(first.second_instance().await);
    let first = Arc::new(first);
    let tasks: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            let (token, id) = (token.clone(), *id);
            tokio::spawn(async move {
                app.post_as(&token, "/api/CrmCustomer/receiveByIds", json!({"ids": id}))
                    .await
            })
        })
        .collect();
    let mut bodies = Vec::new();
    for t in tasks {
        bodies.push(t.await.unwrap());
    }
    let counts = tally(&bodies);
    assert_eq!(counts.get("ok").copied(), Some(3), "{counts:?}");
    assert_eq!(
        counts.get("500 今日领取次数超过上限").copied(),
        Some(9),
        "{counts:?}"
    );
    let owned = scalar(
        &first,
        &format!("SELECT COUNT(*) FROM crm_customer WHERE owner_user_id = {clerk}"),
    )
    .await;
    assert_eq!(owned, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_pool_recycles_its_members_customers_by_level_and_business() {
    let first = spawn_app().await;
    let (clerk, clerk_token) = salesperson(&first, "level_clerk").await;
    let (_, other_token) = salesperson(&first, "level_other").await;
    let rules = json!([
        {"type": 1, "dealHandle": 0, "businessHandle": 1, "customerLevelSetting": 2,
         "level": [{"level": "A（重点客户）", "limitDay": 5}, {"level": "B（普通客户）", "limitDay": 20}]},
        {"type": 2, "dealHandle": 1, "businessHandle": 1, "customerLevelSetting": 1,
         "level": [{"limitDay": 10}]}
    ]);
    let levels = save_pool(
        &first,
        pool(
            "分级公海",
            1,
            clerk,
            json!({"putInRule": 1, "rule": rules, "remindSetting": 1, "remindDay": 2}),
        ),
    )
    .await;
    let mut by_kind: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
    for i in 0..40 {
        for (kind, extra) in [
            ("a", json!({"客户级别": "A（重点客户）"})),
            ("b", json!({"客户级别": "B（普通客户）"})),
            ("a_locked", json!({"客户级别": "A（重点客户）"})),
            ("a_dealt", json!({"客户级别": "A（重点客户）"})),
        ] {
            let id = create_as(&first, &clerk_token, &format!("{kind}{i}"), extra).await;
            by_kind.entry(kind).or_default().push(id);
        }
        let id = create_as(
            &first,
            &other_token,
            &format!("other{i}"),
            json!({"客户级别": "A（重点客户）"}),
        )
        .await;
        by_kind.entry("other").or_default().push(id);
    }
    // Half the B customers get business on day 5: the business rule spares them on day 11.
    for id in &by_kind["b"][0..20] {
        first
            .post_as(
                &clerk_token,
                "/api/CrmBusiness/addOrUpdate",
                json!({"entity": {"business_name": format!("商机{id}"), "customer_id": id, "money": 1}}),
            )
            .await;
    }
    let join = |s: &[i64]| s.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let day5 = match first.crm.db.pool() {
        wkcrm::store::Pool::Sqlite(_) => "datetime(create_time, '+5 days')",
        wkcrm::store::Pool::Postgres(_) => "create_time + interval '5 days'",
    };
    exec_sql(
        &first,
        &format!(
            "UPDATE crm_business SET create_time = {day5} WHERE customer_id IN ({})",
            join(&by_kind["b"][0..20])
        ),
    )
    .await;
    first
        .post(
            "/api/CrmCustomer/lock",
            json!({"ids": join(&by_kind["a_locked"]), "isLock": 1}),
        )
        .await;
    first
        .post(
            "/api/CrmCustomer/setDealStatus",
            json!({"ids": join(&by_kind["a_dealt"]), "dealStatus": 1}),
        )
        .await;
    // poolDay reads the pool's rules: 5 days for level A, 10 (business) for level B.
    let a = first
        .post(
            "/api/CrmCustomer/queryById",
            json!({"customerId": by_kind["a"][0]}),
        )
        .await;
    assert_eq!(a["data"]["poolDay"], 5, "{a}");
    let b = first
        .post(
            "/api/CrmCustomer/queryById",
            json!({"customerId": by_kind["b"][30]}),
        )
        .await;
    assert_eq!(b["data"]["poolDay"], 10, "{b}");
    let other = first
        .post(
            "/api/CrmCustomer/queryById",
            json!({"customerId": by_kind["other"][0]}),
        )
        .await;
    assert!(other["data"]["poolDay"].is_null(), "not a member's: {other}");
    // Two instances pass at day 6 at once: the A customers go, once, into that pool.
    let second = first.second_instance().await;
    let at = first.crm.clock.now() + Duration::days(6);
    let (x, y) = tokio::join!(first.crm.recycle(at), second.crm.recycle(at));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.total() + y.total(), 40, "{x:?} {y:?}");
    for id in &by_kind["a"] {
        assert_eq!(pool_of(&first, *id).await, levels);
    }
    for kind in ["b", "a_locked", "other"] {
        for id in &by_kind[kind] {
            assert!(pool_of(&first, *id).await.is_null(), "{kind} {id} stays");
        }
    }
    // Day 11: the business rule (dealt customers not exempt) takes the B customers without
    // business and the dealt A ones; B customers with business on day 5 stay.
    let at = first.crm.clock.now() + Duration::days(11);
    let done = first.crm.recycle(at).await.unwrap();
    assert_eq!((done.no_business, done.no_followup), (60, 0), "{done:?}");
    for id in &by_kind["b"][20..40] {
        assert_eq!(pool_of(&first, *id).await, levels);
    }
    for id in &by_kind["b"][0..20] {
        assert!(pool_of(&first, *id).await.is_null());
    }
    let history = first
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": by_kind["a_dealt"][0], "types": 2}),
        )
        .await;
    assert!(
        history["data"]
            .to_string()
            .contains("超过10天无新建商机自动进入公海"),
        "{history}"
    );
}

#[tokio::test]
async fn the_to_do_list_warns_of_customers_about_to_drop() {
    let app = spawn_app().await;
    let (clerk, token) = salesperson(&app, "remind_clerk").await;
    let soon = create_as(&app, &token, "快到期", json!({})).await;
    let later = create_as(&app, &token, "还早", json!({})).await;
    let four_days_ago = match app.crm.db.pool() {
        wkcrm::store::Pool::Sqlite(_) => "datetime(create_time, '-4 days')",
        wkcrm::store::Pool::Postgres(_) => "create_time - interval '4 days'",
    };
    exec_sql(
        &app,
        &format!("UPDATE crm_customer SET create_time = {four_days_ago} WHERE customer_id = {soon}"),
    )
    .await;
    // No pool reminds yet: the list is empty, the count 0.
    let none = app
        .post_as(&token, "/api/CrmBackLog/putInPoolRemind", json!({"isSub": 1}))
        .await;
    assert_eq!(ids_of(&none), Vec::<i64>::new(), "{none}");
    assert_eq!(reminders(&app, &token).await, 0);
    let rules = json!([{"type": 1, "dealHandle": 0, "businessHandle": 1, "customerLevelSetting": 1,
                        "level": [{"limitDay": 5}]}]);
    save_pool(
        &app,
        pool(
            "提醒公海",
            1,
            clerk,
            json!({"putInRule": 1, "rule": rules, "remindSetting": 1, "remindDay": 2}),
        ),
    )
    .await;
    assert_eq!(reminders(&app, &token).await, 1);
    let remind = app
        .post_as(&token, "/api/CrmBackLog/putInPoolRemind", json!({"isSub": 1}))
        .await;
    assert_eq!(ids_of(&remind), vec![soon], "{remind}");
    assert_eq!(remind["data"]["list"][0]["poolDay"], 1);
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": later}))
        .await;
    assert_eq!(detail["data"]["poolDay"], 5);
    // The admin's own customers: none is due.
    let mine = app.post("/api/CrmBackLog/putInPoolRemind", json!({})).await;
    assert_eq!(ids_of(&mine), Vec::<i64>::new());
    assert_error(
        &app.post("/api/CrmBackLog/putInPoolRemind", json!({"isSub": 3}))
            .await,
        400,
        "isSub参数不正确",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_rule_changes_leave_one_whole_setting() {
    let first = Arc::new(spawn_app().await);
    let second = Arc::new(first.second_instance().await);
    let tasks: Vec<_> = (1..=12)
        .map(|days| {
            let app = if days % 2 == 0 {
                first.clone()
            } else {
                second.clone()
            };
            tokio::spawn(async move {
                app.post(
                    "/api/CrmCustomer/updateRulesSetting",
                    json!({"followupDay": days, "dealDay": days + 100, "type": 1}),
                )
                .await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), json!({"code": 0}));
    }
    let detail = first
        .post(
            "/api/crmCustomerPool/queryPoolById",
            json!({"poolId": DEFAULT_POOL}),
        )
        .await;
    let rules = detail["data"]["rule"].as_array().unwrap().clone();
    assert_eq!(rules.len(), 2, "two rules, not a mix of several writes: {detail}");
    let days = |i: usize| rules[i]["levelSetting"][0]["limitDay"].as_i64().unwrap();
    assert_eq!(days(1), days(0) + 100, "{detail}");
}

async fn reminders(app: &TestApp, token: &str) -> Value {
    app.post_as(token, "/api/CrmBackLog/num", json!({})).await["data"]["putInPoolRemind"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pool_deleted_while_customers_go_in_never_keeps_them() {
    let first = Arc::new(spawn_app().await);
    let second = Arc::new(first.second_instance().await);
    for round in 0..6 {
        let doomed = save_pool(&first, pool(&format!("将删{round}"), 1, 1, json!({}))).await;
        let cust = first
            .create(
                "CrmCustomer",
                json!({"customer_name": format!("竞速客户{round}")}),
            )
            .await;
        let (token, ids) = (first.token.clone(), [cust]);
        let (put, delete) = tokio::join!(
            put_in(&first, &token, &ids, Some(doomed)),
            second.post(
                "/api/crmCustomerPool/deleteCustomerPool",
                json!({"poolId": doomed})
            )
        );
        let kept = scalar(
            &first,
            &format!("SELECT COUNT(*) FROM crm_customer WHERE pool_id = {doomed}"),
        )
        .await;
        match (put["code"].as_i64(), delete["code"].as_i64()) {
            // The put-in first: the pool holds the customer and refuses to go.
            (Some(0), Some(500)) => {
                assert_eq!(delete["msg"], "公海内有客户，不能停用/删除");
                assert_eq!(kept, 1);
            }
            // The delete first: the put-in finds no pool.
            (Some(500), Some(0)) => {
                assert_eq!(put["msg"], "公海不存在");
                assert_eq!(kept, 0);
            }
            other => panic!("round {round}: {other:?} {put} {delete}"),
        }
    }
}
