//! Settings shared by the commands, from flags or `WKCRM_*` environment variables.

use std::path::Path;
use std::time::Duration;

use clap::Args;

use crate::crm::{Clock, Crm};
use crate::store::{Backend, Db};

/// The default database: an SQLite file under `./data/`.
pub const DEFAULT_DATABASE: &str = "sqlite:data/wkcrm.db";

#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// Database URL: `sqlite:PATH` or `postgres://user:pass@host/db`.
    #[arg(long = "database", env = "WKCRM_DATABASE_URL", default_value = DEFAULT_DATABASE, global = true)]
    pub database_url: String,

    /// Time zone in which datetimes are shown and entered.
    #[arg(long, env = "WKCRM_TIME_ZONE", default_value = "Asia/Shanghai", global = true)]
    pub time_zone: chrono_tz::Tz,

    /// Hours an unused login token stays valid (each use slides it forward).
    #[arg(long, env = "WKCRM_SESSION_IDLE_HOURS", default_value_t = 168, global = true)]
    pub session_idle_hours: u64,
}

impl DbArgs {
    /// Connects to serve requests (creating the SQLite file's folder if needed) and runs
    /// the migrations.
    pub async fn open(&self) -> anyhow_like::Result<Crm> {
        self.open_with(Db::connect(&self.database_url)).await
    }

    /// `open` for a command writing rows by the million (see `Db::connect_for_bulk_load`).
    pub async fn open_for_bulk_load(&self) -> anyhow_like::Result<Crm> {
        self.open_with(Db::connect_for_bulk_load(&self.database_url))
            .await
    }

    async fn open_with(
        &self,
        connect: impl std::future::Future<Output = crate::store::StoreResult<Db>>,
    ) -> anyhow_like::Result<Crm> {
        if Backend::of_url(&self.database_url) == Some(Backend::Sqlite) {
            let path = self
                .database_url
                .trim_start_matches("sqlite:")
                .trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
        }
        let db = connect.await?;
        db.migrate().await?;
        let crm = Crm::new(
            db,
            Clock::new(self.time_zone),
            Duration::from_secs(self.session_idle_hours.max(1) * 3600),
        );
        crm.ensure_custom_indexes().await?;
        Ok(crm)
    }
}

/// A boxed error for the command line, where any failure ends the command.
pub mod anyhow_like {
    pub type Error = Box<dyn std::error::Error + Send + Sync>;
    pub type Result<T> = std::result::Result<T, Error>;
}
