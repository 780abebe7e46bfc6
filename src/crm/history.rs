//! The history of records (操作记录): what happened to a record, by whom and when. Append
//! only; every entry is written inside the transaction of the change it describes, so a
//! change that fails leaves no entry and no change goes unrecorded. Entries outlive their
//! record; a deleted record's history is the administrator's to read.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::fields::list_items;
use super::input::{Input, Parse};
use super::module::{FieldKind, Module, camel_case};
use super::modules::{self, USER_TABLE};
use super::rows::{column_in, joined_rows, rows};
use super::{Actor, Crm};
use crate::store::fields::FieldRow;
use crate::store::records::{self, Join, OWNER_COLUMN, Select, Source};
use crate::store::tables::ACTION_RECORD;
use crate::store::{Cell, Filter, Kind, Tx};

const ENTRY_COLUMNS: [(&str, Kind); 5] = [
    ("label", Kind::Int),
    ("action_id", Kind::Int),
    ("create_user_id", Kind::Int),
    ("create_time", Kind::DateTime),
    ("content", Kind::Text),
];

/// The sentences that tell how a record changed: `将<字段> 由<旧>修改为<新>。` for every
/// catalogue field whose shown value differs between the two renderings of the record
/// (the owner is told apart, by the transfer). Empty values read `空`; users, looked-up
/// records and options read as their names.
fn changes(
    module: &Module,
    defs: &[FieldRow],
    names: &HashMap<i64, String>,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Vec<String> {
    defs.iter()
        .filter(|d| d.field_name != OWNER_COLUMN)
        .filter_map(|def| {
            let key = shown_key(module, def);
            let old = shown(def, before.get(&key), names);
            let new = shown(def, after.get(&key), names);
            (old != new).then(|| format!("将{} 由{}修改为{}。", def.name, old, new))
        })
        .collect()
}

/// Where a field's value shows in a rendered record: its name for custom fields, the
/// looked-up name for references (`customerName`), else its camelCase column.
fn shown_key(module: &Module, def: &FieldRow) -> String {
    if !def.is_column() {
        return def.name.clone();
    }
    let referenced = module
        .field(&def.field_name)
        .is_some_and(|f| matches!(f.kind, FieldKind::User | FieldKind::Ref(..)));
    match module.lookups.iter().find(|l| l.join.on == def.field_name) {
        Some(lookup) if referenced => lookup.key.to_owned(),
        _ => camel_case(&def.field_name),
    }
}

fn shown(def: &FieldRow, value: Option<&Value>, names: &HashMap<i64, String>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    };
    let text = if def.form_type == "user" {
        list_items(&Value::String(text))
            .iter()
            .map(|id| {
                id.parse()
                    .ok()
                    .and_then(|id| names.get(&id))
                    .cloned()
                    .unwrap_or_else(|| id.clone())
            })
            .collect::<Vec<_>>()
            .join(",")
    } else {
        text
    };
    if text.is_empty() { "空".to_owned() } else { text }
}

/// The user ids named by custom user fields in the given renderings (to show their names).
fn named_users(defs: &[FieldRow], rows: &[&Map<String, Value>]) -> Vec<i64> {
    let mut ids: Vec<i64> = defs
        .iter()
        .filter(|d| d.form_type == "user" && !d.is_column())
        .flat_map(|d| rows.iter().filter_map(move |r| r.get(&d.name)))
        .flat_map(list_items)
        .filter_map(|id| id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The names of users, by id.
pub(crate) async fn realnames(tx: &mut Tx, users: &[i64]) -> Result<HashMap<i64, String>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let columns = [("user_id", Kind::Int), ("realname", Kind::Text)];
    Ok(rows(&mut *tx, USER_TABLE, &columns, &column_in("user_id", users))
        .await?
        .into_iter()
        .filter_map(|r| Some((r[0].as_i64()?, r[1].as_str()?.to_owned())))
        .collect())
}

/// The names of users joined with `、`, in the given order.
pub(crate) async fn names_of(tx: &mut Tx, users: &[i64]) -> Result<String> {
    let names = realnames(tx, users).await?;
    Ok(users
        .iter()
        .map(|u| names.get(u).cloned().unwrap_or_else(|| u.to_string()))
        .collect::<Vec<_>>()
        .join("、"))
}

/// `CrmRecord/queryRecordList`: the history of one record (`actionId`) of a module
/// (`types`, the module label).
#[derive(Clone, Copy, Debug)]
pub struct HistoryQuery {
    pub module: &'static Module,
    pub id: i64,
}

impl Parse for HistoryQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let label = input.first_i64(&["types", "type", "label"])?;
        let module = label
            .and_then(modules::by_label)
            .ok_or_else(|| Error::bad("type不符合要求"))?;
        Ok(HistoryQuery {
            module,
            id: input.i64("actionId", "actionId不能为空")?,
        })
    }
}

/// One history entry as the J9 client reads it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    id: i64,
    types: String,
    action_id: i64,
    create_user_id: i64,
    create_time: String,
    content: Vec<String>,
    realname: Option<String>,
    img: Option<String>,
}

const CREATOR: Join = Join {
    alias: "creator",
    table: USER_TABLE,
    on: "create_user_id",
};

impl Crm {
    /// Records how a save changed a record, given its renderings before and after.
    pub(crate) async fn log_changes(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        module: &Module,
        id: i64,
        defs: &[FieldRow],
        (before, after): (&Map<String, Value>, &Map<String, Value>),
    ) -> Result<()> {
        let names = realnames(tx, &named_users(defs, &[before, after])).await?;
        let sentences = changes(module, defs, &names, before, after);
        self.log(tx, actor, module, &[id], &sentences).await
    }

    /// Appends one entry of `sentences` to the history of each record in `ids`.
    pub(crate) async fn log(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        module: &Module,
        ids: &[i64],
        sentences: &[String],
    ) -> Result<()> {
        if sentences.is_empty() || ids.is_empty() {
            return Ok(());
        }
        let content = Value::from(sentences.to_vec()).to_string();
        let now = self.clock.now();
        let rows: Vec<Vec<Cell>> = ids
            .iter()
            .map(|id| {
                vec![
                    Cell::Int(module.label),
                    Cell::Int(*id),
                    Cell::Int(actor.id()),
                    Cell::DateTime(now),
                    Cell::Text(content.clone()),
                ]
            })
            .collect();
        records::append_many(tx, ACTION_RECORD, &ENTRY_COLUMNS, &rows).await?;
        Ok(())
    }

    /// Copies the history of one record to another (a lead's to its customer), in order.
    pub(crate) async fn copy_history(
        &self,
        tx: &mut Tx,
        from: (&Module, i64),
        to: (&Module, i64),
    ) -> Result<()> {
        let of_source = column_in("label", &[from.0.label]).and(column_in("action_id", &[from.1]));
        let mut columns = vec![("id", Kind::Int)];
        columns.extend_from_slice(&ENTRY_COLUMNS[2..]);
        let mut entries = rows(&mut *tx, ACTION_RECORD, &columns, &of_source).await?;
        entries.sort_by_key(|r| r[0].as_i64());
        let copies: Vec<Vec<Cell>> = entries
            .into_iter()
            .map(|entry| {
                let mut row = vec![Cell::Int(to.0.label), Cell::Int(to.1)];
                row.extend(entry.into_iter().skip(1));
                row
            })
            .collect();
        records::insert_many(&mut *tx, ACTION_RECORD, &ENTRY_COLUMNS, &copies).await?;
        Ok(())
    }

    /// The history of a record, newest first. A record that still exists needs the read
    /// right over it; a deleted one's history is the administrator's.
    pub async fn history(&self, actor: &Actor, query: HistoryQuery) -> Result<Vec<HistoryEntry>> {
        let HistoryQuery { module, id } = query;
        let exists = !records::matching_ids(&self.db, module.table, &[id], &Filter::True)
            .await?
            .is_empty();
        if exists {
            self.require_record(&self.db, actor, module, &[id], Right::Read, Reach::Read)
                .await?;
        } else {
            actor.require_admin()?;
        }
        let filter = column_in("label", &[module.label]).and(column_in("action_id", &[id]));
        let own = |column| Select {
            source: Source::Own(column),
            kind: Kind::Int,
        };
        let columns = [
            own("id"),
            own("create_user_id"),
            Select {
                source: Source::Own("create_time"),
                kind: Kind::DateTime,
            },
            Select {
                source: Source::Own("content"),
                kind: Kind::Text,
            },
            Select {
                source: Source::Joined {
                    alias: CREATOR.alias,
                    column: "realname",
                },
                kind: Kind::Text,
            },
            Select {
                source: Source::Joined {
                    alias: CREATOR.alias,
                    column: "img",
                },
                kind: Kind::Text,
            },
        ];
        let mut rows = joined_rows(&self.db, ACTION_RECORD, &[CREATOR], &columns, &filter).await?;
        rows.sort_by_key(|r| std::cmp::Reverse(r[0].as_i64()));
        Ok(rows
            .into_iter()
            .map(|r| HistoryEntry {
                id: r[0].as_i64().unwrap_or_default(),
                types: module.label.to_string(),
                action_id: id,
                create_user_id: r[1].as_i64().unwrap_or_default(),
                create_time: match &r[2] {
                    Cell::DateTime(t) => self.clock.render(*t),
                    _ => String::new(),
                },
                content: r[3]
                    .as_str()
                    .and_then(|c| serde_json::from_str(c).ok())
                    .unwrap_or_default(),
                realname: r[4].as_str().map(str::to_owned),
                img: r[5].as_str().map(str::to_owned),
            })
            .collect())
    }
}
