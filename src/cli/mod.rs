//! The `wkcrm` command line.

mod demo_data;
mod excel;
mod migrate;

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;
use crate::crm::users::UserForm;
use crate::crm::{Input, Parse};

#[derive(Parser, Debug)]
#[command(
    name = "wkcrm",
    version,
    about = "A CRM server speaking the 72crm / WukongCRM open API"
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    /// Log lines as text, or as one JSON object per line for log collectors.
    #[arg(long, env = "WKCRM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (migrates the database and creates `admin` on first start).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WKCRM_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Password for the `admin` created on a fresh database; generated and printed if unset.
        #[arg(long, env = "WKCRM_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
        /// Largest request body accepted, in MiB.
        #[arg(long, env = "WKCRM_BODY_LIMIT_MB", default_value_t = 50)]
        body_limit_mb: usize,
        /// Largest attachment accepted by `/api/file/upload`, in MiB (the body limit does
        /// not cut uploads short of it).
        #[arg(long, env = "WKCRM_FILE_LIMIT_MB", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=4096))]
        file_limit_mb: u64,
        /// Seconds between automatic recycling passes of the customer protection rules
        /// (one pass at a time across instances); 0 turns this instance's passes off.
        #[arg(long, env = "WKCRM_RECYCLE_INTERVAL_SECS", default_value_t = 300)]
        recycle_interval_secs: u64,
        /// A built web client (the folder with its `index.html`, e.g. the WukongCRM 9
        /// client's `dist/`) to serve at `/`, beside the API at `/api/`.
        #[arg(long, env = "WKCRM_WEB_ROOT")]
        web_root: Option<std::path::PathBuf>,
        #[command(flatten)]
        connections: ConnectionArgs,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Run one pass of the customer protection rules now (as the server does every few
    /// minutes) and print how many customers went back to the pool.
    Recycle,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with generated records, for trying wkcrm out and for benchmarks.
    DemoData(demo_data::DemoArgs),
    /// Import a spreadsheet (.xlsx, .xls, .csv) into a module, as the API's uploadExcel does.
    Import(excel::ImportArgs),
    /// Export a module's records (the list's search and the user's data scope) to a file.
    Export(excel::ExportArgs),
    /// Copy a WukongCRM 9 MySQL database into this one (ids kept; resumable; see README).
    MigrateFromWukong(migrate::MigrateArgs),
}

/// The connection limits of `serve` (docs/decisions.md, "Transport limits").
#[derive(clap::Args, Debug)]
pub struct ConnectionArgs {
    /// Seconds a client may take to send a request head, from connecting (or from the first
    /// byte of a later request on a kept-alive connection); then the connection is closed.
    #[arg(long, env = "WKCRM_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout_secs: u64,
    /// Seconds a kept-alive connection may wait for its next request.
    #[arg(long, env = "WKCRM_IDLE_TIMEOUT_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_secs: u64,
    /// Connections open at once; more are closed as soon as they are accepted. The default
    /// is 1000, less if the file limit leaves no room for them.
    #[arg(long, env = "WKCRM_MAX_CONNECTIONS", default_value_t = default_max_connections(),
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Seconds shutdown waits for requests in flight before closing them.
    #[arg(long, env = "WKCRM_SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
}

impl ConnectionArgs {
    fn limits(&self) -> crate::http::Limits {
        crate::http::Limits {
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
            max_connections: self.max_connections,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
        }
    }
}

/// 1000 connections, or fewer when the soft file limit is lower: each connection holds a
/// descriptor, and the database pool, SQLite's WAL files, imports and the runtime need
/// some of their own, so that `/api/health` still answers at the cap.
fn default_max_connections() -> usize {
    const MOST: usize = 1000;
    const RESERVED: u64 = 128;
    #[cfg(unix)]
    if let Some(files) = rustix::process::getrlimit(rustix::process::Resource::Nofile).current {
        return usize::try_from(files.saturating_sub(RESERVED)).map_or(MOST, |n| n.clamp(1, MOST));
    }
    MOST
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, env = "WKCRM_NEW_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        realname: String,
        #[arg(long, default_value = "")]
        mobile: String,
        /// Make the user an administrator.
        #[arg(long)]
        admin: bool,
    },
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("WKCRM_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(execute(cli))
}

async fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            listen,
            admin_password,
            body_limit_mb,
            file_limit_mb,
            recycle_interval_secs,
            web_root,
            connections,
        } => {
            let limits = BodyLimits {
                body_mb: body_limit_mb,
                file_mb: file_limit_mb,
                web_root: web_root.map(crate::http::WebRoot::new).transpose()?,
            };
            let recycling = recycle_interval_secs;
            serve(
                &cli.db,
                listen,
                admin_password,
                limits,
                recycling,
                connections.limits(),
            )
            .await
        }
        Command::Recycle => {
            let crm = cli.db.open().await?;
            let started = std::time::Instant::now();
            let done = crm.recycle(crm.clock.now()).await?;
            println!(
                "{} customers returned to the pools ({} without follow-up, {} without new business, {} not dealt) in {:.1}s",
                done.total(),
                done.no_followup,
                done.no_business,
                done.not_dealt,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Migrate => {
            let crm = cli.db.open().await?;
            tracing::info!(database = ?crm.db.backend(), "migrations applied");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    password,
                    realname,
                    mobile,
                    admin,
                },
        } => {
            let crm = cli.db.open().await?;
            let params = serde_json::json!({"username": username, "password": password, "realname": realname, "mobile": mobile});
            let form = UserForm::parse(Input(params.as_object().unwrap_or(&serde_json::Map::new())))?;
            let id = crm.add_user(&crate::crm::Actor::system(), form, admin).await?;
            println!("added user {username} with id {id}");
            Ok(())
        }
        Command::DemoData(args) => demo_data::run(&cli.db, args).await,
        Command::Import(args) => excel::import(&cli.db, args).await,
        Command::Export(args) => excel::export(&cli.db, args).await,
        Command::MigrateFromWukong(args) => migrate::run(&cli.db, args).await,
    }
}

/// The largest request body and the largest attachment, in MiB.
struct BodyLimits {
    body_mb: usize,
    file_mb: u64,
    /// The web client served beside the API, if any.
    web_root: Option<crate::http::WebRoot>,
}

async fn serve(
    db: &DbArgs,
    listen: SocketAddr,
    admin_password: Option<String>,
    body_limits: BodyLimits,
    recycle_interval_secs: u64,
    limits: crate::http::Limits,
) -> Result<()> {
    let mut crm = db.open().await?;
    crm.file_limit = body_limits.file_mb * 1024 * 1024;
    if let Some(generated) = crm.ensure_admin(admin_password).await? {
        println!("Created the administrator: username admin, password {generated} (shown only this once)");
    }
    let purger = crm.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = purger.purge_sessions().await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
        }
    });
    // Import jobs left by a stopped instance (this one before a restart, or another) go on.
    let importer = crm.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(e) = importer.resume_imports().await {
                tracing::warn!(error = %e, "could not resume import jobs");
            }
        }
    });
    if recycle_interval_secs > 0 {
        let recycler = crm.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(recycle_interval_secs));
            loop {
                every.tick().await;
                match recycler.recycle(recycler.clock.now()).await {
                    Ok(done) if done != Default::default() => {
                        tracing::info!(
                            no_followup = done.no_followup,
                            no_business = done.no_business,
                            not_dealt = done.not_dealt,
                            "customers returned to the pool"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "recycling pass failed; the next one resumes it"),
                }
            }
        });
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let shutdown = crate::http::shutdown_signal()?;
    let addr = listener.local_addr()?;
    println!(
        "wkcrm is listening on http://{addr} — log in with POST http://{addr}/api/login (username, password)"
    );
    tracing::info!(%addr, database = ?crm.db.backend(), "serving");
    let app = crate::http::app_with_web(
        crm.clone(),
        body_limits.body_mb * 1024 * 1024,
        body_limits.web_root,
    );
    crate::http::serve(listener, app, limits, shutdown).await?;
    crm.db.close().await;
    Ok(())
}
