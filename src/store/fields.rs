//! The custom-field catalogue.

use super::{Exec, StoreResult, on_exec};

/// A custom field of one module; its values live in the record's `custom` JSON under `name`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FieldRow {
    pub field_id: i64,
    pub label: i64,
    pub field_name: String,
    pub name: String,
    pub form_type: String,
    pub options: String,
    pub is_null: i64,
    pub is_unique: i64,
    pub max_length: Option<i64>,
}

/// The visible custom fields of a module, in form order.
pub async fn of_label<'a>(exec: impl Into<Exec<'a>>, label: i64) -> StoreResult<Vec<FieldRow>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, FieldRow>(
            "SELECT field_id, label, field_name, name, form_type, options, is_null, is_unique, \
             max_length FROM crm_field WHERE label = $1 AND is_hidden = 0 ORDER BY sorting, field_id",
        )
        .bind(label)
        .fetch_all(conn)
        .await?
    }))
}
