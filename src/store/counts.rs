//! Cached list counts.
//!
//! `totalRow` needs `COUNT(*)` over every matching row, which on a large table costs far
//! more than the page itself. The database keeps one CRM data version, moved on after every
//! committed write to CRM data (records, teams) by any instance. Each instance caches counts
//! keyed by the statement, its parameters and the version it read before counting, so a
//! count is reused only while no write has happened anywhere since. On SQLite the version
//! moves in the writing transaction; on PostgreSQL one statement after its commit (that
//! statement is the only window of staleness), so writers do not queue on the version row.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use sea_query::{Expr, ExprTrait, Query};

use super::{Db, Exec, StoreResult, fetch_scalar, update_rows};

/// Entries kept before the cache is emptied and starts over. Keys are digests of the
/// statement, so an entry costs the same few dozen bytes however large the filter values
/// in it are: the cache never holds more than about 200 KiB.
const MAX_ENTRIES: usize = 4096;

/// The SHA-256 of a count statement rendered with its parameters.
pub type Key = [u8; 32];

pub fn key(statement: &str) -> Key {
    Sha256::digest(statement.as_bytes()).into()
}

#[derive(Debug, Default)]
pub struct CountCache {
    entries: Mutex<HashMap<(i64, Key), i64>>,
}

impl CountCache {
    pub fn get(&self, version: i64, key: &Key) -> Option<i64> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&(version, *key)).copied()
    }

    pub fn put(&self, version: i64, key: Key, count: i64) {
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
    let mut q = Query::select();
    q.column("version")
        .from(VERSION_TABLE)
        .and_where(Expr::col("id").eq(1i64));
    fetch_scalar(db, &q).await
}

/// Moves the CRM data version on.
pub async fn bump<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<()> {
    update_rows(exec, VERSION_TABLE, next_version(), this_version()).await?;
    Ok(())
}

/// Like `bump`, on PostgreSQL's pool just after a commit (not as a transaction of its own).
pub(super) async fn bump_on(exec: Exec<'_>) -> StoreResult<()> {
    super::execute_on(exec, &bump_statement()).await?;
    Ok(())
}

/// `bump` as SQLite text, for the statements that end a write batch (`writer`); its
/// values are constants.
pub(super) fn bump_sql() -> String {
    bump_statement().to_string(sea_query::SqliteQueryBuilder)
}

fn bump_statement() -> sea_query::UpdateStatement {
    let mut q = Query::update();
    q.table(VERSION_TABLE)
        .values(next_version())
        .cond_where(this_version());
    q
}

const VERSION_TABLE: &str = "crm_data_version";

fn next_version() -> [(&'static str, Expr); 1] {
    [("version", Expr::col("version").add(1i64))]
}

fn this_version() -> Expr {
    Expr::col("id").eq(1i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_bounded_whatever_the_statements_hold() {
        let cache = CountCache::default();
        let big = "x".repeat(1 << 16);
        for i in 0..(MAX_ENTRIES + 10) {
            cache.put(1, key(&format!("{big}{i}")), i as i64);
        }
        let entries = cache.entries.lock().unwrap();
        assert!(entries.len() <= MAX_ENTRIES);
        assert_eq!(
            std::mem::size_of::<(i64, Key)>(),
            40,
            "a key costs the same for any statement"
        );
        drop(entries);
        let last = MAX_ENTRIES + 9;
        assert_eq!(cache.get(1, &key(&format!("{big}{last}"))), Some(last as i64));
        assert_eq!(
            cache.get(2, &key(&format!("{big}{last}"))),
            None,
            "another version misses"
        );
    }
}
