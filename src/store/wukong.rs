//! The WukongCRM 9 MySQL database, read-only: the source of `wkcrm migrate-from-wukong`.
//! Its tables and the columns read from each are named here, once; rows are read in id
//! order, one batch after the last id done (keyset), so a batch costs the same at any depth.

use std::time::Duration;

use sqlx::Row;
use sqlx::mysql::{MySqlPool, MySqlPoolOptions};

use super::StoreResult;

/// A WukongCRM 9 table: its name without the `72crm_` prefix, its integer key, and the
/// columns read (the key first).
#[derive(Debug)]
pub struct SourceTable {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

impl SourceTable {
    pub fn id(&self) -> &'static str {
        self.columns[0]
    }

    /// Where `column` is in a row read from this table.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }
}

macro_rules! source_tables {
    ($($konst:ident = $name:literal [$($col:literal),+ $(,)?];)+) => {
        $(pub const $konst: SourceTable = SourceTable { name: $name, columns: &[$($col),+] };)+
    };
}

source_tables! {
    DEPT = "admin_dept" ["dept_id", "pid", "name", "num", "remark"];
    USER = "admin_user" ["user_id", "username", "password", "salt", "img", "create_time", "realname",
        "num", "mobile", "email", "sex", "dept_id", "post", "status", "parent_id", "last_login_time",
        "last_login_ip"];
    ROLE = "admin_role" ["role_id", "role_name", "role_type", "remark", "status", "data_type"];
    USER_ROLE = "admin_user_role" ["id", "user_id", "role_id"];
    ROLE_MENU = "admin_role_menu" ["id", "role_id", "menu_id"];
    FIELD = "admin_field" ["field_id", "field_name", "name", "type", "label", "input_tips", "max_length",
        "default_value", "is_unique", "is_null", "sorting", "options", "field_type"];
    PRODUCT_CATEGORY = "crm_product_category" ["category_id", "name", "pid"];
    PRODUCT = "crm_product" ["product_id", "name", "num", "unit", "price", "status", "category_id",
        "description", "create_user_id", "owner_user_id", "create_time", "update_time", "batch_id"];
    BUSINESS_TYPE = "crm_business_type" ["type_id", "name", "dept_ids", "create_user_id", "create_time",
        "update_time", "status"];
    BUSINESS_STATUS = "crm_business_status" ["status_id", "type_id", "name", "rate", "order_num"];
    CUSTOMER = "crm_customer" ["customer_id", "customer_name", "followup", "is_lock", "next_time",
        "deal_status", "mobile", "telephone", "website", "remark", "create_user_id", "owner_user_id",
        "ro_user_id", "rw_user_id", "address", "location", "detail_address", "lng", "lat", "create_time",
        "update_time", "batch_id", "last_content"];
    LEADS = "crm_leads" ["leads_id", "is_transform", "followup", "leads_name", "customer_id", "next_time",
        "telephone", "mobile", "address", "remark", "create_user_id", "owner_user_id", "create_time",
        "update_time", "batch_id", "last_content"];
    CONTACTS = "crm_contacts" ["contacts_id", "name", "next_time", "mobile", "telephone", "email", "post",
        "customer_id", "address", "remark", "create_user_id", "owner_user_id", "create_time", "update_time",
        "batch_id"];
    BUSINESS = "crm_business" ["business_id", "type_id", "status_id", "next_time", "customer_id", "deal_date",
        "business_name", "money", "discount_rate", "total_price", "remark", "create_user_id", "owner_user_id",
        "create_time", "update_time", "batch_id", "ro_user_id", "rw_user_id", "is_end", "status_remark"];
    BUSINESS_PRODUCT = "crm_business_product" ["r_id", "business_id", "product_id", "price", "sales_price",
        "num", "discount", "subtotal", "unit"];
    CONTACTS_BUSINESS = "crm_contacts_business" ["id", "business_id", "contacts_id"];
    FOLLOW_RECORD = "admin_record" ["record_id", "types", "types_id", "content", "category", "next_time",
        "business_ids", "contacts_ids", "create_time", "create_user_id", "batch_id"];
    ACTION_RECORD = "crm_action_record" ["id", "create_user_id", "create_time", "types", "action_id", "content"];
    SCENE = "admin_scene" ["scene_id", "type", "name", "user_id", "sort", "data", "is_hide", "is_system", "bydata",
        "create_time"];
    SCENE_DEFAULT = "admin_scene_default" ["default_id", "type", "user_id", "scene_id"];
    FILE = "admin_file" ["file_id", "name", "size", "create_user_id", "create_time", "path", "file_path",
        "file_type", "batch_id"];
}

/// One custom-field value (`admin_fieldv`): the record batch it belongs to, the field's
/// name, and the value as text.
#[derive(Clone, Debug)]
pub struct FieldValue {
    pub id: i64,
    pub batch_id: String,
    pub name: String,
    pub value: Option<String>,
}

/// A connection to the source database.
#[derive(Clone, Debug)]
pub struct Source {
    pool: MySqlPool,
    prefix: String,
}

/// One source row: each column as text, `None` for NULL.
pub type SourceRow = Vec<Option<String>>;

impl Source {
    /// Connects to `url` (`mysql://user:pass@host:port/db`); tables are named `prefix` + name.
    pub async fn connect(url: &str, prefix: &str) -> StoreResult<Source> {
        let pool = MySqlPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await?;
        Ok(Source {
            pool,
            prefix: prefix.to_owned(),
        })
    }

    fn table(&self, t: &SourceTable) -> String {
        format!("`{}{}`", self.prefix, t.name)
    }

    /// How many rows of `t` have an id above `after`.
    pub async fn count_after(&self, t: &SourceTable, after: i64) -> StoreResult<i64> {
        // MySQL text: the table name comes from the constants above and the prefix option.
        let sql = format!("SELECT COUNT(*) FROM {} WHERE `{}` > ?", self.table(t), t.id());
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Up to `limit` rows of `t` with ids above `after`, in id order. Every column is read
    /// as text (`CAST … AS CHAR`), so that a zero date or an odd number reaches the mapping,
    /// which reports the row, instead of failing the decode of the whole batch; sea-query
    /// has no MySQL cast to CHAR, hence text.
    pub async fn batch(&self, t: &SourceTable, after: i64, limit: i64) -> StoreResult<Vec<SourceRow>> {
        let columns: Vec<String> = t.columns.iter().map(|c| format!("CAST(`{c}` AS CHAR)")).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE `{id}` > ? ORDER BY `{id}` LIMIT ?",
            columns.join(", "),
            self.table(t),
            id = t.id()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                (0..t.columns.len())
                    .map(|i| row.try_get::<Option<String>, _>(i))
                    .collect()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(Into::into)
    }

    /// The custom-field values of the records of `batch_ids` (`admin_fieldv`, indexed by
    /// `batch_id` in WukongCRM 9).
    pub async fn field_values(&self, batch_ids: &[String]) -> StoreResult<Vec<FieldValue>> {
        let mut out = Vec::new();
        for chunk in batch_ids.chunks(1000) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT CAST(`id` AS CHAR), `batch_id`, CAST(`name` AS CHAR), CAST(`value` AS CHAR) FROM `{}admin_fieldv` \
                 WHERE `batch_id` IN ({marks}) ORDER BY `id`",
                self.prefix
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for b in chunk {
                q = q.bind(b);
            }
            for row in q.fetch_all(&self.pool).await? {
                let id: Option<String> = row.try_get(0)?;
                out.push(FieldValue {
                    id: id.and_then(|i| i.parse().ok()).unwrap_or_default(),
                    batch_id: row.try_get::<Option<String>, _>(1)?.unwrap_or_default(),
                    name: row.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                    value: row.try_get(3)?,
                });
            }
        }
        Ok(out)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The name the report gives the custom-field values.
pub const FIELD_VALUES: &str = "admin_fieldv";

/// The module label of a follow-up's or history entry's `types` (`crm_leads`, …).
pub fn label_of_types(types: &str) -> Option<i64> {
    match types.trim() {
        "crm_leads" => Some(1),
        "crm_customer" => Some(2),
        "crm_contacts" => Some(3),
        "crm_product" => Some(4),
        "crm_business" => Some(5),
        _ => None,
    }
}
