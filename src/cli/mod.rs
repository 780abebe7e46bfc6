//! The `wkcrm` command line.

mod demo_data;

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;
use crate::crm::Input;
use crate::crm::users::UserForm;

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
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with generated records, for trying wkcrm out and for benchmarks.
    DemoData(demo_data::DemoArgs),
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
        } => serve(&cli.db, listen, admin_password, body_limit_mb).await,
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
            let id = crm.add_user(form, admin).await?;
            println!("added user {username} with id {id}");
            Ok(())
        }
        Command::DemoData(args) => demo_data::run(&cli.db, args).await,
    }
}

async fn serve(
    db: &DbArgs,
    listen: SocketAddr,
    admin_password: Option<String>,
    body_limit_mb: usize,
) -> Result<()> {
    let crm = db.open().await?;
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
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let shutdown = crate::http::shutdown_signal()?;
    let addr = listener.local_addr()?;
    println!(
        "wkcrm is listening on http://{addr} — log in with POST http://{addr}/api/login (username, password)"
    );
    tracing::info!(%addr, database = ?crm.db.backend(), "serving");
    let app = crate::http::app(crm.clone(), body_limit_mb * 1024 * 1024);
    crate::http::serve(listener, app, shutdown).await?;
    crm.db.close().await;
    Ok(())
}
