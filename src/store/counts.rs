//! Cached list counts.
//!
//! `totalRow` needs `COUNT(*)` over every matching row, which on a large table costs far
//! more than the page itself. The database keeps one CRM data version, moved on after every
//! committed write to CRM data (records, teams) by any instance. Each instance caches counts
//! keyed by the statement, its parameters and the version it read before counting, so a
//! count is reused only while no write has happened anywhere since. The only window of
//! staleness is between a writer's commit and its version bump (one statement later).

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Db, StoreResult, on_exec};

/// Entries kept before the cache is emptied and starts over.
const MAX_ENTRIES: usize = 4096;

#[derive(Debug, Default)]
pub struct CountCache {
    entries: Mutex<HashMap<(i64, String), i64>>,
}

impl CountCache {
    pub fn get(&self, version: i64, key: &str) -> Option<i64> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&(version, key.to_owned())).copied()
    }

    pub fn put(&self, version: i64, key: String, count: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.retain(|(v, _), _| *v >= version);
        entries.insert((version, key), count);
    }
}

/// The current CRM data version.
pub async fn version(db: &Db) -> StoreResult<i64> {
    Ok(on_exec!(Exec::Pool(db), |conn, _qb| {
        sqlx::query_scalar::<_, i64>("SELECT version FROM crm_data_version WHERE id = 1")
            .fetch_one(conn)
            .await?
    }))
}

/// Moves the CRM data version on.
pub async fn bump(db: &Db) -> StoreResult<()> {
    on_exec!(Exec::Pool(db), |conn, _qb| {
        sqlx::query("UPDATE crm_data_version SET version = version + 1 WHERE id = 1")
            .execute(conn)
            .await?;
    });
    Ok(())
}
