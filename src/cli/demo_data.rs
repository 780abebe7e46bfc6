//! `wkcrm demo-data`: fills the database with generated records, with a progress bar.

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;
use crate::crm::demo::DemoPlan;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many leads to generate.
    #[arg(long, default_value_t = 1000)]
    pub leads: u64,
    /// How many customers to generate.
    #[arg(long, default_value_t = 0)]
    pub customers: u64,
    /// How many contacts, each of a generated customer.
    #[arg(long, default_value_t = 0)]
    pub contacts: u64,
    /// How many business, each of a generated customer.
    #[arg(long, default_value_t = 0)]
    pub business: u64,
    /// How many follow-ups, on generated records.
    #[arg(long, default_value_t = 0)]
    pub followups: u64,
    /// How many history entries, on generated records.
    #[arg(long, default_value_t = 0)]
    pub history: u64,
    /// How many sales users own them, over five departments (sales01… with password
    /// demo123456; the first of each department is its manager).
    #[arg(long, default_value_t = 50)]
    pub users: u64,
    /// Random seed; the same seed gives the same data.
    #[arg(long, default_value_t = 20201010)]
    pub seed: u64,
}

pub async fn run(db: &DbArgs, args: DemoArgs) -> Result<()> {
    let crm = db.open_for_bulk_load().await?;
    let plan = DemoPlan {
        users: args.users,
        leads: args.leads,
        customers: args.customers,
        contacts: args.contacts,
        business: args.business,
        followups: args.followups,
        history: args.history,
        seed: args.seed,
    };
    let bar = ProgressBar::new(plan.total());
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} records ({per_sec}, eta {eta})",
    )?);
    let started = std::time::Instant::now();
    crm.generate_demo(&plan, &|n| bar.inc(n)).await?;
    bar.finish();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "generated {} leads, {} customers, {} contacts, {} business, {} follow-ups and {} history entries for {} users in {:.1}s ({:.0} rows/s)",
        plan.leads,
        plan.customers,
        plan.contacts,
        plan.business,
        plan.followups,
        plan.history,
        plan.users,
        elapsed,
        plan.total() as f64 / elapsed.max(0.001)
    );
    Ok(())
}
