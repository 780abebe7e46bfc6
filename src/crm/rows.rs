//! The rows a service acts on: id lists from requests, records that must exist (locked for
//! the transaction), their owners, enabled users. Shared by the record engine, transfers,
//! teams and products.

use super::error::{Error, Result};
use super::input::Input;
use super::module::Module;
use std::collections::HashMap;

use crate::store::records::{self, Join, ListSpec, OWNER_COLUMN, Select, Source, Table};
use crate::store::{Cell, Exec, Filter, Kind, Target, Tx, users};

/// Rows whose integer `column` is `value`.
pub(crate) fn int_is(column: &str, value: i64) -> Filter {
    Filter::Compare {
        target: Target::Column(column.to_owned()),
        op: crate::store::Op::Eq,
        kind: Kind::Int,
        value: Cell::Int(value),
    }
}

/// `column = value` on one text column.
pub(crate) fn text_is(column: &str, value: &str) -> Filter {
    Filter::Compare {
        target: Target::Column(column.into()),
        op: crate::store::Op::Eq,
        kind: Kind::Text,
        value: Cell::Text(value.into()),
    }
}

/// Rows whose integer `column` is one of `ids`.
pub fn column_in(column: &str, ids: &[i64]) -> Filter {
    Filter::In {
        target: Target::Column(column.to_owned()),
        kind: Kind::Int,
        values: ids.iter().map(|i| Cell::Int(*i)).collect(),
    }
}

pub(crate) fn id_filter(module: &Module, ids: &[i64]) -> Filter {
    column_in(module.id_column(), ids)
}

/// The id list of a delete or transfer: the module's own key (`leadsIds`) or `ids`.
pub fn record_ids(module: &Module, input: Input<'_>) -> Result<Vec<i64>> {
    let key = if input.raw(module.ids_key).is_some() {
        module.ids_key
    } else {
        "ids"
    };
    input.ids(key, &format!("{}id不能为空", module.title))
}

/// Fails, naming the missing ids, unless every id is a record of the module.
/// The rows stay locked for the rest of the transaction (see `records::lock_existing`).
pub async fn require_existing(tx: &mut Tx, module: &Module, ids: &[i64]) -> Result<()> {
    let found = records::lock_existing(tx, module.table, ids).await?;
    all_found(module, ids, &found)
}

/// The same check for a read: nothing is locked.
pub async fn require_present<'a>(exec: impl Into<Exec<'a>>, module: &Module, ids: &[i64]) -> Result<()> {
    let found = records::matching_ids(exec, module.table, ids, &Filter::True).await?;
    all_found(module, ids, &found)
}

fn all_found(module: &Module, ids: &[i64], found: &[i64]) -> Result<()> {
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(i64::to_string)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::business(format!(
            "{}不存在或已删除：{}",
            module.title,
            missing.join(",")
        )))
    }
}

/// Fails unless `user_id` is an enabled user; `what` names the role (`负责人`).
pub async fn require_active_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64, what: &str) -> Result<()> {
    match users::by_id(exec, user_id).await? {
        Some(u) if u.status == 1 => Ok(()),
        Some(_) => Err(Error::business(format!("{what}已被禁用：{user_id}"))),
        None => Err(Error::business(format!("{what}不存在：{user_id}"))),
    }
}

/// `(id, owner)` of the module's records matching `filter`.
pub(crate) async fn owners<'a>(
    exec: impl Into<Exec<'a>>,
    module: &Module,
    filter: &Filter,
) -> Result<Vec<(i64, Option<i64>)>> {
    let columns = [(module.id_column(), Kind::Int), (OWNER_COLUMN, Kind::Int)];
    let found = rows(exec, module.table, &columns, filter).await?;
    Ok(found
        .into_iter()
        .map(|r| (r[0].as_i64().unwrap_or_default(), r[1].as_i64()))
        .collect())
}

/// Named columns of one record (`None` for each when it does not exist).
pub(crate) async fn read_columns<const N: usize>(
    tx: &mut Tx,
    module: &Module,
    id: i64,
    columns: [&'static str; N],
) -> Result<[Option<Cell>; N]> {
    let kinds: Vec<(&'static str, Kind)> = columns
        .iter()
        .map(|c| (*c, module.field(c).map_or(Kind::Json, |f| f.kind.store_kind())))
        .collect();
    let found = rows(tx, module.table, &kinds, &id_filter(module, &[id])).await?;
    let mut row = found.into_iter().next().map(|cells| cells.into_iter().map(Some));
    Ok(std::array::from_fn(|_| {
        row.as_mut().and_then(Iterator::next).flatten()
    }))
}

/// Every row of `table` matching `filter`, own columns only.
pub(crate) async fn rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    columns: &[(&'static str, Kind)],
    filter: &Filter,
) -> Result<Vec<Vec<Cell>>> {
    let selects: Vec<Select> = columns
        .iter()
        .map(|(c, k)| Select {
            source: Source::Own(c),
            kind: *k,
        })
        .collect();
    joined_rows(exec, table, &[], &selects, filter).await
}

/// Every row of `table` matching `filter`, unpaged.
pub(crate) async fn joined_rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    joins: &[Join],
    columns: &[Select],
    filter: &Filter,
) -> Result<Vec<Vec<Cell>>> {
    let spec = ListSpec {
        table,
        joins,
        columns,
        filter,
        order: &[],
        limit: u64::MAX >> 1,
        offset: 0,
    };
    Ok(records::list(exec, &spec).await?)
}

/// Rows keyed by their first cell, the id.
pub(crate) fn by_id(rows: Vec<Vec<Cell>>) -> HashMap<i64, Vec<Cell>> {
    rows.into_iter()
        .filter_map(|row| Some((row.first()?.as_i64()?, row)))
        .collect()
}
