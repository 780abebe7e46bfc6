//! Stars (关注): the records a user follows. A second `star` call removes the star; every
//! list row and detail says `star` 1 or 0 for the caller (a column of the record's own
//! select, see `records::Shape`), and 我关注的 scenes list them.

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::module::Module;
use super::rows::{column_in, require_existing};
use super::{Actor, Crm};
use crate::store::records;
use crate::store::tables::STAR;
use crate::store::{Cell, Filter, Kind};

fn stars_of(actor: &Actor, module: &Module, ids: &[i64]) -> Filter {
    column_in("user_id", &[actor.id()])
        .and(column_in("label", &[module.label]))
        .and(column_in("record_id", ids))
}

impl Crm {
    /// `star`: follows a record the caller can read, or stops following it.
    pub async fn toggle_star(&self, module: &Module, actor: &Actor, id: i64) -> Result<()> {
        if !module.stars {
            return Err(Error::bad(format!("{}不能关注", module.title)));
        }
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &[id]).await?;
        self.require_record(&mut tx, actor, module, &[id], Right::Read, Reach::Read)
            .await?;
        // Two quick clicks toggle twice, never insert twice.
        let key = format!("star:{}:{}:{id}", actor.id(), module.label);
        crate::store::serialize_on(&mut tx, &[key]).await?;
        let mine = stars_of(actor, module, &[id]);
        if records::delete_where(&mut tx, STAR, &mine).await? == 0 {
            let row = vec![Cell::Int(actor.id()), Cell::Int(module.label), Cell::Int(id)];
            let columns = [
                ("user_id", Kind::Int),
                ("label", Kind::Int),
                ("record_id", Kind::Int),
            ];
            records::insert_many(&mut tx, STAR, &columns, &[row]).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The records of `module` that `user` follows.
pub(crate) fn starred_by(user: i64, module: &Module) -> Filter {
    Filter::StarredBy {
        label: module.label,
        user,
    }
}
