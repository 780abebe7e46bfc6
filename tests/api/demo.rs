//! The demo-data generator: every kind of row, owners over five departments, the custom
//! fields filled, deterministic by seed.

use serde_json::json;
use wkcrm::crm::demo::DemoPlan;

use crate::helpers::*;

fn plan(seed: u64) -> DemoPlan {
    DemoPlan {
        users: 12,
        leads: 40,
        customers: 30,
        contacts: 50,
        business: 25,
        followups: 60,
        history: 35,
        seed,
    }
}

#[tokio::test]
async fn the_generator_makes_every_kind_of_row_the_same_for_a_seed() {
    let app = spawn_app().await;
    app.crm.generate_demo(&plan(42), &|_| {}).await.unwrap();
    for (table, n) in [
        ("crm_leads", 40),
        ("crm_customer", 30),
        ("crm_contacts", 50),
        ("crm_business", 25),
        ("crm_follow_record", 60),
        ("crm_follow_link", 60),
        ("crm_action_record", 35),
    ] {
        assert_eq!(
            scalar(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            n,
            "{table}"
        );
    }
    // Twelve users over five departments, each department's first user its manager.
    let depts = app
        .post("/api/system/dept/queryDeptTree", json!({"type": "tree"}))
        .await;
    for name in ["销售一部", "销售五部"] {
        assert!(depts.to_string().contains(name), "{depts}");
    }
    let managed = scalar(
        &app,
        "SELECT COUNT(*) FROM admin_user WHERE username LIKE 'sales%' AND parent_id IS NOT NULL",
    )
    .await;
    assert_eq!(managed, 7);
    // Contacts and business have three custom fields each, filled; every reference holds.
    let contacts = app.list("CrmContacts", json!({"limit": 5})).await;
    let row = &contacts["list"][0];
    assert!(row.is_object(), "{contacts}");
    for key in ["是否关键决策人", "性别", "联系人级别", "customerName"] {
        assert!(row[key].is_string(), "{key}: {row}");
    }
    let business = app.list("CrmBusiness", json!({"limit": 5})).await;
    let row = &business["list"][0];
    for key in ["商机来源", "客户行业", "竞争程度", "customerName", "statusName"] {
        assert!(row[key].is_string(), "{key}: {row}");
    }
    let orphans = scalar(
        &app,
        "SELECT COUNT(*) FROM crm_contacts WHERE customer_id NOT IN (SELECT customer_id FROM crm_customer)",
    )
    .await;
    assert_eq!(orphans, 0);
    // The same seed on a fresh database gives the same records.
    let again = spawn_app().await;
    again.crm.generate_demo(&plan(42), &|_| {}).await.unwrap();
    assert_eq!(customer_names(&app).await, customer_names(&again).await);
}

async fn customer_names(app: &TestApp) -> Vec<String> {
    app.list(
        "CrmCustomer",
        json!({"limit": 30, "sortField": "customerId", "order": 2}),
    )
    .await["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["customerName"].as_str().unwrap().to_owned())
        .collect()
}

/// The secondary indexes of `table` (on SQLite its triggers too), by the backend's catalogue.
async fn index_count(app: &TestApp, table: &str) -> i64 {
    let sql = if app.url.starts_with("postgres") {
        format!("SELECT COUNT(*) FROM pg_indexes WHERE tablename = '{table}'")
    } else {
        format!(
            "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = '{table}' AND sql IS NOT NULL AND type IN ('index', 'trigger')"
        )
    };
    scalar(app, &sql).await
}

/// The list's keyword search for `name`: how many leads it finds.
async fn found(app: &TestApp, name: &str) -> i64 {
    app.list("CrmLeads", json!({"search": name})).await["totalRow"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_generated_table_gets_its_indexes_and_search_back_after_the_load() {
    let app = spawn_app().await;
    let before = (
        index_count(&app, "crm_leads").await,
        index_count(&app, "crm_customer").await,
    );
    app.crm.generate_demo(&plan(7), &|_| {}).await.unwrap();
    let after = (
        index_count(&app, "crm_leads").await,
        index_count(&app, "crm_customer").await,
    );
    assert_eq!(after, before, "every index made again");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM crm_index_aside").await, 0);
    if !app.url.starts_with("postgres") {
        // Planned by the per-index statistics alone, whatever the bound values.
        assert!(scalar(&app, "SELECT COUNT(*) FROM sqlite_stat1").await > 0);
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sqlite_stat4").await, 0);
    }
    let name = app.list("CrmLeads", json!({"limit": 1})).await["list"][0]["leadsName"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(found(&app, &name).await >= 1, "the search finds generated {name}");
}

#[tokio::test]
async fn indexes_an_interrupted_load_put_aside_are_made_again_at_the_next_start() {
    let app = spawn_app().await;
    let indexes = index_count(&app, "crm_leads").await;
    wkcrm::store::bulk::set_indexes_aside(&app.crm.db, wkcrm::store::tables::LEADS)
        .await
        .unwrap();
    assert!(index_count(&app, "crm_leads").await < indexes - 5, "put aside");
    // The load "dies" after writing a lead; the server still serves meanwhile.
    app.create("CrmLeads", json!({"leads_name": "中断加载线索"}))
        .await;
    let restarted = app.second_instance().await;
    assert_eq!(index_count(&restarted, "crm_leads").await, indexes);
    assert_eq!(
        scalar(&restarted, "SELECT COUNT(*) FROM crm_index_aside").await,
        0
    );
    assert_eq!(
        found(&restarted, "中断加载").await,
        1,
        "the search covers the rows loaded meanwhile"
    );
    // Nothing put aside: a start writes nothing and makes nothing.
    assert_eq!(
        wkcrm::store::bulk::restore_indexes(&restarted.crm.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_make_the_indexes_put_aside_again_once() {
    let app = spawn_app().await;
    let indexes = index_count(&app, "crm_leads").await;
    wkcrm::store::bulk::set_indexes_aside(&app.crm.db, wkcrm::store::tables::LEADS)
        .await
        .unwrap();
    // Both start (and restore) at once: one makes them, the other finds nothing left.
    let (first, second) = tokio::join!(app.second_instance(), app.second_instance());
    assert_eq!(index_count(&first, "crm_leads").await, indexes);
    assert_eq!(scalar(&second, "SELECT COUNT(*) FROM crm_index_aside").await, 0);
}
