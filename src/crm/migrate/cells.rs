//! The cells of a mapped row from a source row's text columns, shared by the mappings.

use super::{Context, Mapped, Row};
use crate::store::Cell;
use crate::store::explicit_ids::Dest;

/// A mapped row, or why the source row is left out.
pub(super) type Mapping = std::result::Result<Mapped, String>;

pub(super) fn int_or(row: &Row<'_>, column: &str, default: i64) -> Cell {
    Cell::Int(row.int(column).unwrap_or(default))
}

/// A WukongCRM time (local, like everything it stores) as wkcrm's UTC; a zero date or
/// junk is no time.
pub(super) fn time(ctx: &Context<'_>, row: &Row<'_>, column: &str) -> Cell {
    row.text(column)
        .and_then(|t| ctx.crm.clock.parse_local(t))
        .map_or(Cell::Null, Cell::DateTime)
}

/// A time that must be set: the row's creation time, else now.
pub(super) fn time_or_created(ctx: &Context<'_>, row: &Row<'_>, column: &str) -> Cell {
    match time(ctx, row, column) {
        Cell::Null => match time(ctx, row, "create_time") {
            Cell::Null => Cell::DateTime(ctx.crm.clock.now()),
            created => created,
        },
        t => t,
    }
}

pub(super) fn required_text(row: &Row<'_>, column: &str, what: &str) -> Result<Cell, String> {
    match row.text(column).map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Cell::Text(t.to_owned())),
        None => Err(format!("数据不完整：{what}为空")),
    }
}

pub(super) fn mapped(row: &Row<'_>, dest: &Dest, values: Vec<(&'static str, Cell)>) -> Mapping {
    Ok(Mapped {
        id: row.id(),
        row: dest.row(values),
        extras: Vec::new(),
        content: None,
    })
}
