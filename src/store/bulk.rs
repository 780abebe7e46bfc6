//! Bulk loads: a table's secondary indexes put aside while rows go in by the hundred
//! thousand, then built once over the whole table — one sorted build per index instead of
//! a B-tree update per row and index (BENCHMARKS.md, "The generator"). What is put aside is
//! written down in the transaction that drops it, so a load that dies half-way has its
//! indexes made again by the next start (`Db::migrate`).

use sea_query::{Expr, ExprTrait, Query};

use super::tables::Table;
use super::{Backend, Db, Exec, StoreResult, Tx, delete_rows, execute, fetch_as, run_ddl, schema_lock};

const ASIDE: &str = "crm_index_aside";
const COLUMNS: [&str; 4] = ["name", "table_name", "definition", "search_table"];

/// An index or search trigger put aside, and how to make it again.
#[derive(Debug, sqlx::FromRow)]
struct Aside {
    name: String,
    table_name: String,
    definition: String,
    /// For SQLite's trigger that keeps a full-text table in step on insert: that table,
    /// which is rebuilt from its content table once the trigger is back.
    search_table: Option<String>,
}

/// Drops `table`'s secondary indexes (not those of its keys) and, on SQLite, the trigger
/// that fills its full-text table, noting each down for `restore_indexes`.
pub async fn set_indexes_aside(db: &Db, table: Table) -> StoreResult<()> {
    let mut tx = db.begin().await?;
    schema_lock(&mut tx).await?;
    for aside in definitions(&mut tx, table.name).await? {
        let mut q = Query::insert();
        q.into_table(ASIDE).columns(COLUMNS).values_panic([
            aside.name.clone().into(),
            aside.table_name.clone().into(),
            aside.definition.clone().into(),
            aside.search_table.clone().into(),
        ]);
        execute(&mut tx, &q).await?;
        let kind = if aside.search_table.is_some() {
            "TRIGGER"
        } else {
            "INDEX"
        };
        run_ddl(Exec::Tx(&mut tx), format!("DROP {kind} {}", quoted(&aside.name))).await?;
    }
    tx.commit().await
}

/// Makes again every index and trigger put aside (by any table's load), each full-text
/// table rebuilt; answers how many. Without any put aside it writes nothing.
pub async fn restore_indexes(db: &Db) -> StoreResult<usize> {
    if put_aside(Exec::Pool(db)).await?.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    schema_lock(&mut tx).await?;
    // Read again under the lock: another instance may have restored them meanwhile.
    let aside = put_aside(Exec::Tx(&mut tx)).await?;
    for a in &aside {
        run_ddl(Exec::Tx(&mut tx), a.definition.clone()).await?;
        if let Some(search) = &a.search_table {
            let search = quoted(search);
            run_ddl(
                Exec::Tx(&mut tx),
                format!("INSERT INTO {search} ({search}) VALUES ('rebuild')"),
            )
            .await?;
        }
    }
    delete_rows(&mut tx, ASIDE, Expr::val(1).eq(1)).await?;
    tx.commit().await?;
    Ok(aside.len())
}

async fn put_aside(exec: Exec<'_>) -> StoreResult<Vec<Aside>> {
    let mut q = Query::select();
    q.columns(COLUMNS)
        .from(ASIDE)
        .order_by("name", sea_query::Order::Asc);
    fetch_as(exec, &q).await
}

/// What would be put aside of `table`, read from the backend's catalogue.
async fn definitions(tx: &mut Tx, table: &str) -> StoreResult<Vec<Aside>> {
    let found: Vec<(String, String, bool)> = match tx.db.backend() {
        Backend::Sqlite => {
            // Indexes SQLite made for keys have no SQL; the full-text trigger follows the
            // migrations' naming (`<table>_fts_insert`).
            let trigger = format!("{table}_fts_insert");
            let mut q = Query::select();
            q.columns(["name", "sql"])
                .expr(Expr::col("type").eq("trigger"))
                .from("sqlite_master")
                .and_where(Expr::col("tbl_name").eq(table))
                .and_where(Expr::col("sql").is_not_null())
                .and_where(
                    Expr::col("type")
                        .eq("index")
                        .or(Expr::col("type").eq("trigger").and(Expr::col("name").eq(trigger))),
                );
            fetch_as(&mut *tx, &q).await?
        }
        Backend::Postgres => {
            let mut keys = Query::select();
            keys.column("conname").from("pg_constraint");
            let mut q = Query::select();
            q.columns(["indexname", "indexdef"])
                .expr(Expr::val(false))
                .from("pg_indexes")
                .and_where(Expr::col("schemaname").eq(Expr::cust("current_schema()")))
                .and_where(Expr::col("tablename").eq(table))
                .and_where(Expr::col("indexname").not_in_subquery(keys));
            fetch_as(&mut *tx, &q).await?
        }
    };
    Ok(found
        .into_iter()
        .map(|(name, definition, trigger)| Aside {
            name,
            table_name: table.to_owned(),
            definition,
            search_table: trigger.then(|| format!("{table}_fts")),
        })
        .collect())
}

/// A catalogue name as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
