//! The field views the WukongCRM 9 web client renders: the columns of a list
//! (`field/queryListHead`, with each user's widths, order and hidden columns), the fields
//! of 高级筛选 (`scene/queryField`), and a record's 基本信息 tab (`field/information`).

use serde_json::{Map, Value, json};

use super::error::{Error, Result};
use super::fields::{MAP_ADDRESS_KEY, is_map_address_part, map_address_value, type_code};
use super::input::{Input, Parse};
use super::module::{Module, camel_case};
use super::{Actor, Crm};
use crate::store::columns::{self as store, ColumnRow};
use crate::store::fields::FieldRow;

/// The label J9 gives the pool's list; its columns are the customers'.
pub const POOL_LABEL: i64 = 9;

/// The width of a column nobody has resized.
const DEFAULT_WIDTH: i64 = 100;

/// Columns J9's list head adds after the catalogue's, by list label: row key, title, type
/// code. (Kept here, with the list head, because they are the J9 client's view of rows
/// every module already renders.)
fn head_extras(label: i64) -> &'static [(&'static str, &'static str, i64)] {
    match label {
        1 => &[("lastContent", "最后跟进记录", 1)],
        2 => &[
            ("dealStatus", "成交状态", 3),
            ("poolDay", "距进入公海客户天数", 5),
            ("lastTime", "最后跟进时间", 4),
            ("lastContent", "最后跟进记录", 1),
        ],
        POOL_LABEL => &[("dealStatus", "成交状态", 3), ("lastContent", "最后跟进记录", 1)],
        _ => &[],
    }
}

/// The columns every list ends with.
const COMMON_COLUMNS: [(&str, &str, i64); 4] = [
    ("updateTime", "更新时间", 4),
    ("createTime", "创建时间", 4),
    ("ownerUserName", "负责人", 1),
    ("createUserName", "创建人", 1),
];

/// The key of a field in list rows: a column's camelCase name (a reference's looked-up
/// name), a custom field's name.
pub fn row_key(def: &FieldRow) -> String {
    if !def.is_column() {
        return def.name.clone();
    }
    match def.form_type.as_str() {
        "customer" => "customerName".into(),
        "contacts" => "contactsName".into(),
        "business" => "businessName".into(),
        "category" => "categoryName".into(),
        "business_type" => "typeName".into(),
        "business_status" => "statusName".into(),
        _ => camel_case(&def.field_name),
    }
}

/// A list's label (`label`): a module's, or 9 for the pool.
#[derive(Clone, Copy, Debug)]
pub struct ListLabel {
    pub label: i64,
    pub module: &'static Module,
}

impl Parse for ListLabel {
    fn parse(input: Input<'_>) -> Result<Self> {
        let label = input
            .opt_i64("label")?
            .or(input.opt_i64("type")?)
            .ok_or_else(|| Error::bad("label不能为空"))?;
        let module_label = if label == POOL_LABEL { 2 } else { label };
        let module = super::modules::by_label(module_label)
            .ok_or_else(|| Error::bad(format!("label不符合要求：{label}")))?;
        Ok(ListLabel { label, module })
    }
}

/// `fieldConfig`: the shown columns in order (`noHideIds`) and the hidden ones (`hideIds`).
#[derive(Clone, Debug)]
pub struct ColumnChoice {
    pub list: ListLabel,
    pub shown: Vec<i64>,
    pub hidden: Vec<i64>,
}

impl Parse for ColumnChoice {
    fn parse(input: Input<'_>) -> Result<Self> {
        let shown = input.ids("noHideIds", "显示列不能为空")?;
        if shown.len() < 2 {
            return Err(Error::business("至少显示2列"));
        }
        let hidden = match input.raw("hideIds") {
            Some(_) => input.ids("hideIds", "隐藏列不能为空")?,
            None => vec![],
        };
        Ok(ColumnChoice {
            list: ListLabel::parse(input)?,
            shown,
            hidden,
        })
    }
}

/// `setFelidStyle`: a column's width for the caller (`types` such as `crm_customer`).
#[derive(Clone, Debug)]
pub struct ColumnWidth {
    pub label: i64,
    pub field: String,
    pub width: i64,
}

impl Parse for ColumnWidth {
    fn parse(input: Input<'_>) -> Result<Self> {
        let types = input.opt_str("types")?.unwrap_or_default();
        let label =
            label_of_types(types.trim()).ok_or_else(|| Error::bad(format!("types不符合要求：{types}")))?;
        let field = input
            .opt_text("field", "字段", 100)?
            .ok_or_else(|| Error::bad("字段不能为空"))?;
        let width = input
            .raw("width")
            .and_then(super::input::to_text)
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|w| w.is_finite() && (10.0..=2000.0).contains(w))
            .ok_or_else(|| Error::bad("宽度应为10到2000之间的数字"))?;
        Ok(ColumnWidth {
            label,
            field,
            width: width.round() as i64,
        })
    }
}

/// J9's name of a module on the wire (`crm_customer`): `crm` and the module's realm.
/// Written joined, as it is a wire value, not one of our tables.
pub fn wire_type(realm: &str) -> String {
    ["crm", realm].join("_")
}

/// J9's type names of the lists (`crm_customer`, …; `crm_customer_pool` is the pool).
fn label_of_types(types: &str) -> Option<i64> {
    if types == wire_type("customer_pool") {
        return Some(POOL_LABEL);
    }
    super::modules::ALL
        .iter()
        .find(|m| wire_type(m.realm) == types)
        .map(|m| m.label)
}

/// `field/information`: the record (`id`) of a module (`types`, a label).
#[derive(Clone, Copy, Debug)]
pub struct InformationQuery {
    pub module: &'static Module,
    pub id: i64,
}

impl Parse for InformationQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let label = input
            .opt_i64("types")?
            .or(input.opt_i64("label")?)
            .ok_or_else(|| Error::bad("types不能为空"))?;
        let module =
            super::modules::by_label(label).ok_or_else(|| Error::bad(format!("types不符合要求：{label}")))?;
        Ok(InformationQuery {
            module,
            id: input.i64("id", "id不能为空")?,
        })
    }
}

/// One column of a list before the caller's choices apply.
struct Column {
    key: String,
    name: String,
    type_code: i64,
    field_id: Option<i64>,
}

impl Crm {
    /// The columns of a list in catalogue order, then the list's extra and common ones.
    async fn default_columns(&self, list: ListLabel) -> Result<Vec<Column>> {
        let defs = self.field_defs(list.module).await?;
        let mut columns: Vec<Column> = defs
            .iter()
            .filter(|d| !is_map_address_part(d, &defs))
            .map(|d| Column {
                key: row_key(d),
                name: d.name.clone(),
                type_code: type_code(&d.form_type),
                field_id: Some(d.field_id),
            })
            .collect();
        let fixed = head_extras(list.label).iter().chain(COMMON_COLUMNS.iter());
        columns.extend(fixed.map(|&(key, name, type_code)| Column {
            key: key.into(),
            name: name.into(),
            type_code,
            field_id: None,
        }));
        Ok(columns)
    }

    /// The caller's column rows of a list, created (all shown, in default order) the first
    /// time and completed with columns added since (shown, at the end).
    async fn column_rows(&self, actor: &Actor, list: ListLabel) -> Result<Vec<ColumnRow>> {
        let columns = self.default_columns(list).await?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &[format!("columns:{}:{}", actor.id(), list.label)]).await?;
        let rows = store::of_user(&mut tx, actor.id(), list.label).await?;
        let next = rows.iter().map(|r| r.sort).max().unwrap_or(0) + 1;
        let missing: Vec<(&str, &str)> = columns
            .iter()
            .filter(|c| !rows.iter().any(|r| r.field_name == c.key))
            .map(|c| (c.key.as_str(), c.name.as_str()))
            .collect();
        if missing.is_empty() {
            return Ok(rows);
        }
        store::insert(&mut tx, actor.id(), list.label, next, &missing).await?;
        let rows = store::of_user(&mut tx, actor.id(), list.label).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// `field/queryListHead`: the caller's shown columns in their order, each with its
    /// `fieldName` (the key of the list rows), `name`, type and `width`.
    pub async fn list_head(&self, actor: &Actor, list: ListLabel) -> Result<Vec<Value>> {
        let columns = self.default_columns(list).await?;
        let rows = self.column_rows(actor, list).await?;
        let widths = store::widths(&self.db, actor.id(), list.label).await?;
        let mut head = Vec::with_capacity(columns.len());
        for row in rows.iter().filter(|r| r.is_hide == 0) {
            let Some(column) = columns.iter().find(|c| c.key == row.field_name) else {
                continue; // a field deleted since
            };
            let width = widths
                .iter()
                .find(|(f, _)| *f == column.key)
                .map_or(DEFAULT_WIDTH, |(_, w)| *w);
            head.push(json!({
                "fieldName": column.key, "name": column.name, "type": column.type_code,
                "formType": super::fields::form_type_of(column.type_code), "fieldId": column.field_id,
                "width": width,
            }));
        }
        Ok(head)
    }

    /// `field/queryFieldConfig`: `{value: [{id, name}] shown, hide_value: [...] hidden}`.
    pub async fn column_config(&self, actor: &Actor, list: ListLabel) -> Result<Value> {
        let columns = self.default_columns(list).await?;
        let rows = self.column_rows(actor, list).await?;
        let pick = |hidden: i64| -> Vec<Value> {
            rows.iter()
                .filter(|r| r.is_hide == hidden && columns.iter().any(|c| c.key == r.field_name))
                .map(|r| json!({"id": r.id, "name": r.name, "fieldName": r.field_name}))
                .collect()
        };
        Ok(json!({"value": pick(0), "hide_value": pick(1)}))
    }

    /// `field/fieldConfig`: the caller's shown columns in order and the hidden ones.
    pub async fn configure_columns(&self, actor: &Actor, choice: ColumnChoice) -> Result<()> {
        let rows = self.column_rows(actor, choice.list).await?;
        let ids: Vec<i64> = choice.shown.iter().chain(choice.hidden.iter()).copied().collect();
        if let Some(bad) = ids.iter().find(|id| !rows.iter().any(|r| r.id == **id)) {
            return Err(Error::business(format!("列不存在：{bad}")));
        }
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(
            &mut tx,
            &[format!("columns:{}:{}", actor.id(), choice.list.label)],
        )
        .await?;
        for (i, id) in choice.shown.iter().enumerate() {
            store::place(&mut tx, actor.id(), *id, i as i64 + 1, false).await?;
        }
        for id in &choice.hidden {
            store::place(&mut tx, actor.id(), *id, 0, true).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `field/setFelidStyle`: remembers a column's width for the caller.
    pub async fn set_column_width(&self, actor: &Actor, width: ColumnWidth) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let key = format!("width:{}:{}:{}", actor.id(), width.label, width.field);
        crate::store::serialize_on(&mut tx, &[key]).await?;
        store::set_width(&mut tx, actor.id(), width.label, &width.field, width.width).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `scene/queryField`: the fields 高级筛选 offers, `{fieldName, name, formType,
    /// setting}`: the catalogue's (references by the J9 client's condition types), then the
    /// owner, creator and times.
    pub async fn filter_fields(&self, list: ListLabel) -> Result<Vec<Value>> {
        let defs = self.field_defs(list.module).await?;
        let mut fields: Vec<Value> = defs
            .iter()
            .filter(|d| !is_map_address_part(d, &defs) && filterable(d))
            .map(|d| {
                let key = if d.is_column() {
                    d.field_name.clone()
                } else {
                    d.name.clone()
                };
                let form_type = if d.form_type == "textarea" {
                    "text"
                } else {
                    d.form_type.as_str()
                };
                let setting: Vec<&str> = super::fields::options(d);
                json!({"fieldName": key, "name": d.name, "formType": form_type, "setting": setting})
            })
            .collect();
        if list.module.field("deal_status").is_some() {
            let setting = json!([{"name": "未成交", "value": 0}, {"name": "已成交", "value": 1}]);
            fields.push(json!({"fieldName": "deal_status", "name": "成交状态", "formType": "dealStatus", "setting": setting}));
        }
        for (key, name, form_type) in [
            ("owner_user_id", "负责人", "user"),
            ("create_user_id", "创建人", "user"),
            ("update_time", "更新时间", "datetime"),
            ("create_time", "创建时间", "datetime"),
        ] {
            fields.push(json!({"fieldName": key, "name": name, "formType": form_type, "setting": []}));
        }
        Ok(fields)
    }

    /// `field/information`: the 基本信息 tab, each field `{name, value, formType, …}` typed as
    /// the J9 client renders it: users and departments as lists, references as
    /// `{xId, xName}`, 地区定位 as one object.
    pub async fn information(&self, actor: &Actor, query: InformationQuery) -> Result<Vec<Value>> {
        let InformationQuery { module, id } = query;
        let row = match self.record_detail(module, actor, id).await? {
            Value::Object(row) if !row.contains_key("dataAuth") => row,
            _ => return Err(Error::NoPermission),
        };
        let defs = self.field_defs(module).await?;
        let mut list = Vec::with_capacity(defs.len());
        for def in defs.iter().filter(|d| !is_map_address_part(d, &defs)) {
            let (form_type, value) = self.information_value(def, &row).await?;
            list.push(json!({
                "fieldId": def.field_id, "name": def.name, "formType": form_type, "value": value,
                "isNull": def.is_null, "isUnique": def.is_unique, "label": def.label,
            }));
        }
        Ok(list)
    }

    /// One field's type and value on the 基本信息 tab.
    async fn information_value(&self, def: &FieldRow, row: &Map<String, Value>) -> Result<(String, Value)> {
        let form_type = def.form_type.clone();
        let reference = |id_key: &str, name_key: &str| {
            let mut value = Map::new();
            value.insert(id_key.into(), row.get(id_key).cloned().unwrap_or(Value::Null));
            value.insert(name_key.into(), row.get(name_key).cloned().unwrap_or(json!("")));
            Value::Object(value)
        };
        Ok(match form_type.as_str() {
            MAP_ADDRESS_KEY => (form_type, map_address_value(def, row)),
            "customer" => (form_type, reference("customerId", "customerName")),
            "contacts" => (form_type, reference("contactsId", "contactsName")),
            "business" => (form_type, reference("businessId", "businessName")),
            "business_type" => ("typeName".into(), reference("typeId", "typeName")),
            "business_status" => ("statusName".into(), reference("statusId", "statusName")),
            "user" | "structure" => {
                let mut value = self.edit_value(def, row).await?;
                // The tab reads a department's `deptName`.
                for dept in value.as_array_mut().into_iter().flatten() {
                    if let Some(name) = dept.get("name").cloned() {
                        dept["deptName"] = name;
                    }
                }
                (form_type, value)
            }
            _ => {
                let key = if def.is_column() {
                    camel_case(&def.field_name)
                } else {
                    def.name.clone()
                };
                let value = row
                    .get(&key)
                    .cloned()
                    .filter(|v| !v.is_null())
                    .unwrap_or(json!(""));
                (form_type, value)
            }
        })
    }
}

/// Fields 高级筛选 can offer: the list language has no condition on a reference by name.
fn filterable(def: &FieldRow) -> bool {
    !matches!(
        def.form_type.as_str(),
        "customer" | "contacts" | "business" | "business_status" | "file"
    )
}
