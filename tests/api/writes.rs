//! Write transactions under load: on SQLite they commit in batches (group commit), each
//! inside a savepoint of its own, and the full-text tables are written once per batch.
//! These tests hold on both backends; on SQLite they exercise the batches.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde_json::json;
use wkcrm::store::{Backend, sessions};

use crate::helpers::*;

/// A test's bound on any wait: a batch nobody ends would hang here instead of passing.
const PATIENCE: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_creates_each_read_and_find_their_own_record_at_once() {
    let app = Arc::new(spawn_app().await);
    const CLIENTS: usize = 24;
    let handles: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                let name = format!("并发写入线索{i:02}号");
                let body = app
                    .post(
                        "/api/CrmLeads/addOrUpdate",
                        json!({"entity": {"leads_name": name}}),
                    )
                    .await;
                assert_eq!(body["code"], 0, "{body}");
                let id = body["data"].as_i64().expect("the new id");
                // Read back at once, by id and by keyword: the answer came after the commit.
                let read = app.post("/api/CrmLeads/queryById", json!({"leadsId": id})).await;
                assert_eq!(read["data"]["leadsName"], name, "{read}");
                let found = app.list("CrmLeads", json!({"search": name})).await;
                assert_eq!(found["totalRow"], 1, "{found}");
                assert_eq!(found["list"][0]["leadsId"], id, "{found}");
            })
        })
        .collect();
    for h in handles {
        tokio::time::timeout(PATIENCE, h)
            .await
            .expect("no create hangs")
            .expect("client task");
    }
    let total = app.list("CrmLeads", json!({"search": "并发写入线索"})).await;
    assert_eq!(total["totalRow"], CLIENTS, "{total}");
    assert_search_tables_sound(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn renames_and_deletes_in_parallel_keep_search_in_step() {
    let app = Arc::new(spawn_app().await);
    let ids: Vec<i64> = futures_all((0..12).map(|i| {
        let app = app.clone();
        async move {
            app.create("CrmLeads", json!({"leads_name": format!("旧名线索{i:02}")}))
                .await
        }
    }))
    .await;
    // Each lead renamed twice, in parallel with the others: the queue keeps each row's
    // commands in order ('delete' of the old words, then the new ones).
    futures_all(ids.iter().enumerate().map(|(i, &id)| {
        let app = app.clone();
        async move {
            for round in ["中名", "新名"] {
                let body = app
                    .post(
                        "/api/CrmLeads/addOrUpdate",
                        json!({"entity": {"leads_id": id, "leads_name": format!("{round}线索{i:02}")}}),
                    )
                    .await;
                assert_eq!(body["code"], 0, "{body}");
            }
        }
    }))
    .await;
    let deleted = app
        .post(
            "/api/CrmLeads/deleteByIds",
            json!({"leadsIds": ids[..4].iter().map(i64::to_string).collect::<Vec<_>>().join(",")}),
        )
        .await;
    assert_eq!(deleted["code"], 0, "{deleted}");
    for (words, expected) in [("旧名线索", 0), ("中名线索", 0), ("新名线索", 8)] {
        let found = app.list("CrmLeads", json!({"search": words})).await;
        assert_eq!(found["totalRow"], expected, "{words}: {found}");
    }
    assert_search_tables_sound(&app).await;
}

/// Transactions in one batch that fail or go away undo their own work only; the rest
/// commit, and nothing waits for a member that is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_or_abandoned_transaction_undoes_only_itself() {
    let app = spawn_app().await;
    let db = app.crm.db.clone();
    let now = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let later = now + chrono::Duration::days(1);
    let mut tx = db.begin().await.unwrap();
    sessions::insert(&mut tx, "taken", 1, now, later).await.unwrap();
    tx.commit().await.unwrap();

    // One writer holds its transaction open and is cancelled midway, while the others
    // queue behind it (on SQLite) ...
    let abandoned = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            sessions::insert(&mut tx, "abandoned", 1, now, later)
                .await
                .unwrap();
            std::future::pending::<()>().await;
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    // ... 30 writers at once: a third commit, a third fail on a duplicate key after writing
    // a row of their own, a third drop their transaction after writing.
    let handles: Vec<_> = (0..30)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                sessions::insert(&mut tx, &format!("writer-{i}"), 1, now, later)
                    .await
                    .unwrap();
                match i % 3 {
                    0 => tx.commit().await.map_err(|e| e.to_string()),
                    1 => {
                        let dup = sessions::insert(&mut tx, "taken", 1, now, later).await;
                        assert!(dup.is_err(), "a duplicate key fails");
                        Err("dropped after the failure".to_owned())
                    }
                    _ => Err("dropped".to_owned()),
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    abandoned.abort();
    for (i, h) in handles.into_iter().enumerate() {
        let outcome = tokio::time::timeout(PATIENCE, h)
            .await
            .expect("no writer hangs")
            .unwrap();
        assert_eq!(outcome.is_ok(), i % 3 == 0, "writer {i}: {outcome:?}");
    }
    // The writer is free again, within the test's patience.
    let mut tx = tokio::time::timeout(PATIENCE, db.begin())
        .await
        .expect("the writer is free")
        .unwrap();
    sessions::insert(&mut tx, "after", 1, now, later).await.unwrap();
    tokio::time::timeout(PATIENCE, tx.commit())
        .await
        .expect("commits")
        .unwrap();

    let kept = scalar(
        &app,
        "SELECT COUNT(*) FROM admin_session WHERE token_hash LIKE 'writer-%'",
    )
    .await;
    assert_eq!(kept, 10, "only the committed writers' rows stay");
    let abandoned = scalar(
        &app,
        "SELECT COUNT(*) FROM admin_session WHERE token_hash = 'abandoned'",
    )
    .await;
    assert_eq!(abandoned, 0, "the cancelled transaction's row is rolled back");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM admin_session WHERE token_hash IN ('taken', 'after')"
        )
        .await,
        2
    );
}

/// Writes straight on the pool (a session's expiry sliding forward, a logout) queue with
/// the transactions instead of waiting on the file lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logouts_during_parallel_creates_all_land() {
    let app = Arc::new(spawn_app().await);
    let mut tokens = Vec::new();
    for _ in 0..4 {
        tokens.push(app.login("admin", ADMIN_PASSWORD).await);
    }
    let creates = (0..16).map(|i| {
        let app = app.clone();
        async move {
            let body = app
                .post(
                    "/api/CrmLeads/addOrUpdate",
                    json!({"entity": {"leads_name": format!("登出并发{i}")}}),
                )
                .await;
            assert_eq!(body["code"], 0, "{body}");
        }
    });
    let logouts = tokens.clone().into_iter().map(|token| {
        let app = app.clone();
        async move {
            let body = app.post_as(&token, "/api/logout", json!({})).await;
            assert_eq!(body["code"], 0, "{body}");
        }
    });
    let all: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>> = creates
        .map(|f| Box::pin(f) as _)
        .chain(logouts.map(|f| Box::pin(f) as _))
        .collect();
    tokio::time::timeout(PATIENCE, futures_all(all))
        .await
        .expect("nothing hangs");
    for token in &tokens {
        app.assert_logged_out(token).await;
    }
    assert_eq!(
        app.list("CrmLeads", json!({"search": "登出并发"})).await["totalRow"],
        16
    );
}

/// Runs the futures at once, each in a task of its own; answers their outputs in order.
async fn futures_all<F, T>(futures: impl IntoIterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

/// On SQLite: the full-text queue is empty after every commit and the full-text table
/// agrees with its content table (FTS5's own check fails the statement otherwise).
async fn assert_search_tables_sound(app: &TestApp) {
    if app.crm.db.backend() != Backend::Sqlite {
        return;
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM crm_search_queue").await, 0);
    exec_sql(
        app,
        "INSERT INTO crm_leads_fts (crm_leads_fts, rank) VALUES ('integrity-check', 1)",
    )
    .await;
}
