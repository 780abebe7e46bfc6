//! Cached settings reads.
//!
//! Nearly every request reads the same few settings besides its records: the caller's
//! rights, who reports to whom, the departments, a module's field catalogue. They change
//! rarely, so each instance keeps them in memory, keyed by the database's settings version.
//! Triggers move that version on inside every transaction that changes one of them
//! (migration 0019), whichever instance, tool or hand made the change.
//!
//! A request learns the version in the same statement that finds its session (no extra
//! round trip) and reads through a `Db` stamped with it. A stamped read uses the copy
//! cached under that version, or loads and keeps one. Once the request commits a write of
//! its own, its stamp is spent: its later reads go to the database, so a service that
//! changes a setting and answers with the result sees the change. Reads inside a
//! transaction never use the cache.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use sea_query::{Expr, ExprTrait, Query};

use super::{Db, Exec, StoreResult};

/// Entries kept before the cache is emptied: one per user's rights and per module's
/// catalogue, so thousands of users fit with room to spare.
const MAX_ENTRIES: usize = 8192;

/// What a cached read is: a kind of read and its argument (a user id, a module label).
pub type Key = (&'static str, i64);

type Entries = HashMap<(i64, Key), Arc<dyn Any + Send + Sync>>;

#[derive(Default)]
pub struct SettingsCache {
    entries: Mutex<Entries>,
}

impl std::fmt::Debug for SettingsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.lock().len();
        f.debug_struct("SettingsCache").field("entries", &len).finish()
    }
}

impl SettingsCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get<T: Clone + Send + Sync + 'static>(&self, version: i64, key: Key) -> Option<T> {
        let entries = self.lock();
        entries.get(&(version, key))?.downcast_ref::<T>().cloned()
    }

    fn put<T: Send + Sync + 'static>(&self, version: i64, key: Key, value: T) {
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.retain(|(v, _), _| *v >= version);
        entries.insert((version, key), Arc::new(value));
    }
}

/// The settings version a request read, until the request commits a write.
#[derive(Debug)]
pub struct Stamp {
    version: i64,
    live: AtomicBool,
}

impl Stamp {
    pub fn new(version: i64) -> Arc<Self> {
        Arc::new(Stamp {
            version,
            live: AtomicBool::new(true),
        })
    }

    pub(super) fn spend(&self) {
        self.live.store(false, Ordering::Relaxed);
    }

    fn version(&self) -> Option<i64> {
        self.live.load(Ordering::Relaxed).then_some(self.version)
    }
}

/// `(SELECT version FROM admin_settings_version)`, to read beside a session.
pub fn version_expr() -> Expr {
    let mut q = Query::select();
    q.column("version")
        .from("admin_settings_version")
        .and_where(Expr::col("id").eq(1i64));
    Expr::from(q)
}

/// `load` on `exec`, through the cache when `exec` is a stamped pool.
pub(super) async fn cached<'a, T, F, Fut>(exec: Exec<'a>, key: Key, load: F) -> StoreResult<T>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(Exec<'a>) -> Fut,
    Fut: Future<Output = StoreResult<T>>,
{
    let Some((db, version)) = stamped(&exec) else {
        return load(exec).await;
    };
    if let Some(hit) = db.settings.get::<T>(version, key) {
        return Ok(hit);
    }
    let value = load(exec).await?;
    db.settings.put(version, key, value.clone());
    Ok(value)
}

fn stamped<'e>(exec: &Exec<'e>) -> Option<(&'e Db, i64)> {
    match exec {
        Exec::Pool(db) => Some((*db, db.stamp.as_ref()?.version()?)),
        Exec::Tx(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_older_versions_retire_and_the_cache_stays_bounded() {
        let cache = SettingsCache::default();
        cache.put(1, ("grants", 7), vec![1i64]);
        assert_eq!(cache.get::<Vec<i64>>(1, ("grants", 7)), Some(vec![1]));
        assert_eq!(
            cache.get::<Vec<i64>>(2, ("grants", 7)),
            None,
            "another version misses"
        );
        assert_eq!(cache.get::<String>(1, ("grants", 7)), None, "another type misses");
        cache.put(2, ("grants", 8), vec![2i64]);
        assert_eq!(
            cache.get::<Vec<i64>>(1, ("grants", 7)),
            None,
            "older versions retire"
        );
        for user in 0..(MAX_ENTRIES as i64 + 10) {
            cache.put(2, ("grants", user), vec![user]);
        }
        assert!(cache.lock().len() <= MAX_ENTRIES);
    }

    #[test]
    fn a_spent_stamp_reads_no_version() {
        let stamp = Stamp::new(5);
        assert_eq!(stamp.version(), Some(5));
        stamp.spend();
        assert_eq!(stamp.version(), None);
    }
}
