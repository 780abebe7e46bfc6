//! The keys a rendered record carries beyond its columns, as the document's examples show
//! them: the J9 team strings `roUserId`/`rwUserId` (`,1,2,`), the single company's
//! `companyId`, J11's migration key `old<Module>Id` (always null here), and what a module
//! adds itself (`Module::enrich`). One query per kind per page, never one per row.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::Crm;
use super::error::Result;
use super::module::Module;
use crate::store::team;

/// wkcrm serves one company; the id the document's examples carry is always this one.
pub const COMPANY_ID: &str = "1";
/// …and its name in the login answer.
pub const COMPANY_NAME: &str = "wkcrm";

impl Crm {
    /// Adds every extra key to a page (or a detail) of rendered records.
    pub(crate) async fn add_extras(&self, module: &Module, rows: &mut [Map<String, Value>]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if module.has_team {
            self.team_strings(module, rows).await?;
        }
        let old_key = format!("old{}{}", module.id_key[..1].to_uppercase(), &module.id_key[1..]);
        for row in rows.iter_mut() {
            row.insert("companyId".into(), COMPANY_ID.into());
            row.insert(old_key.clone(), Value::Null);
        }
        if let Some(enrich) = module.enrich {
            enrich(self, rows).await?;
        }
        Ok(())
    }

    /// `roUserId` / `rwUserId`: the read-only and read-write members, J9's `,id,id,` form
    /// (`,` when there are none).
    async fn team_strings(&self, module: &Module, rows: &mut [Map<String, Value>]) -> Result<()> {
        let ids = record_ids(module, rows);
        let members = team::members_of_records(&self.db, module.label, &ids, self.clock.now()).await?;
        let mut by_record: HashMap<(i64, bool), String> = HashMap::new();
        for (record, user, power) in members {
            by_record
                .entry((record, power == 2))
                .or_insert_with(|| ",".to_owned())
                .push_str(&format!("{user},"));
        }
        for row in rows.iter_mut() {
            let id = row.get(module.id_key).and_then(Value::as_i64).unwrap_or_default();
            for (key, write) in [("roUserId", false), ("rwUserId", true)] {
                let text = by_record
                    .get(&(id, write))
                    .cloned()
                    .unwrap_or_else(|| ",".to_owned());
                row.insert(key.into(), Value::String(text));
            }
        }
        Ok(())
    }
}

/// The ids of rendered records of `module`.
pub(crate) fn record_ids(module: &Module, rows: &[Map<String, Value>]) -> Vec<i64> {
    rows.iter()
        .filter_map(|r| r.get(module.id_key).and_then(Value::as_i64))
        .collect()
}
