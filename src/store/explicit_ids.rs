//! Writes of a bulk import from another system (`wkcrm migrate-from-wukong`): rows keep
//! the ids they had there, a row whose id (or unique key) is already taken is skipped
//! rather than overwritten, sequences move past the highest id, and each source table's
//! progress is kept so that a killed run resumes.

use chrono::NaiveDateTime;
use sea_query::{Expr, ExprTrait, OnConflict, Query};

use super::tables::Table;
use super::{Backend, Cell, Exec, Kind, StoreResult, fetch_as, fetch_optional_as, fetch_scalars};

/// The most values one statement binds (see `records::insert_many`).
const MAX_BOUND: usize = 30_000;

/// The progress table of migration 0018.
const PROGRESS: &str = "wukong_migration";

/// Inserts `rows` into `table`, skipping each row that conflicts with one already there
/// (same id or same unique key); answers the values of `returned` of the rows inserted.
pub async fn insert_new<'a>(
    exec: impl Into<Exec<'a>>,
    table: &'static str,
    columns: &[(&'static str, Kind)],
    rows: &[Vec<Cell>],
    returned: &'static str,
) -> StoreResult<Vec<i64>> {
    let mut exec = exec.into();
    let per_statement = (MAX_BOUND / columns.len().max(1)).max(1);
    let mut inserted = Vec::new();
    for chunk in rows.chunks(per_statement) {
        let mut q = Query::insert();
        q.into_table(table).columns(columns.iter().map(|(c, _)| *c));
        for row in chunk {
            q.values_panic(
                row.iter()
                    .zip(columns)
                    .map(|(cell, (_, kind))| Expr::val(cell.to_value(*kind))),
            );
        }
        q.on_conflict(OnConflict::new().do_nothing().to_owned())
            .returning_col(returned);
        inserted.extend(fetch_scalars::<i64, _>(exec.reborrow(), &q).await?);
    }
    if !inserted.is_empty() {
        exec.wrote_crm_data().await?;
    }
    Ok(inserted)
}

/// Which of `ids` name a row of `table`.
pub async fn existing_ids<'a>(exec: impl Into<Exec<'a>>, table: Table, ids: &[i64]) -> StoreResult<Vec<i64>> {
    let mut exec = exec.into();
    let mut found = Vec::new();
    for chunk in ids.chunks(MAX_BOUND) {
        let mut q = Query::select();
        q.column(table.id)
            .from(table.name)
            .and_where(Expr::col(table.id).is_in(chunk.iter().copied()));
        found.extend(fetch_scalars::<i64, _>(exec.reborrow(), &q).await?);
    }
    Ok(found)
}

/// Moves PostgreSQL's id sequence of `table` past its highest id, so that rows created
/// later do not collide with imported ones; SQLite's AUTOINCREMENT follows the highest id
/// by itself.
pub async fn move_sequence<'a>(exec: impl Into<Exec<'a>>, table: Table) -> StoreResult<()> {
    let exec = exec.into();
    if exec.backend() != Backend::Postgres {
        return Ok(());
    }
    // PostgreSQL sequence functions have no portable form: text, from the table constants.
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{t}', '{id}'), MAX({id})) FROM {t} HAVING MAX({id}) IS NOT NULL",
        t = table.name,
        id = table.id
    );
    super::run_ddl(exec, sql).await?;
    Ok(())
}

/// Where the import of one source table stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Progress {
    pub last_id: i64,
    pub read_rows: i64,
    pub written: i64,
    pub skipped: i64,
}

pub async fn progress<'a>(exec: impl Into<Exec<'a>>, source_table: &str) -> StoreResult<Progress> {
    let mut q = Query::select();
    q.columns(["last_id", "read_rows", "written", "skipped"])
        .from(PROGRESS)
        .and_where(Expr::col("source_table").eq(source_table));
    Ok(fetch_optional_as::<Progress, _>(exec, &q)
        .await?
        .unwrap_or_default())
}

/// Every source table's progress, by name.
pub async fn all_progress<'a>(exec: impl Into<Exec<'a>>) -> StoreResult<Vec<(String, i64, i64, i64, i64)>> {
    let mut q = Query::select();
    q.columns(["source_table", "last_id", "read_rows", "written", "skipped"])
        .from(PROGRESS)
        .order_by("source_table", sea_query::Order::Asc);
    fetch_as(exec, &q).await
}

/// Saves the progress of one source table (in the batch's transaction).
pub async fn save_progress<'a>(
    exec: impl Into<Exec<'a>>,
    source_table: &str,
    p: &Progress,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let mut q = Query::insert();
    q.into_table(PROGRESS)
        .columns([
            "source_table",
            "last_id",
            "read_rows",
            "written",
            "skipped",
            "update_time",
        ])
        .values_panic([
            source_table.into(),
            p.last_id.into(),
            p.read_rows.into(),
            p.written.into(),
            p.skipped.into(),
            now.into(),
        ])
        .on_conflict(
            OnConflict::column("source_table")
                .update_columns(["last_id", "read_rows", "written", "skipped", "update_time"])
                .to_owned(),
        );
    super::execute(exec, &q).await?;
    Ok(())
}

/// A table rows are imported into: the table (its id is the column answered for each row
/// inserted), the columns written, and whether its ids are kept from the source (then its
/// sequence moves past them).
#[derive(Debug)]
pub struct Dest {
    pub table: Table,
    pub columns: &'static [(&'static str, Kind)],
    pub keeps_ids: bool,
}

impl Dest {
    /// The cells of one row in column order, from `column, value` pairs; columns not named
    /// are NULL.
    pub fn row(&self, values: Vec<(&'static str, Cell)>) -> Vec<Cell> {
        let mut row = vec![Cell::Null; self.columns.len()];
        for (column, value) in values {
            let at = self.columns.iter().position(|(c, _)| *c == column);
            debug_assert!(at.is_some(), "{} has no column {column}", self.table.name);
            if let Some(at) = at {
                row[at] = value;
            }
        }
        row
    }
}

const fn t(name: &'static str, id: &'static str) -> Table {
    Table { name, id }
}

use super::tables;
use Kind::{DateTime as D, Int as I, Json as J, Text as T};

/// The columns of a record table every module has, after its name and own columns.
macro_rules! dest {
    ($konst:ident = $table:expr, $keeps:expr, [$($col:literal : $kind:ident),+ $(,)?]) => {
        pub const $konst: Dest = Dest { table: $table, columns: &[$(($col, $kind)),+], keeps_ids: $keeps };
    };
}

dest!(DEPT = t("admin_dept", "dept_id"), true, ["dept_id": I, "pid": I, "name": T, "num": I, "remark": T]);
dest!(USER = tables::USER, true, ["user_id": I, "username": T, "password": T, "realname": T, "mobile": T,
    "email": T, "sex": I, "img": T, "num": T, "post": T, "dept_id": I, "parent_id": I, "status": I,
    "is_admin": I, "create_time": D, "last_login_time": D, "last_login_ip": T]);
dest!(ROLE = t("admin_role", "role_id"), true, ["role_id": I, "role_name": T, "role_type": I, "data_type": I,
    "remark": T, "status": I]);
dest!(USER_ROLE = t("admin_user_role", "user_id"), false, ["user_id": I, "role_id": I]);
dest!(ROLE_MENU = t("admin_role_menu", "role_id"), false, ["role_id": I, "menu_id": I]);
dest!(MENU_IDS = t("admin_menu", "menu_id"), false, ["menu_id": I]);
dest!(FIELD = t("crm_field", "field_id"), false, ["label": I, "field_name": T, "name": T, "form_type": T,
    "options": T, "is_null": I, "is_unique": I, "default_value": T, "input_tips": T, "max_length": I,
    "sorting": I, "field_type": I]);
dest!(PRODUCT_CATEGORY = tables::PRODUCT_CATEGORY, true, ["category_id": I, "name": T, "pid": I]);
dest!(PRODUCT = tables::PRODUCT, true, ["product_id": I, "name": T, "num": T, "unit": T, "price": I,
    "status": I, "category_id": I, "description": T, "owner_user_id": I, "create_user_id": I,
    "create_time": D, "update_time": D, "batch_id": T, "custom": J]);
dest!(BUSINESS_TYPE = tables::BUSINESS_TYPE, true, ["type_id": I, "name": T, "status": I, "create_user_id": I,
    "create_time": D, "update_time": D]);
dest!(BUSINESS_TYPE_DEPT = tables::BUSINESS_TYPE_DEPT, false, ["type_id": I, "dept_id": I]);
dest!(BUSINESS_STATUS = tables::BUSINESS_STATUS, true, ["status_id": I, "type_id": I, "name": T, "rate": T,
    "order_num": I]);
dest!(CUSTOMER = tables::CUSTOMER, true, ["customer_id": I, "customer_name": T, "mobile": T, "telephone": T,
    "website": T, "remark": T, "address": T, "detail_address": T, "location": T, "lng": T, "lat": T,
    "next_time": D, "deal_status": I, "is_lock": I, "status": I, "followup": I, "owner_user_id": I,
    "create_user_id": I, "create_time": D, "update_time": D, "batch_id": T, "last_content": T, "pool_id": I,
    "custom": J]);
dest!(TEAM_MEMBER = tables::TEAM_MEMBER, false, ["label": I, "record_id": I, "user_id": I, "power": I,
    "create_time": D]);
dest!(LEADS = tables::LEADS, true, ["leads_id": I, "leads_name": T, "mobile": T, "telephone": T, "address": T,
    "remark": T, "next_time": D, "is_transform": I, "customer_id": I, "followup": I, "owner_user_id": I,
    "create_user_id": I, "create_time": D, "update_time": D, "batch_id": T, "last_content": T, "custom": J]);
dest!(CONTACTS = tables::CONTACTS, true, ["contacts_id": I, "name": T, "customer_id": I, "mobile": T,
    "telephone": T, "email": T, "post": T, "address": T, "remark": T, "next_time": D, "owner_user_id": I,
    "create_user_id": I, "create_time": D, "update_time": D, "batch_id": T, "custom": J]);
dest!(BUSINESS = tables::BUSINESS, true, ["business_id": I, "business_name": T, "customer_id": I, "type_id": I,
    "status_id": I, "deal_date": D, "money": I, "discount_rate": I, "total_price": I, "remark": T,
    "is_end": I, "status_remark": T, "status": I, "next_time": D, "owner_user_id": I, "create_user_id": I,
    "create_time": D, "update_time": D, "batch_id": T, "custom": J]);
dest!(BUSINESS_PRODUCT = tables::BUSINESS_PRODUCT, true, ["r_id": I, "business_id": I, "product_id": I,
    "price": I, "sales_price": I, "num": I, "discount": I, "subtotal": I, "unit": T]);
dest!(CONTACTS_BUSINESS = tables::CONTACTS_BUSINESS, true, ["id": I, "contacts_id": I, "business_id": I]);
dest!(FOLLOW_RECORD = tables::FOLLOW_RECORD, true, ["record_id": I, "label": I, "target_id": I, "content": T,
    "category": T, "next_time": D, "business_ids": T, "contacts_ids": T, "batch_id": T, "create_user_id": I,
    "create_time": D]);
dest!(FOLLOW_LINK = tables::FOLLOW_LINK, false, ["label": I, "target_id": I, "record_id": I]);
dest!(SCENE = t("crm_scene", "scene_id"), true, ["scene_id": I, "type": I, "user_id": I, "name": T, "sort": I,
    "data": T, "is_hide": I, "is_system": I, "bydata": T, "create_time": D]);
dest!(SCENE_DEFAULT = t("crm_scene_default", "scene_id"), false, ["type": I, "user_id": I, "scene_id": I]);
// Attachments without their bytes, which `insert_file` adds (see there).
dest!(FILE = tables::FILE, true, ["file_id": I, "batch_id": T, "name": T, "size": I, "file_type": T,
    "mime_type": T, "create_user_id": I, "create_time": D]);
dest!(ACTION_RECORD = tables::ACTION_RECORD, true, ["id": I, "label": I, "action_id": I, "create_user_id": I,
    "create_time": D, "content": T]);

/// Inserts one attachment row of `FILE` with its bytes, unless its id is taken; answers
/// whether it was inserted. One file per statement: the bytes are one column, so this is
/// what keeps a migration's memory to one file at a time.
pub async fn insert_file<'a>(exec: impl Into<Exec<'a>>, row: &[Cell], content: Vec<u8>) -> StoreResult<bool> {
    let mut exec = exec.into();
    let mut q = Query::insert();
    q.into_table(FILE.table.name)
        .columns(FILE.columns.iter().map(|(c, _)| *c).chain(["content"]));
    let cells = row
        .iter()
        .zip(FILE.columns)
        .map(|(cell, (_, kind))| Expr::val(cell.to_value(*kind)));
    q.values_panic(cells.chain([Expr::val(sea_query::Value::Bytes(Some(content)))]));
    q.on_conflict(OnConflict::new().do_nothing().to_owned())
        .returning_col(FILE.table.id);
    let inserted = !fetch_scalars::<i64, _>(exec.reborrow(), &q).await?.is_empty();
    if inserted {
        exec.wrote_crm_data().await?;
    }
    Ok(inserted)
}

/// The lowest id of `table` (the default public pool), if it has rows.
pub async fn lowest_id<'a>(exec: impl Into<Exec<'a>>, table: Table) -> StoreResult<Option<i64>> {
    let mut q = Query::select();
    q.expr(Expr::col(table.id).min()).from(table.name);
    Ok(fetch_scalars::<Option<i64>, _>(exec, &q)
        .await?
        .into_iter()
        .flatten()
        .next())
}
