//! `wkcrm migrate-from-wukong`: a WukongCRM 9 MySQL database into this one, with a
//! progress bar per table, a report table at the end and the skipped rows in a file.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;
use crate::crm::migrate::{Observer, Options, Skip, TableReport};
use crate::store::wukong::Source;

#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// The WukongCRM 9 database: `mysql://user:pass@host:port/db`.
    #[arg(long, env = "WKCRM_WUKONG_SOURCE", hide_env_values = true)]
    pub source: String,
    /// Read, map and check everything, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The prefix of the WukongCRM table names.
    #[arg(long, default_value = "72crm_")]
    pub table_prefix: String,
    /// Source rows per batch; each batch is one transaction.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(i64).range(1..=50_000))]
    pub batch: i64,
    /// Where the skipped rows go, one JSON object per line.
    #[arg(long, default_value = "wukong-skipped.jsonl")]
    pub skipped_file: PathBuf,
    /// A copy of WukongCRM's upload directory (`/usr/local/upload/` on its server):
    /// attachments are migrated with their files only when it is given.
    #[arg(long, value_name = "DIR")]
    pub files: Option<PathBuf>,
    /// The largest attachment copied, in MiB; larger ones are reported and left out.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub file_limit_mb: u64,
}

/// The bars, and the file of skipped rows.
struct Terminal {
    bars: MultiProgress,
    current: Mutex<Option<ProgressBar>>,
    skipped: Mutex<std::io::BufWriter<std::fs::File>>,
}

impl Observer for Terminal {
    fn start(&self, table: &'static str, remaining: u64) {
        let bar = self.bars.add(ProgressBar::new(remaining));
        bar.set_style(
            ProgressStyle::with_template("{prefix:>22} {bar:30} {pos}/{len} ({per_sec}, eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(table);
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }

    fn advance(&self, _table: &'static str, rows: u64) {
        if let Some(bar) = &*self.current.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.inc(rows);
        }
    }

    fn finish(&self, _report: &TableReport) {
        if let Some(bar) = self.current.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish();
        }
    }

    fn skipped(&self, skip: &Skip) {
        let line =
            serde_json::json!({"table": skip.source, "id": skip.id, "reason": skip.reason, "row": skip.row});
        let mut file = self.skipped.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = writeln!(file, "{line}") {
            tracing::warn!(error = %e, "could not write a skipped row");
        }
    }
}

pub async fn run(db: &DbArgs, args: MigrateArgs) -> Result<()> {
    if let Some(dir) = args.files.as_ref().filter(|d| !d.is_dir()) {
        return Err(format!("--files {}: not a directory", dir.display()).into());
    }
    let crm = db.open_for_bulk_load().await?;
    let source = Source::connect(&args.source, &args.table_prefix).await?;
    let terminal = Terminal {
        bars: MultiProgress::new(),
        current: Mutex::new(None),
        skipped: Mutex::new(std::io::BufWriter::new(std::fs::File::create(
            &args.skipped_file,
        )?)),
    };
    let options = Options {
        dry_run: args.dry_run,
        batch: args.batch,
        files: args.files.clone(),
        file_limit: args.file_limit_mb * 1024 * 1024,
    };
    let started = std::time::Instant::now();
    let reports = crm.migrate_from_wukong(&source, &options, &terminal).await?;
    terminal
        .skipped
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .flush()?;
    source.close().await;
    print_report(&reports);
    if args.files.is_none() {
        println!(
            "attachments (admin_file) not migrated: no --files DIR given; a later run with it adds them"
        );
    }
    let skipped: i64 = reports.iter().map(|r| r.skipped).sum();
    let mode = if args.dry_run {
        "dry run, nothing written"
    } else {
        "done"
    };
    println!(
        "{mode} in {:.1}s; {skipped} skipped rows listed in {}",
        started.elapsed().as_secs_f64(),
        args.skipped_file.display()
    );
    Ok(())
}

fn print_report(reports: &[TableReport]) {
    println!(
        "{:<24} {:>10} {:>10} {:>10}  reasons",
        "table", "read", "written", "skipped"
    );
    for r in reports {
        let reasons: Vec<String> = r.reasons.iter().map(|(why, n)| format!("{n}× {why}")).collect();
        println!(
            "{:<24} {:>10} {:>10} {:>10}  {}",
            r.source,
            r.read,
            r.written,
            r.skipped,
            reasons.join("; ")
        );
    }
}
