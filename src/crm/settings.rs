//! System settings kept as named values in one table (`admin_config`), as J9 keeps them:
//! the system's name and logo, follow-up types. Every instance reads them from the
//! database.

use std::collections::HashMap;

use super::Crm;
use super::error::Result;
use super::rows::rows;
use crate::store::records;
use crate::store::tables::CONFIG;
use crate::store::{Cell, Exec, Filter, Kind, Target, Tx};

fn named(names: &[&str]) -> Filter {
    Filter::In {
        target: Target::Column("name".into()),
        kind: Kind::Text,
        values: names.iter().map(|n| Cell::Text((*n).to_owned())).collect(),
    }
}

impl Crm {
    /// The values of the named settings that are set.
    pub(crate) async fn settings<'a>(
        &self,
        exec: impl Into<Exec<'a>>,
        names: &[&str],
    ) -> Result<HashMap<String, String>> {
        Ok(rows(
            exec,
            CONFIG,
            &[("name", Kind::Text), ("value", Kind::Text)],
            &named(names),
        )
        .await?
        .into_iter()
        .filter_map(|r| Some((r[0].as_str()?.to_owned(), r[1].as_str()?.to_owned())))
        .collect())
    }

    /// Replaces the named settings' values inside `tx`.
    pub(crate) async fn set_settings(&self, tx: &mut Tx, values: &[(&str, String)]) -> Result<()> {
        let names: Vec<&str> = values.iter().map(|(n, _)| *n).collect();
        crate::store::serialize_on(
            tx,
            &names.iter().map(|n| format!("setting:{n}")).collect::<Vec<_>>(),
        )
        .await?;
        records::delete_where(&mut *tx, CONFIG, &named(&names)).await?;
        let rows: Vec<Vec<Cell>> = values
            .iter()
            .map(|(n, v)| vec![Cell::Text((*n).to_owned()), Cell::Text(v.clone()), Cell::Int(0)])
            .collect();
        let columns = [("name", Kind::Text), ("value", Kind::Text), ("sort", Kind::Int)];
        records::insert_many(&mut *tx, CONFIG, &columns, &rows).await?;
        Ok(())
    }
}
