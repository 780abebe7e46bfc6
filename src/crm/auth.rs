//! Login, tokens and the login-failure limit.
//!
//! Tokens are 128 random bits shown to the client once; the database keeps only their
//! SHA-256, so a leaked table does not leak sessions. Failed logins are counted in the
//! database, so the limit holds across every instance.

use std::collections::HashMap;

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use chrono::{Duration, NaiveDateTime};
use sha2::{Digest, Sha256};

use super::Crm;
use super::access::Access;
use super::error::{Error, Result};
use crate::store::org;
use crate::store::sessions::{FailuresOf, SessionCheck};
use crate::store::users::UserRow;
use crate::store::{sessions, users};

/// Failed logins allowed per username inside the window before logins are refused.
pub const MAX_FAILURES: usize = 5;
/// Failed logins allowed per client address inside the window, whatever the usernames.
pub const MAX_FAILURES_PER_IP: usize = 30;
/// The window over which failed logins are counted.
pub const FAILURE_WINDOW_SECS: i64 = 300;
/// How long a login waits for a free password check before it is told to retry.
const CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// A session's idle expiry is pushed forward at most this often, to spare a write per request.
const TOUCH_EVERY_SECS: i64 = 60;

/// Bounds the password checks running at once. Each Argon2 check needs the memory its
/// parameters ask for (19 MiB by default) and a core for tens of milliseconds; unbounded, a flood of
/// logins takes all memory and every core. Each permit owns one working buffer, reused from
/// check to check while checks follow each other (freed and reallocated instead, the
/// allocator kept a copy per thread arena it ever ran on: hundreds of MiB after a flood);
/// the last check of a run lets them go, so an idle server does not hold them.
#[derive(Debug)]
pub struct PasswordChecks {
    permits: tokio::sync::Semaphore,
    capacity: usize,
    buffers: std::sync::Mutex<Vec<Vec<Block>>>,
    wait: std::time::Duration,
}

impl PasswordChecks {
    /// `permits` checks at once; others wait up to `wait` for a turn.
    pub fn new(permits: usize, wait: std::time::Duration) -> Self {
        PasswordChecks {
            permits: tokio::sync::Semaphore::new(permits.max(1)),
            capacity: permits.max(1),
            buffers: Default::default(),
            wait,
        }
    }

    /// Verifies `password` against `hash` when a check is free in time; else `登录繁忙`.
    pub(crate) async fn verify(&self, password: String, hash: String) -> Result<bool> {
        let Ok(Ok(permit)) = tokio::time::timeout(self.wait, self.permits.acquire()).await else {
            return Err(Error::business("登录繁忙，请稍后重试"));
        };
        let mut memory = self.lock_buffers().pop().unwrap_or_default();
        let (matches, memory) = tokio::task::spawn_blocking(move || {
            let matches = verify_in(&mut memory, password.as_bytes(), &hash);
            (matches, memory)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        self.lock_buffers().push(memory);
        drop(permit);
        if self.permits.available_permits() == self.capacity {
            // No check is running: the buffers go (dropped outside the lock).
            let idle = std::mem::take(&mut *self.lock_buffers());
            drop(idle);
            release_freed_memory();
        }
        Ok(matches)
    }

    fn lock_buffers(&self) -> std::sync::MutexGuard<'_, Vec<Vec<Block>>> {
        self.buffers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Hands freed memory back to the system now. The allocator returns it only when it is
/// next used after a delay, which an idle server never does: the 19 MiB of the last login's
/// buffer stayed in its RSS.
fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers; it only walks the allocator's own state.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Checks `password` against a PHC-format Argon2 hash, with `memory` as the working memory
/// (grown to what the hash's parameters need).
fn verify_in(memory: &mut Vec<Block>, password: &[u8], hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(version), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm.as_str()),
        parsed.version.map(Version::try_from).transpose(),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    memory.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version.unwrap_or_default(), params)
        .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..])
        .is_ok()
        // `Output` compares in constant time.
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

impl Default for PasswordChecks {
    /// One check per core.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        PasswordChecks::new(cores, CHECK_WAIT)
    }
}

/// The logged-in user behind a request.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: UserRow,
    pub access: Access,
    /// The settings version read with this caller's session, for `Crm::serving`.
    pub(crate) settings_version: Option<i64>,
}

/// A request's caller: checked against the database already, or remembered by this
/// instance from an earlier request and to be checked by the statement that reads the
/// answer (`SessionCheck`), which falls back to a full check when that fails.
pub enum Caller {
    Checked(Actor),
    Remembered { actor: Actor, check: SessionCheck },
}

impl Caller {
    pub fn actor(&self) -> &Actor {
        match self {
            Caller::Checked(actor) | Caller::Remembered { actor, .. } => actor,
        }
    }
}

/// Sessions this instance found live, by token hash: the caller and when the session was
/// last touched. Only a statement that checks the session again uses one (`Caller`).
#[derive(Debug, Default)]
pub struct RememberedSessions(std::sync::Mutex<HashMap<String, (Actor, NaiveDateTime)>>);

/// Sessions remembered at most: past this the memory starts over (bounded by the input).
const REMEMBERED_SESSIONS: usize = 10_000;

impl RememberedSessions {
    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Actor, NaiveDateTime)>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The caller of a session remembered and not due to be touched at `now`.
    fn recall(&self, hash: &str, now: NaiveDateTime) -> Option<Actor> {
        let sessions = self.sessions();
        let (actor, last_seen) = sessions.get(hash)?;
        ((now - *last_seen).num_seconds() < TOUCH_EVERY_SECS).then(|| actor.clone())
    }

    fn remember(&self, hash: &str, actor: &Actor, last_seen: NaiveDateTime) {
        let mut sessions = self.sessions();
        if sessions.len() >= REMEMBERED_SESSIONS && !sessions.contains_key(hash) {
            sessions.clear();
        }
        sessions.insert(hash.to_owned(), (actor.clone(), last_seen));
    }

    pub(crate) fn forget(&self, hash: &str) {
        self.sessions().remove(hash);
    }
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.user_id
    }

    /// The super administrator: the `admin` account, or anyone holding 超级管理员.
    pub fn is_admin(&self) -> bool {
        self.access.super_admin
    }

    /// The server itself, acting for the command line or a scheduled job: it passes every
    /// check and no user stands behind it (id 0).
    pub fn system() -> Self {
        Actor {
            user: UserRow {
                user_id: 0,
                username: "system".into(),
                password: String::new(),
                realname: "系统".into(),
                mobile: String::new(),
                email: None,
                sex: None,
                img: None,
                num: None,
                post: None,
                dept_id: None,
                dept_name: None,
                parent_id: None,
                parent_name: None,
                status: 1,
                is_admin: 1,
                create_time: NaiveDateTime::default(),
                last_login_time: None,
                last_login_ip: None,
            },
            access: Access::new(true, Vec::new()),
            settings_version: None,
        }
    }

    /// Refuses non-administrators (user management is the admin's for now).
    pub fn require_admin(&self) -> Result<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(Error::NoPermission)
        }
    }
}

/// A successful login: the token to give the client, its user, and the `auth` tree.
#[derive(Debug)]
pub struct Login {
    pub token: String,
    pub actor: Actor,
    pub auth: serde_json::Value,
}

/// Hashes a password with Argon2id (default parameters: m=19 MiB, t=2, p=1).
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| Error::Internal(e.to_string()))
}

/// How a password migrated from WukongCRM 9 is kept: `wukong9$<salt>$<Argon2id of its
/// md5 hash>`. WukongCRM stores md5(username + password + "erp" + salt), which is too fast
/// to keep as it is; wrapped in Argon2id it is as slow to attack as wkcrm's own hashes, and
/// the first login with it replaces it with a plain Argon2id hash of the password.
const LEGACY_PREFIX: &str = "wukong9$";

/// The stored form of a WukongCRM 9 password hash (`salt`, md5 `hash` as it stored them).
pub fn wrap_legacy_password(salt: &str, hash: &str) -> std::result::Result<String, String> {
    if salt.contains('$') {
        return Err("格式错误：密码盐含有“$”".into());
    }
    let inner = Argon2::default()
        .hash_password(hash.trim().to_ascii_lowercase().as_bytes())
        .map_err(|e| format!("密码无法转存：{e}"))?;
    Ok(format!("{LEGACY_PREFIX}{salt}${inner}"))
}

/// What is checked against a stored hash: the password itself, or for a migrated
/// WukongCRM 9 hash the md5 that WukongCRM computed from it, with the inner hash.
fn candidate(username: &str, password: &str, stored: String) -> (String, String, bool) {
    use md5::Digest;
    let Some((salt, inner)) = stored.strip_prefix(LEGACY_PREFIX).and_then(|r| r.split_once('$')) else {
        return (password.to_owned(), stored, false);
    };
    let md5 = md5::Md5::digest(format!("{username}{password}erp{salt}").as_bytes());
    (hex::encode(md5), inner.to_owned(), true)
}

/// Seconds until the oldest of the last `max` failures (oldest first) leaves the window,
/// when `max` or more are inside it.
fn lockout_wait(failures: &[NaiveDateTime], max: usize, now: NaiveDateTime) -> Option<i64> {
    let oldest = failures.len().checked_sub(max).map(|i| failures[i])?;
    Some(
        (oldest + Duration::seconds(FAILURE_WINDOW_SECS) - now)
            .num_seconds()
            .max(1),
    )
}

/// The longest username.
pub const MAX_USERNAME: usize = 50;

/// Longer passwords are refused before hashing (Argon2 reads all of them).
const MAX_PASSWORD_BYTES: usize = 1024;

/// A hash nobody's password matches, verified for unknown usernames so that a wrong
/// username takes as long as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0q8wQmGd8m4v4lNn0bWq3P7Hq7oE0b1yS3m0r1w7b3M";

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

impl Crm {
    fn idle(&self) -> Duration {
        Duration::from_std(self.session_idle).unwrap_or(Duration::days(7))
    }

    /// Checks a username and password and opens a session.
    pub async fn login(&self, username: &str, password: &str, ip: Option<&str>) -> Result<Login> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(Error::business("请输入用户名和密码！"));
        }
        if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD_BYTES {
            return Err(Error::business("用户名或密码错误！"));
        }
        let now = self.clock.now();
        let attempt = self.reserve_attempt(username, ip, now).await?;
        let user = users::by_username(&self.db, username).await?;
        let hash = user
            .as_ref()
            .map_or(DECOY_HASH.to_owned(), |u| u.password.clone());
        let (checked, hash, legacy) = candidate(username, password, hash);
        let matches = match self.password_checks.verify(checked, hash).await {
            Ok(matches) => matches,
            Err(busy) => {
                // Not checked, so not a failure.
                sessions::delete_failure(&self.db, attempt).await?;
                return Err(busy);
            }
        };
        let Some(user) = user.filter(|_| matches) else {
            return Err(Error::business("用户名或密码错误！"));
        };
        if user.status != 1 {
            return Err(Error::business("账户被禁用！"));
        }
        if legacy {
            let rehashed = hash_password(password.to_owned()).await?;
            users::set_password(&self.db, user.user_id, &rehashed).await?;
        }
        sessions::clear_failures(&self.db, username, now - Duration::seconds(FAILURE_WINDOW_SECS)).await?;
        users::record_login(&self.db, user.user_id, now, ip).await?;
        let user = users::by_id(&self.db, user.user_id).await?.unwrap_or(user);
        let access = self.load_access(user.user_id, user.is_admin == 1).await?;
        let auth = access.tree(&org::menus(&self.db).await?);
        // The session starts when it is handed out, after the (slow) check and the reads.
        let now = self.clock.now();
        let token = new_token();
        sessions::insert(
            &self.db,
            &token_hash(&token),
            user.user_id,
            now,
            now + self.idle(),
        )
        .await?;
        Ok(Login {
            token,
            actor: Actor {
                user,
                access,
                settings_version: None,
            },
            auth,
        })
    }

    /// Counts this attempt as a failure before its password is checked (a success clears
    /// it), unless the username or the address is already over its limit. Counting and
    /// recording are one serialised step per username and address, so however many guesses
    /// arrive at once, on however many instances, at most the allowed number are checked.
    async fn reserve_attempt(&self, username: &str, ip: Option<&str>, now: NaiveDateTime) -> Result<i64> {
        let since = now - Duration::seconds(FAILURE_WINDOW_SECS);
        let mut keys = vec![format!("login-user:{username}")];
        keys.extend(ip.map(|ip| format!("login-ip:{ip}")));
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &keys).await?;
        let failures = sessions::failures_since(&mut tx, FailuresOf::Username(username), since).await?;
        if let Some(wait) = lockout_wait(&failures, MAX_FAILURES, now) {
            return Err(Error::business(format!(
                "密码错误次数过多，请等{wait}秒后在重试！"
            )));
        }
        if let Some(ip) = ip {
            let failures = sessions::failures_since(&mut tx, FailuresOf::Address(ip), since).await?;
            if let Some(wait) = lockout_wait(&failures, MAX_FAILURES_PER_IP, now) {
                return Err(Error::business(format!("登录失败次数过多，请等{wait}秒后再试")));
            }
        }
        let id = sessions::add_failure(&mut tx, username, ip, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The user behind a token, sliding its idle expiry; `请先登录！` when it is unknown,
    /// expired, or its user is disabled.
    pub async fn authenticate(&self, token: &str) -> Result<Actor> {
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::NotLoggedIn);
        }
        self.authenticate_hash(&token_hash(token)).await
    }

    /// `authenticate` of the token whose hash is `hash`.
    pub(crate) async fn authenticate_hash(&self, hash: &str) -> Result<Actor> {
        let now = self.clock.now();
        let Some(session) = sessions::lookup(&self.db, hash, now).await? else {
            self.remembered.forget(hash);
            return Err(Error::NotLoggedIn);
        };
        let mut last_seen = session.last_seen;
        if (now - last_seen).num_seconds() >= TOUCH_EVERY_SECS {
            sessions::touch(&self.db, hash, now, now + self.idle()).await?;
            last_seen = now;
        }
        let version = session.settings_version;
        let access = self
            .stamped(version)
            .load_access(session.user.user_id, session.user.is_admin == 1)
            .await?;
        let actor = Actor {
            user: session.user,
            access,
            settings_version: Some(version),
        };
        self.remembered.remember(hash, &actor, last_seen);
        Ok(actor)
    }

    /// The caller behind a token: remembered from an earlier request when this instance
    /// saw its session live and touched it lately, else `authenticate`d. A remembered
    /// caller is for a read that checks the session itself (`Caller`).
    pub async fn recognise(&self, token: &str) -> Result<Caller> {
        let token = token.trim();
        let now = self.clock.now();
        let hash = token_hash(token);
        match self.remembered.recall(&hash, now) {
            Some(actor) => {
                let check = SessionCheck {
                    token_hash: hash,
                    user_id: actor.id(),
                    now,
                };
                Ok(Caller::Remembered { actor, check })
            }
            None => Ok(Caller::Checked(self.authenticate(token).await?)),
        }
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let hash = token_hash(token.trim());
        sessions::delete(&self.db, &hash).await?;
        self.remembered.forget(&hash);
        Ok(())
    }

    /// Removes expired sessions; run periodically by `serve`.
    pub async fn purge_sessions(&self) -> Result<u64> {
        Ok(sessions::delete_expired(&self.db, self.clock.now()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex_and_hashed() {
        let a = new_token();
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[tokio::test]
    async fn argon2id_hashes_verify() {
        let hash = hash_password("secret".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        let mut memory = Vec::new();
        assert!(verify_in(&mut memory, b"secret", &hash));
        assert!(!verify_in(&mut memory, b"wrong", &hash));
        assert!(!verify_in(&mut memory, b"x", DECOY_HASH));
        assert!(!verify_in(&mut memory, b"x", "not a hash"));
        assert_eq!(memory.len(), 19 * 1024, "one 19 MiB buffer, reused");
        // The same buffer serves the next check, whatever the previous one left in it.
        assert!(verify_in(&mut memory, b"secret", &hash));
        let checks = PasswordChecks::new(1, std::time::Duration::from_secs(5));
        assert!(checks.verify("secret".into(), hash.clone()).await.unwrap());
        assert!(!checks.verify("wrong".into(), hash).await.unwrap());
        assert!(
            checks.lock_buffers().is_empty(),
            "no check runs: no buffer is held"
        );
    }
}
