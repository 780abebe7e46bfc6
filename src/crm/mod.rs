//! The service layer: rules and transactions, independent of HTTP.

pub mod access;
pub mod auth;
pub mod backlog;
pub mod columns;
pub mod dashboard;
pub mod demo;
pub mod duplicates;
pub mod error;
pub mod excel;
pub mod extras;
pub mod field_admin;
pub mod fields;
pub mod files;
pub mod filter;
pub mod followups;
pub mod history;
pub mod input;
pub mod migrate;
pub mod module;
pub mod modules;
pub mod money;
pub mod org;
pub mod products;
pub mod records;
pub mod relations;
pub mod rows;
pub mod scenes;
pub mod session;
pub mod settings;
pub mod stages;
pub mod stars;
pub mod team;
pub mod time;
pub mod transfer;
pub mod users;

use std::time::Duration;

use crate::store::Db;

pub use auth::Actor;
pub use error::{Error, Result};
pub use input::{Input, Parse, Unparsed};
pub use time::Clock;

/// The services of one wkcrm instance. Cheap to clone; all shared state is in the database.
#[derive(Clone, Debug)]
pub struct Crm {
    pub db: Db,
    pub clock: Clock,
    /// How long an unused login token stays valid; every use slides it forward.
    pub session_idle: Duration,
    /// This instance's bound on concurrent password checks.
    pub password_checks: std::sync::Arc<auth::PasswordChecks>,
    /// The largest attachment accepted, in bytes (`--file-limit-mb`).
    pub file_limit: u64,
    /// Sessions this instance found live, for reads that check them themselves.
    pub remembered: std::sync::Arc<auth::RememberedSessions>,
}

impl Crm {
    /// This service for one request of `actor`: settings it reads come from this
    /// instance's cache while they are as the caller's session found them.
    pub fn serving(&self, actor: &Actor) -> Crm {
        match actor.settings_version {
            Some(version) => self.stamped(version),
            None => self.clone(),
        }
    }

    fn stamped(&self, version: i64) -> Crm {
        Crm {
            db: self.db.stamped(version),
            ..self.clone()
        }
    }

    pub fn new(db: Db, clock: Clock, session_idle: Duration) -> Self {
        Crm {
            db,
            clock,
            session_idle,
            password_checks: Default::default(),
            file_limit: files::DEFAULT_LIMIT,
            remembered: Default::default(),
        }
    }
}
