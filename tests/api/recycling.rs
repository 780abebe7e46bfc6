//! The customer protection rules and automatic recycling, with a controlled clock.

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use serde_json::json;
use wkcrm::crm::modules::Recycled;
use wkcrm::store::Pool;

use crate::helpers::*;

/// Shifts a customer column to `create_time` plus `days`, in each backend's SQL.
async fn shift(app: &TestApp, column: &str, days: i64, ids: &[i64]) {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let value = match app.crm.db.pool() {
        Pool::Sqlite(_) => format!("datetime(create_time, '+{days} days')"),
        Pool::Postgres(_) => format!("create_time + interval '{days} days'"),
    };
    exec_sql(
        app,
        &format!("UPDATE crm_customer SET {column} = {value} WHERE customer_id IN ({list})"),
    )
    .await;
}

async fn enable(app: &TestApp, followup: i64, deal: i64) {
    let body = app
        .post(
            "/api/CrmCustomer/updateRulesSetting",
            json!({"followupDay": followup, "dealDay": deal, "type": 1, "putInPoolRemindConfig": 1, "putInPoolRemindDays": 2}),
        )
        .await;
    assert_eq!(body, json!({"code": 0}));
}

fn created(app_now: NaiveDateTime, days: i64) -> NaiveDateTime {
    app_now + Duration::days(days)
}

async fn recycled_entries(app: &TestApp, id: i64) -> usize {
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": id, "types": 2}),
        )
        .await;
    history["data"].to_string().matches("自动进入公海").count()
}

#[tokio::test]
async fn the_rules_are_set_by_the_admin_and_read_as_j9_shows_them() {
    let app = spawn_app().await;
    let body = app.post("/api/CrmCustomer/getRulesSetting", json!({})).await;
    assert_eq!(body["data"]["customerConfig"], 0, "off until enabled: {body}");
    assert_eq!(body["data"]["followupDay"], "7");
    assert_eq!(body["data"]["dealDay"], "3");
    enable(&app, 10, 40).await;
    let body = app.post("/api/CrmCustomer/getRulesSetting", json!({})).await;
    assert_eq!(
        body["data"],
        json!({"dealDay": "40", "followupDay": "10", "customerConfig": 1, "contractConfig": 0, "contractDay": "3",
               "putInPoolRemindConfig": 1, "putInPoolRemindDays": "2"})
    );
    for (params, msg) in [
        (json!({"dealDay": 3, "type": 1}), "跟进天数不能为空"),
        (json!({"followupDay": 3, "type": 1}), "成交天数不能为空"),
        (json!({"followupDay": 3, "dealDay": 3}), "启用状态不能为空"),
        (
            json!({"followupDay": 0, "dealDay": 3, "type": 1}),
            "followupDay应为1到3650之间的天数",
        ),
    ] {
        assert_error(
            &app.post("/api/CrmCustomer/updateRulesSetting", params).await,
            400,
            msg,
        );
    }
    let (_, clerk) = salesperson(&app, "rules_clerk").await;
    assert_error(
        &app.post_as(
            &clerk,
            "/api/CrmCustomer/updateRulesSetting",
            json!({"followupDay": 1, "dealDay": 1, "type": 1}),
        )
        .await,
        401,
        "无权操作",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn recycling_returns_what_is_due_once_and_spares_the_exempt() {
    let first = spawn_app().await;
    let second = Arc::new(first.second_instance().await);
    let app = Arc::new(first);
    let mut ids = Vec::new();
    for i in 0..250 {
        ids.push(
            app.create("CrmCustomer", json!({"customer_name": format!("规则客户{i}")}))
                .await,
        );
    }
    let (locked, dealt, followed, plain, late) = (
        &ids[0..50],
        &ids[50..100],
        &ids[100..150],
        &ids[150..200],
        &ids[200..250],
    );
    let join = |s: &[i64]| s.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    app.post("/api/CrmCustomer/lock", json!({"ids": join(locked), "isLock": 1}))
        .await;
    app.post(
        "/api/CrmCustomer/setDealStatus",
        json!({"ids": join(dealt), "dealStatus": 1}),
    )
    .await;
    shift(&app, "last_time", 6, followed).await;
    shift(&app, "last_time", 25, late).await;
    let now = app.crm.clock.now();

    // Off: nothing moves whatever the date.
    assert_eq!(
        app.crm.recycle(created(now, 100)).await.unwrap(),
        Recycled::default()
    );
    enable(&app, 7, 30).await;
    let page = app
        .list("CrmCustomer", json!({"limit": 300, "pageType": 0}))
        .await;
    let row = |id: i64| {
        page["list"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["customerId"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(row(plain[0])["poolDay"], 7, "{}", row(plain[0]));
    assert!(row(locked[0])["poolDay"].is_null());
    assert!(row(dealt[0])["poolDay"].is_null());
    assert_eq!(
        app.crm.recycle(created(now, 5)).await.unwrap(),
        Recycled::default()
    );

    // Two instances pass at once: the 50 without follow-up go, each once.
    let at = created(now, 8);
    let (a, b) = tokio::join!(app.crm.recycle(at), second.crm.recycle(at));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.no_followup + b.no_followup, 50, "{a:?} {b:?}");
    assert_eq!(a.not_dealt + b.not_dealt, 0);
    for id in plain {
        let detail = app
            .post("/api/CrmCustomer/queryById", json!({"customerId": id}))
            .await;
        assert!(detail["data"]["ownerUserId"].is_null(), "{detail}");
        assert_eq!(detail["data"]["preOwnerUserId"], 1);
        assert_eq!(recycled_entries(&app, *id).await, 1);
    }
    // Idempotent: the same pass again moves nothing.
    assert_eq!(app.crm.recycle(at).await.unwrap(), Recycled::default());
    // A follow-up six days after creation keeps a customer until the 14th day.
    let later = app.crm.recycle(created(now, 14)).await.unwrap();
    assert_eq!(
        later,
        Recycled {
            no_followup: 50,
            no_business: 0,
            not_dealt: 0
        }
    );
    // Followed up on the 25th day, but undealt 30 days after creation.
    let deal = app.crm.recycle(created(now, 31)).await.unwrap();
    assert_eq!(
        deal,
        Recycled {
            no_followup: 0,
            no_business: 0,
            not_dealt: 50
        }
    );
    let history = app
        .post(
            "/api/CrmRecord/queryRecordList",
            json!({"actionId": late[0], "types": 2}),
        )
        .await;
    assert!(
        history["data"].to_string().contains("超过30天未成交自动进入公海"),
        "{history}"
    );
    // The locked and the dealt stay with their owner.
    let owned = app
        .list_ids("CrmCustomer", "customerId", json!({"limit": 300, "pageType": 0}))
        .await;
    assert_eq!(owned.len(), 100);
    assert!(locked.iter().chain(dealt).all(|id| owned.contains(id)));
}
