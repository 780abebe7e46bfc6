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
    /// How many sales users own them (created as sales01… with password demo123456).
    #[arg(long, default_value_t = 10)]
    pub users: u64,
    /// Random seed; the same seed gives the same data.
    #[arg(long, default_value_t = 20201010)]
    pub seed: u64,
}

pub async fn run(db: &DbArgs, args: DemoArgs) -> Result<()> {
    let crm = db.open().await?;
    let plan = DemoPlan {
        users: args.users,
        leads: args.leads,
        customers: args.customers,
        seed: args.seed,
    };
    let bar = ProgressBar::new(plan.leads + plan.customers);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} records ({per_sec}, eta {eta})",
    )?);
    let started = std::time::Instant::now();
    crm.generate_demo(&plan, &|n| bar.inc(n)).await?;
    bar.finish();
    println!(
        "generated {} leads and {} customers for {} users in {:.1}s",
        plan.leads,
        plan.customers,
        plan.users,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
