//! `wkcrm import` and `wkcrm export`: the API's import job and export, run in this
//! process as a named user, with a progress bar.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;
use crate::crm::Crm;
use crate::crm::excel::{self, ExportRequest, ExportTarget, Format, ImportRequest, JobRef, Repeat};
use crate::crm::files::Incoming;
use crate::crm::module::Module;
use crate::crm::records::{ListQuery, Paging, SceneChoice};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// leads, customer, contacts, business or product.
    module: String,
    /// An .xlsx, .xls or .csv file.
    file: PathBuf,
    /// The owner of the new records (a username); customers without one go to the pool.
    #[arg(long)]
    owner: Option<String>,
    /// What to do with a row matching an existing record by its unique fields.
    #[arg(long, value_enum, default_value_t = RepeatArg::Overwrite)]
    repeat: RepeatArg,
    /// The pool customers without an owner go into (the default pool when absent).
    #[arg(long)]
    pool: Option<i64>,
    /// The user the import runs as.
    #[arg(long = "as", default_value = "admin")]
    user: String,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum RepeatArg {
    Overwrite,
    Skip,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// leads, customer, contacts, business or product.
    module: String,
    /// The list's keyword search.
    #[arg(long, default_value = "")]
    search: String,
    #[arg(long, value_enum, default_value_t = FormatArg::Xlsx)]
    format: FormatArg,
    /// The public pool's customers instead of the customer list.
    #[arg(long)]
    pool: bool,
    /// Where to write the file.
    #[arg(short = 'o', long)]
    output: PathBuf,
    /// The user the export runs as (its data scope applies).
    #[arg(long = "as", default_value = "admin")]
    user: String,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FormatArg {
    Xlsx,
    Csv,
}

fn module(name: &str) -> Result<&'static Module> {
    crate::crm::modules::ALL
        .iter()
        .copied()
        .find(|m| m.realm == name || m.route.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            format!("unknown module {name:?}: leads, customer, contacts, business or product").into()
        })
}

fn bar(len: Option<u64>) -> ProgressBar {
    let bar = len.map_or_else(ProgressBar::no_length, ProgressBar::new);
    let template = if len.is_some() {
        "{bar:40} {human_pos}/{human_len} rows  {per_sec}  ETA {eta}"
    } else {
        "{spinner} {human_pos} rows  {per_sec}  {elapsed}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

pub async fn import(db: &DbArgs, args: ImportArgs) -> Result<()> {
    let crm = db.open().await?;
    let module = module(&args.module)?;
    let actor = crm.actor_named(&args.user).await?;
    let owner = match &args.owner {
        Some(name) => Some(crm.actor_named(name).await?.id()),
        None => None,
    };
    let bytes = std::fs::read(&args.file)?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rows = excel::estimate_rows(&name, &bytes)?;
    let started = Instant::now();
    let request = ImportRequest {
        file: Incoming { name, bytes },
        repeat: match args.repeat {
            RepeatArg::Overwrite => Repeat::Overwrite,
            RepeatArg::Skip => Repeat::Skip,
        },
        owner,
        pool: args.pool,
    };
    let id = crm.start_import(module, &actor, request).await?;
    let progress = bar(Some(rows));
    let job = JobRef(id);
    while let Some(done) = crm.import_progress(&actor, job).await? {
        progress.set_position(done as u64);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    progress.finish_and_clear();
    let report = crm.import_report(&actor, job).await?.data;
    println!(
        "import {id} {}: {} rows, {} imported, {} updated, {} skipped, {} refused in {:.1}s{}",
        report.status,
        report.total.unwrap_or(report.done),
        report.imported,
        report.updated,
        report.skipped,
        report.errors,
        started.elapsed().as_secs_f64(),
        if report.message.is_empty() {
            String::new()
        } else {
            format!(" ({})", report.message)
        }
    );
    if report.errors > 0 {
        let path = args.file.with_extension("errors.xlsx");
        write_file(crm.import_errors(&actor, job).await?, &path)?;
        println!("refused rows with their reasons: {}", path.display());
    }
    Ok(())
}

pub async fn export(db: &DbArgs, args: ExportArgs) -> Result<()> {
    let crm: Crm = db.open().await?;
    let module = module(&args.module)?;
    let actor = crm.actor_named(&args.user).await?;
    let started = Instant::now();
    let request = ExportRequest {
        target: ExportTarget::All(ListQuery {
            paging: Paging { page: 1, limit: 1 },
            scene: SceneChoice::NoScene,
            conditions: Default::default(),
            search: args.search.clone(),
            sort_field: None,
            ascending: false,
        }),
        format: match args.format {
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Csv => Format::Csv,
        },
        pool: args.pool,
        pool_id: None,
    };
    let progress = bar(None);
    let shown = progress.clone();
    let file = crm
        .export_with(module, &actor, request, &mut move |n| shown.set_position(n))
        .await?;
    let rows = progress.position();
    progress.finish_and_clear();
    let bytes = file.len;
    write_file(file, &args.output)?;
    println!(
        "exported {rows} rows to {} ({bytes} bytes) in {:.1}s",
        args.output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn write_file(mut file: excel::FileOut, path: &PathBuf) -> Result<()> {
    let mut out = std::fs::File::create(path)?;
    std::io::copy(&mut file.file, &mut out)?;
    Ok(())
}
