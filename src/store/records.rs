//! SQL for the CRM record tables. Everything here is driven by data (table, columns,
//! filter tree) handed in by the record engine; nothing is specific to one module.

use chrono::NaiveDateTime;
use sea_query::{Cond, Expr, ExprTrait, LikeExpr, Query, SimpleExpr, TableRef};

use super::model::{Cell, Filter, Kind, Op, Order, Target};
use super::{
    Backend, Exec, StoreResult, counts, fetch_cells, fetch_scalars, like_pattern, tables, write,
    write_returning,
};

pub use super::tables::Table;

/// A LEFT JOIN that looks a value up in another table, e.g. the owner's realname.
#[derive(Clone, Copy, Debug)]
pub struct Join {
    pub alias: &'static str,
    /// The table looked up, joined on its id.
    pub table: Table,
    /// The column of the record table that holds the foreign key.
    pub on: &'static str,
}

/// Where a selected value comes from.
#[derive(Clone, Debug)]
pub enum Source {
    Own(&'static str),
    Joined {
        alias: &'static str,
        column: &'static str,
    },
    /// 1 when the row matches the filter, else 0 (whether the caller follows a record).
    Matches(Filter),
    /// The settings version while the session is live, else NULL: the request's session
    /// checked by the statement that reads its answer.
    SessionVersion(super::sessions::SessionCheck),
}

/// One selected value and how to decode it.
#[derive(Clone, Debug)]
pub struct Select {
    pub source: Source,
    pub kind: Kind,
}

/// One `column = value` of an insert or update.
#[derive(Clone, Debug)]
pub struct Assign {
    pub column: &'static str,
    pub kind: Kind,
    pub value: Cell,
}

/// A page of a filtered, sorted list.
pub struct ListSpec<'a> {
    pub table: Table,
    pub joins: &'a [Join],
    pub columns: &'a [Select],
    pub filter: &'a Filter,
    pub order: &'a [(Target, Kind, Order)],
    pub limit: u64,
    pub offset: u64,
}

/// A sorted page is read in two steps (a "deferred join"): the ids of the page first,
/// which indexes alone can answer without touching wide rows, then those rows with their
/// look-ups. Unsorted reads fetch the rows directly.
pub async fn list<'a>(exec: impl Into<Exec<'a>>, spec: &ListSpec<'_>) -> StoreResult<Vec<Vec<Cell>>> {
    let mut exec = exec.into();
    let backend = exec.backend();
    let table = spec.table;
    if spec.order.is_empty() {
        let mut q = select_rows(
            backend,
            spec,
            &[Select {
                source: Source::Own(table.id),
                kind: Kind::Int,
            }],
        );
        q.cond_where(compile(backend, table, spec.filter));
        let q = Window::of(&q, spec);
        return Ok(strip_ids(fetch_cells(exec, &q, &kinds(spec)).await?, None));
    }
    let mut ids = Query::select();
    ids.column((table.name, table.id))
        .from(table.name)
        .cond_where(compile(backend, table, spec.filter));
    for (target, kind, order) in spec.order {
        ids.order_by_expr(target_expr(backend, table, target, *kind), sea_order(*order));
    }
    let page: Vec<i64> = fetch_scalars(exec.reborrow(), &Window::of(&ids, spec)).await?;
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = select_rows(
        backend,
        spec,
        &[Select {
            source: Source::Own(table.id),
            kind: Kind::Int,
        }],
    );
    q.and_where(Expr::col((table.name, table.id)).is_in(page.iter().copied()));
    Ok(strip_ids(fetch_cells(exec, &q, &kinds(spec)).await?, Some(&page)))
}

/// A select with its page's `LIMIT` and `OFFSET` written into the text, not bound. SQLite
/// plans a sorted page by its limit — scanning an index in order and stopping after a page,
/// or sorting every match — only when the number is in the text: built with plans that
/// never look at bound values (`.cargo/config.toml`), a bound limit made the page of a
/// scene over nine owners sort their 160,000-odd leads (80–170 ms) instead of reading 100
/// index entries (0.3 ms). They are integers, so writing them is safe; each page size is
/// one more prepared statement (offsets too, but page 1 and details repeat).
struct Window<'a> {
    select: &'a sea_query::SelectStatement,
    limit: u64,
    offset: u64,
}

impl<'a> Window<'a> {
    fn of(select: &'a sea_query::SelectStatement, spec: &ListSpec<'_>) -> Window<'a> {
        Window {
            select,
            limit: spec.limit,
            offset: spec.offset,
        }
    }
}

impl sea_query_sqlx::SqlxBinder for Window<'_> {
    fn build_sqlx<T: sea_query::QueryBuilder>(&self, builder: T) -> (String, sea_query_sqlx::SqlxValues) {
        let (mut sql, values) = self.select.build_sqlx(builder);
        sql.push_str(&format!(" LIMIT {} OFFSET {}", self.limit, self.offset));
        (sql, values)
    }
}

/// `SELECT <id>, <columns> FROM table LEFT JOIN …` without conditions.
fn select_rows(backend: Backend, spec: &ListSpec<'_>, lead: &[Select]) -> sea_query::SelectStatement {
    let table = spec.table;
    let mut q = Query::select();
    q.from(table.name);
    for join in spec.joins {
        q.left_join(
            TableRef::from(join.table.name).alias(join.alias),
            Expr::col((join.alias, join.table.id)).equals((table.name, join.on)),
        );
    }
    for select in lead.iter().chain(spec.columns) {
        match &select.source {
            Source::Own(col) => q.column((table.name, *col)),
            Source::Joined { alias, column } => q.column((*alias, *column)),
            Source::Matches(filter) => {
                q.expr(Expr::case(compile(backend, table, filter), 1i64).finally(0i64))
            }
            Source::SessionVersion(check) => q.expr(super::sessions::live_version(check)),
        };
    }
    q
}

/// The id, then the spec's columns.
fn kinds(spec: &ListSpec<'_>) -> Vec<Kind> {
    std::iter::once(Kind::Int)
        .chain(spec.columns.iter().map(|c| c.kind))
        .collect()
}

/// Drops the leading id of each row, putting rows in the order of `order` when given.
fn strip_ids(rows: Vec<Vec<Cell>>, order: Option<&[i64]>) -> Vec<Vec<Cell>> {
    let mut keyed: Vec<(i64, Vec<Cell>)> = rows
        .into_iter()
        .map(|mut row| {
            let id = row.remove(0).as_i64().unwrap_or_default();
            (id, row)
        })
        .collect();
    if let Some(order) = order {
        let rank: std::collections::HashMap<i64, usize> =
            order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        keyed.sort_by_key(|(id, _)| rank.get(id).copied().unwrap_or(usize::MAX));
    }
    keyed.into_iter().map(|(_, row)| row).collect()
}

/// `COUNT(*)` of the rows matching `filter`.
/// Outside a transaction the answer comes from this instance's count cache while no CRM data
/// has been written anywhere since it was counted (see `counts`).
pub async fn count<'a>(exec: impl Into<Exec<'a>>, table: Table, filter: &Filter) -> StoreResult<i64> {
    let exec = exec.into();
    let backend = exec.backend();
    let mut q = Query::select();
    q.expr(Expr::cust("COUNT(*)"))
        .from(table.name)
        .cond_where(compile(backend, table, filter));
    let Exec::Pool(db) = exec else {
        return Ok(fetch_scalars(exec, &q).await?.first().copied().unwrap_or(0));
    };
    // The key digests the statement with its parameters inline (escaped by sea-query);
    // the text is never executed.
    let key = counts::key(&match backend {
        Backend::Sqlite => q.to_string(sea_query::SqliteQueryBuilder),
        Backend::Postgres => q.to_string(sea_query::PostgresQueryBuilder),
    });
    let version = counts::version(db).await?;
    if let Some(n) = db.counts.get(version, &key) {
        return Ok(n);
    }
    let n = fetch_scalars(db, &q).await?.first().copied().unwrap_or(0);
    db.counts.put(version, key, n);
    Ok(n)
}

/// `(value, rows)` of the rows matching `filter`, grouped by the integer `column` (a
/// customer's business count for a page of customers: one query).
pub async fn count_by<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    column: &'static str,
    filter: &Filter,
) -> StoreResult<Vec<(i64, i64)>> {
    let exec = exec.into();
    let backend = exec.backend();
    let mut q = Query::select();
    q.column((table.name, column))
        .expr(Expr::cust("COUNT(*)"))
        .from(table.name)
        .cond_where(compile(backend, table, filter))
        .group_by_col((table.name, column));
    let rows = fetch_cells(exec, &q, &[Kind::Int, Kind::Int]).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r[0].as_i64()?, r[1].as_i64()?)))
        .collect())
}

/// The latest `time` per value of `column` over the rows matching `filter`.
pub async fn latest_by<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    column: &'static str,
    time: &'static str,
    filter: &Filter,
) -> StoreResult<Vec<(i64, NaiveDateTime)>> {
    let exec = exec.into();
    let backend = exec.backend();
    let mut q = Query::select();
    q.column((table.name, column))
        .expr(Expr::col((table.name, time)).max())
        .from(table.name)
        .cond_where(compile(backend, table, filter))
        .group_by_col((table.name, column));
    let rows = fetch_cells(exec, &q, &[Kind::Int, Kind::DateTime]).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r[0].as_i64()?, r[1].as_datetime()?)))
        .collect())
}

/// The integer sum of `column` over the rows matching `filter` (0 when none).
pub async fn sum<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    column: &'static str,
    filter: &Filter,
) -> StoreResult<i64> {
    let exec = exec.into();
    let mut q = Query::select();
    // PostgreSQL's SUM(bigint) is NUMERIC: cast back so both backends decode an i64.
    q.expr(Expr::cust(format!(
        "CAST(COALESCE(SUM(\"{}\".\"{}\"), 0) AS BIGINT)",
        table.name, column
    )))
    .from(table.name)
    .cond_where(compile(exec.backend(), table, filter));
    Ok(fetch_scalars(exec, &q).await?.first().copied().unwrap_or(0))
}

/// The highest id of `table` (0 when empty).
pub async fn max_id<'a>(exec: impl Into<Exec<'a>>, table: Table) -> StoreResult<i64> {
    let mut q = Query::select();
    q.expr(Expr::cust(format!(
        "CAST(COALESCE(MAX(\"{}\".\"{}\"), 0) AS BIGINT)",
        table.name, table.id
    )))
    .from(table.name);
    Ok(fetch_scalars(exec, &q).await?.first().copied().unwrap_or(0))
}

/// The ids among `ids` whose rows exist and match `filter`.
pub async fn matching_ids<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    ids: &[i64],
    filter: &Filter,
) -> StoreResult<Vec<i64>> {
    let exec = exec.into();
    let mut q = Query::select();
    q.column(table.id)
        .from(table.name)
        .and_where(Expr::col((table.name, table.id)).is_in(ids.iter().copied()))
        .cond_where(compile(exec.backend(), table, filter));
    fetch_scalars(exec, &q).await
}

/// The ids among `ids` whose rows exist, locked for the rest of the transaction: on
/// PostgreSQL with `FOR UPDATE` (in id order, so two transactions locking overlapping sets
/// cannot deadlock); on SQLite `BEGIN IMMEDIATE` already holds the only write lock. Every
/// read-modify-write of a record starts here, so concurrent writers of one record queue
/// instead of overwriting each other.
pub async fn lock_existing(tx: &mut super::Tx, table: Table, ids: &[i64]) -> StoreResult<Vec<i64>> {
    let mut q = Query::select();
    q.column(table.id)
        .from(table.name)
        .and_where(Expr::col((table.name, table.id)).is_in(ids.iter().copied()))
        .order_by(table.id, sea_query::Order::Asc)
        .lock(sea_query::LockType::Update);
    fetch_scalars(tx, &q).await
}

/// Inserts one row and answers its new id.
pub async fn insert<'a>(exec: impl Into<Exec<'a>>, table: Table, assigns: &[Assign]) -> StoreResult<i64> {
    let mut q = Query::insert();
    q.into_table(table.name)
        .columns(assigns.iter().map(|a| a.column))
        .values_panic(assigns.iter().map(|a| Expr::val(a.value.to_value(a.kind))))
        .returning_col(table.id);
    write_returning(exec, &q).await
}

/// Inserts many rows, each its own `column = value` list, in as few statements as the
/// backends' limits on bound values allow (rows naming the same columns go together, so a
/// column a row leaves out keeps its default as in `insert`). `key` names a text column
/// unique to each row (a record's `batch_id`): the new ids come back by it, since neither
/// backend promises `RETURNING` rows in `VALUES` order. Answers the ids in `rows` order.
pub async fn insert_each<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    rows: &[Vec<Assign>],
    key: &'static str,
) -> StoreResult<Vec<i64>> {
    let mut exec = exec.into();
    let key_of = |row: &Vec<Assign>| {
        row.iter()
            .find(|a| a.column == key)
            .and_then(|a| a.value.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let mut groups: Vec<(Vec<&'static str>, Vec<usize>)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let columns: Vec<&'static str> = row.iter().map(|a| a.column).collect();
        match groups.iter_mut().find(|(c, _)| *c == columns) {
            Some((_, members)) => members.push(i),
            None => groups.push((columns, vec![i])),
        }
    }
    let mut ids = std::collections::HashMap::with_capacity(rows.len());
    for (columns, members) in &groups {
        // A fixed number of rows a statement, so that batch after batch runs the same few
        // statements: each text is prepared once and cached per connection (a cache of
        // statements with 30,000 parameters each, all of different lengths, held hundreds of
        // MB on SQLite).
        let per_statement = (MAX_BOUND / columns.len().max(1)).clamp(1, INSERT_ROWS);
        for chunk in members.chunks(per_statement) {
            let mut q = Query::insert();
            q.into_table(table.name).columns(columns.iter().copied());
            for &i in chunk {
                q.values_panic(rows[i].iter().map(|a| Expr::val(a.value.to_value(a.kind))));
            }
            q.returning(Query::returning().columns([table.id, key]));
            for (id, k) in super::fetch_as::<(i64, String), _>(exec.reborrow(), &q).await? {
                ids.insert(k, id);
            }
        }
    }
    if !rows.is_empty() {
        exec.wrote_crm_data().await?;
    }
    Ok(rows
        .iter()
        .map(|r| ids.get(&key_of(r)).copied().unwrap_or_default())
        .collect())
}

/// Rows one statement of `insert_each` inserts at most.
const INSERT_ROWS: usize = 1000;

/// The most values one statement binds: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BOUND: usize = 30_000;

/// Inserts many rows with the same columns, in as few statements as the backends' limits
/// on bound values allow (bulk loads, demo data, a history entry for many records).
pub async fn insert_many<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    columns: &[(&'static str, Kind)],
    rows: &[Vec<Cell>],
) -> StoreResult<u64> {
    let mut exec = exec.into();
    let mut written = 0;
    for q in inserts(table, columns, rows) {
        written += write(exec.reborrow(), &q).await?;
    }
    Ok(written)
}

/// Like `insert_many`, for rows nobody reads back before the next statement (history):
/// they go with the transaction's next round trip (`store::write_deferred`).
pub async fn append_many(
    tx: &mut super::Tx,
    table: Table,
    columns: &[(&'static str, Kind)],
    rows: &[Vec<Cell>],
) -> StoreResult<()> {
    for q in inserts(table, columns, rows) {
        super::write_deferred(tx, &q).await?;
    }
    Ok(())
}

/// The inserts of `rows`, as many to a statement as the backends bind.
fn inserts(
    table: Table,
    columns: &[(&'static str, Kind)],
    rows: &[Vec<Cell>],
) -> Vec<sea_query::InsertStatement> {
    let per_statement = (MAX_BOUND / columns.len().max(1)).max(1);
    rows.chunks(per_statement)
        .map(|chunk| {
            let mut q = Query::insert();
            q.into_table(table.name).columns(columns.iter().map(|(c, _)| *c));
            for row in chunk {
                q.values_panic(
                    row.iter()
                        .zip(columns)
                        .map(|(cell, (_, kind))| Expr::val(cell.to_value(*kind))),
                );
            }
            q
        })
        .collect()
}

/// Applies `assigns` to the rows with the given ids; answers how many rows changed.
pub async fn update<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    ids: &[i64],
    assigns: &[Assign],
) -> StoreResult<u64> {
    if assigns.is_empty() || ids.is_empty() {
        return Ok(0);
    }
    let of_ids = Filter::In {
        target: Target::Column(table.id.to_owned()),
        kind: Kind::Int,
        values: ids.iter().map(|i| Cell::Int(*i)).collect(),
    };
    update_where(exec, table, &of_ids, assigns).await
}

/// Applies `assigns` to every row matching `filter`; answers how many rows changed.
pub async fn update_where<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    filter: &Filter,
    assigns: &[Assign],
) -> StoreResult<u64> {
    let exec = exec.into();
    let mut q = Query::update();
    q.table(table.name)
        .values(
            assigns
                .iter()
                .map(|a| (a.column, Expr::val(a.value.to_value(a.kind)))),
        )
        .cond_where(compile(exec.backend(), table, filter));
    write(exec, &q).await
}

/// Deletes every row matching `filter` (e.g. the line items of some businesses).
pub async fn delete_where<'a>(exec: impl Into<Exec<'a>>, table: Table, filter: &Filter) -> StoreResult<u64> {
    let exec = exec.into();
    let mut q = Query::delete();
    q.from_table(table.name)
        .cond_where(compile(exec.backend(), table, filter));
    write(exec, &q).await
}

/// Deletes the rows with the given ids; answers how many went.
pub async fn delete<'a>(exec: impl Into<Exec<'a>>, table: Table, ids: &[i64]) -> StoreResult<u64> {
    let mut q = Query::delete();
    q.from_table(table.name)
        .and_where(Expr::col(table.id).is_in(ids.iter().copied()));
    write(exec, &q).await
}

fn sea_order(order: Order) -> sea_query::Order {
    match order {
        Order::Asc => sea_query::Order::Asc,
        Order::Desc => sea_query::Order::Desc,
    }
}

/// The SQL expression a target reads. A custom-field key is written into the SQL text as a
/// quoted literal (see `custom_value_sql`), not bound, so that the expression matches the
/// key's index; that is safe because keys are catalogue `field_name`s (seeded, or generated
/// as `field_<hex>`), never user text, and escaped all the same. Compared values are bound.
fn target_expr(backend: Backend, table: Table, target: &Target, kind: Kind) -> SimpleExpr {
    match target {
        Target::Column(col) => Expr::col((table.name, col.clone())),
        Target::Custom(key) => {
            let value = custom_value_sql(backend, &format!("\"{}\".\"custom\"", table.name), key);
            match (backend, kind) {
                (Backend::Postgres, Kind::Int | Kind::Float) => {
                    Expr::cust(format!("CAST({value} AS NUMERIC)"))
                }
                _ => Expr::cust(value),
            }
        }
    }
}

/// The SQL reading custom key `key` from the JSON column `column`. The key is written as a
/// literal (a catalogue `field_name`: seeded, or generated as `field_<hex>`, never user text;
/// quoted and escaped all the same) so that the expression indexes of
/// `create_custom_index` serve it.
fn custom_value_sql(backend: Backend, column: &str, key: &str) -> String {
    let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
    match backend {
        Backend::Sqlite => format!("json_extract({column}, {})", literal(&json_path(key))),
        Backend::Postgres => format!("({column} ->> {})", literal(key)),
    }
}

/// An index on one custom key of a record table, followed by `update_time` so that an
/// equality filter on the key reads the default order straight from the index.
pub async fn create_custom_index<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    field_id: i64,
    key: &str,
) -> StoreResult<()> {
    let exec = exec.into();
    let sql = format!(
        "CREATE INDEX IF NOT EXISTS \"{0}_cf_{1}\" ON \"{0}\" ({2}, \"update_time\")",
        table.name,
        field_id,
        custom_value_sql(exec.backend(), "\"custom\"", key)
    );
    super::run_ddl(exec, sql).await
}

/// Drops the index of a deleted custom field.
pub async fn drop_custom_index<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    field_id: i64,
) -> StoreResult<()> {
    super::run_ddl(
        exec.into(),
        format!("DROP INDEX IF EXISTS \"{}_cf_{}\"", table.name, field_id),
    )
    .await
}

/// A keyword over the search columns. On SQLite a term of three or more characters goes
/// through the module's FTS5 trigram index; shorter terms (trigrams need three) and
/// PostgreSQL (whose pg_trgm GIN indexes serve `LIKE`) use `LIKE '%term%'`.
fn search(backend: Backend, table: Table, columns: &[String], term: &str) -> Cond {
    if backend == Backend::Sqlite && term.chars().count() >= 3 {
        let phrase = format!("\"{}\"", term.replace('"', "\"\""));
        let fts = format!(
            "\"{0}\".\"{1}\" IN (SELECT rowid FROM \"{0}_fts\" WHERE \"{0}_fts\" MATCH ?)",
            table.name, table.id
        );
        return Cond::all().add(Expr::cust_with_values(fts, [phrase]));
    }
    let likes = columns.iter().map(|c| Filter::Like {
        target: Target::Column(c.clone()),
        needle: term.to_owned(),
        before: true,
        after: true,
    });
    compile(backend, table, &Filter::Any(likes.collect()))
}

/// How sea-query's custom expressions mark their first argument on each backend.
fn placeholder(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    }
}

/// A JSON path naming one top-level key, quoted so any key text is safe.
fn json_path(key: &str) -> String {
    format!("$.{}", serde_json::Value::String(key.to_owned()))
}

/// The column of every record table that holds its owner.
pub const OWNER_COLUMN: &str = "owner_user_id";

fn int_eq(column: &str, value: i64) -> Filter {
    Filter::Compare {
        target: Target::Column(column.to_owned()),
        op: Op::Eq,
        kind: Kind::Int,
        value: Cell::Int(value),
    }
}

fn owner_in(users: &[i64]) -> Filter {
    Filter::In {
        target: Target::Column(OWNER_COLUMN.to_owned()),
        kind: Kind::Int,
        values: users.iter().map(|u| Cell::Int(*u)).collect(),
    }
}

/// The team-member rows of `Filter::TeamMember`.
fn membership(label: i64, user: i64, write: bool, at: Option<chrono::NaiveDateTime>) -> Filter {
    let mut all = vec![int_eq("label", label), int_eq("user_id", user)];
    if write {
        all.push(int_eq("power", 2));
    }
    if let Some(at) = at {
        let expires = || Target::Column("expires_time".to_owned());
        all.push(Filter::Any(vec![
            Filter::IsNull(expires()),
            Filter::Compare {
                target: expires(),
                op: Op::Gt,
                kind: Kind::DateTime,
                value: Cell::DateTime(at),
            },
        ]));
    }
    Filter::All(all)
}

/// Compiles a filter tree to a sea-query condition.
fn compare(lhs: SimpleExpr, op: Op, rhs: SimpleExpr) -> SimpleExpr {
    match op {
        Op::Eq => lhs.eq(rhs),
        Op::Ne => lhs.ne(rhs),
        Op::Gt => lhs.gt(rhs),
        Op::Ge => lhs.gte(rhs),
        Op::Lt => lhs.lt(rhs),
        Op::Le => lhs.lte(rhs),
    }
}

pub(crate) fn compile(backend: Backend, table: Table, filter: &Filter) -> Cond {
    match filter {
        Filter::True => Cond::all(),
        Filter::All(parts) => parts
            .iter()
            .fold(Cond::all(), |c, f| c.add(compile(backend, table, f))),
        Filter::Any(parts) => parts
            .iter()
            .fold(Cond::any(), |c, f| c.add(compile(backend, table, f))),
        Filter::Not(inner) => compile(backend, table, inner).not(),
        Filter::Compare {
            target,
            op,
            kind,
            value,
        } => {
            let lhs = target_expr(backend, table, target, *kind);
            Cond::all().add(compare(lhs, *op, Expr::val(value.to_value(*kind))))
        }
        Filter::ColumnsCompare { left, op, right } => Cond::all().add(compare(
            Expr::col((table.name, left.clone())),
            *op,
            Expr::col((table.name, right.clone())),
        )),
        Filter::In { target, kind, values } => {
            if values.is_empty() {
                return Cond::all().add(Expr::cust("1 = 0"));
            }
            let lhs = target_expr(backend, table, target, *kind);
            Cond::all().add(lhs.is_in(values.iter().map(|v| Expr::val(v.to_value(*kind)))))
        }
        Filter::IsNull(target) => Cond::all().add(target_expr(backend, table, target, Kind::Text).is_null()),
        Filter::Search { columns, term } => search(backend, table, columns, term),
        Filter::ListHas { target, item } => {
            let listed = Expr::cust_with_expr(
                format!("(',' || {} || ',')", placeholder(backend)),
                target_expr(backend, table, target, Kind::Text),
            );
            let pattern = LikeExpr::new(like_pattern(&format!(",{item},"), true, true)).escape('\\');
            Cond::all().add(listed.like(pattern))
        }
        Filter::OwnedBy(users) => compile(backend, table, &owner_in(users)),
        Filter::Unowned => compile(
            backend,
            table,
            &Filter::IsNull(Target::Column(OWNER_COLUMN.into())),
        ),
        Filter::TeamMember {
            label,
            user,
            write,
            at,
        } => {
            let team = tables::TEAM_MEMBER;
            let mut sub = Query::select();
            sub.column((team.name, "record_id"))
                .from(team.name)
                .cond_where(compile(backend, team, &membership(*label, *user, *write, *at)));
            Cond::all().add(Expr::col((table.name, table.id)).in_subquery(sub))
        }
        Filter::Referenced {
            table: from,
            column,
            filter,
        } => {
            let mut sub = Query::select();
            sub.column((from.name, *column))
                .from(from.name)
                .cond_where(compile(backend, *from, filter));
            Cond::all().add(Expr::col((table.name, table.id)).in_subquery(sub))
        }
        Filter::StarredBy { label, user } => compile(
            backend,
            table,
            &Filter::Referenced {
                table: tables::STAR,
                column: "record_id",
                filter: Box::new(Filter::All(vec![
                    int_eq("label", *label),
                    int_eq("user_id", *user),
                ])),
            },
        ),
        Filter::Like {
            target,
            needle,
            before,
            after,
        } => {
            let pattern = LikeExpr::new(like_pattern(needle, *before, *after)).escape('\\');
            Cond::all().add(target_expr(backend, table, target, Kind::Text).like(pattern))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    const T: Table = Table {
        name: "crm_leads",
        id: "leads_id",
    };

    #[test]
    fn custom_field_keys_are_quoted_literals() {
        let f = Filter::Compare {
            target: Target::Custom("客户级别".into()),
            op: Op::Eq,
            kind: Kind::Text,
            value: Cell::Text("A".into()),
        };
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let mut q = Query::select();
            q.column("leads_id")
                .from("crm_leads")
                .cond_where(compile(backend, T, &f));
            let (sql, values) = match backend {
                Backend::Sqlite => q.build(SqliteQueryBuilder),
                Backend::Postgres => q.build(PostgresQueryBuilder),
            };
            assert!(sql.contains("客户级别"), "{sql}");
            assert_eq!(values.0.len(), 1, "{sql} {values:?}");
            let evil = custom_value_sql(backend, "c", "x'); DROP TABLE t; --");
            assert!(evil.contains("x''); DROP"), "{evil}");
        }
    }

    /// The page's numbers are in the text, where SQLite's planner can see them.
    #[test]
    fn a_pages_limit_and_offset_are_written_not_bound() {
        use sea_query_sqlx::SqlxBinder;
        let mut q = Query::select();
        q.column("leads_id")
            .from("crm_leads")
            .and_where(Expr::col("is_transform").eq(0i64))
            .order_by("update_time", sea_query::Order::Desc);
        let spec = ListSpec {
            table: T,
            joins: &[],
            columns: &[],
            filter: &Filter::True,
            order: &[],
            limit: 15,
            offset: 7485,
        };
        let window = Window::of(&q, &spec);
        for (sql, values) in [
            window.build_sqlx(SqliteQueryBuilder),
            window.build_sqlx(PostgresQueryBuilder),
        ] {
            assert!(sql.ends_with(" LIMIT 15 OFFSET 7485"), "{sql}");
            assert_eq!(values.0.0.len(), 1, "only the condition's value is bound: {sql}");
        }
    }
}

#[cfg(test)]
mod list_has_tests {
    use super::*;
    use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};

    #[test]
    fn list_membership_binds_the_item() {
        let t = Table {
            name: "crm_leads",
            id: "leads_id",
        };
        let f = Filter::ListHas {
            target: Target::Custom("标签".into()),
            item: "x".into(),
        };
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let mut q = Query::select();
            q.column("leads_id")
                .from("crm_leads")
                .cond_where(compile(backend, t, &f));
            let (sql, values) = match backend {
                Backend::Sqlite => q.build(SqliteQueryBuilder),
                Backend::Postgres => q.build(PostgresQueryBuilder),
            };
            assert_eq!(values.0.len(), 1, "{sql}");
            assert!(sql.contains("custom"), "{sql}");
        }
    }
}
