//! Backend-neutral values and the filter tree that the store compiles to SQL.

use chrono::NaiveDateTime;
use sea_query::Value;
use serde_json::Value as Json;

/// How a column is stored, and so how it is bound and decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// A decimal number (custom `floatnumber` values); never a stored column.
    Float,
    Text,
    DateTime,
    Json,
}

/// One value read from or written to a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    DateTime(NaiveDateTime),
    Json(Json),
}

impl Cell {
    /// The sea-query value for this cell; NULL is typed by `kind` because PostgreSQL
    /// rejects a text-typed NULL bound to a bigint column.
    pub(crate) fn to_value(&self, kind: Kind) -> Value {
        match (self, kind) {
            (Cell::Int(i), _) => Value::BigInt(Some(*i)),
            (Cell::Float(f), _) => Value::Double(Some(*f)),
            (Cell::Text(s), _) => Value::String(Some(s.clone())),
            (Cell::DateTime(d), _) => Value::ChronoDateTime(Some(*d)),
            (Cell::Json(j), _) => Value::Json(Some(Box::new(j.clone()))),
            (Cell::Null, Kind::Int) => Value::BigInt(None),
            (Cell::Null, Kind::Float) => Value::Double(None),
            (Cell::Null, Kind::Text) => Value::String(None),
            (Cell::Null, Kind::DateTime) => Value::ChronoDateTime(None),
            (Cell::Null, Kind::Json) => Value::Json(None),
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_datetime(&self) -> Option<NaiveDateTime> {
        match self {
            Cell::DateTime(t) => Some(*t),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Decodes one row by the expected kind of each column.
pub(super) fn decode_row<R>(row: &R, kinds: &[Kind]) -> Result<Vec<Cell>, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> f64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> NaiveDateTime: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> sqlx::types::Json<Json>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            Ok(match kind {
                Kind::Int => row.try_get::<Option<i64>, _>(i)?.map_or(Cell::Null, Cell::Int),
                Kind::Float => row.try_get::<Option<f64>, _>(i)?.map_or(Cell::Null, Cell::Float),
                Kind::Text => row
                    .try_get::<Option<String>, _>(i)?
                    .map_or(Cell::Null, Cell::Text),
                Kind::DateTime => row
                    .try_get::<Option<NaiveDateTime>, _>(i)?
                    .map_or(Cell::Null, Cell::DateTime),
                Kind::Json => row
                    .try_get::<Option<sqlx::types::Json<Json>>, _>(i)?
                    .map_or(Cell::Null, |j| Cell::Json(j.0)),
            })
        })
        .collect()
}

/// A comparison operator of the filter language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// What a condition reads: a column of the record's table, or a key of its JSON column of
/// custom-field values.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Column(String),
    Custom(String),
}

/// A condition tree over one record table; compiled to sea-query by `records`.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    True,
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Compare {
        target: Target,
        op: Op,
        kind: Kind,
        value: Cell,
    },
    In {
        target: Target,
        kind: Kind,
        values: Vec<Cell>,
    },
    IsNull(Target),
    /// Two columns of the record compared (`last_time < next_time`).
    ColumnsCompare {
        left: String,
        op: Op,
        right: String,
    },
    /// `LIKE` with `%`/`_` in `needle` taken literally; `prefix`/`suffix` say whether the
    /// needle may have text before / after it.
    Like {
        target: Target,
        needle: String,
        before: bool,
        after: bool,
    },
    /// A keyword in any of `columns` (the module's search index on SQLite, see migration
    /// 0006; `LIKE` otherwise).
    Search {
        columns: Vec<String>,
        term: String,
    },
    /// A comma-joined list (checkbox options, user ids) that holds `item`.
    ListHas {
        target: Target,
        item: String,
    },
    /// Records owned by one of these users.
    OwnedBy(Vec<i64>),
    /// Records without an owner (customers in the public pool).
    Unowned,
    /// Records whose team (module label `label`) holds `user`: with `write` as a read-write
    /// member, with `at` only while the membership has not expired by then.
    TeamMember {
        label: i64,
        user: i64,
        write: bool,
        at: Option<NaiveDateTime>,
    },
    /// Records (module label `label`) that `user` follows (关注).
    StarredBy {
        label: i64,
        user: i64,
    },
    /// Records named by `column` in the rows of `table` that match `filter` (the business
    /// linked to one contact; customers with business since a date).
    Referenced {
        table: super::tables::Table,
        column: &'static str,
        filter: Box<Filter>,
    },
}

impl Filter {
    pub fn and(self, other: Filter) -> Filter {
        match (self, other) {
            (Filter::True, f) | (f, Filter::True) => f,
            (Filter::All(mut a), f) => {
                a.push(f);
                Filter::All(a)
            }
            (a, b) => Filter::All(vec![a, b]),
        }
    }

    pub fn column(name: &str) -> Target {
        Target::Column(name.to_owned())
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}
