//! Custom-field administration as the WukongCRM 9 client does it: a module's whole field
//! list read (`field/list`) and saved in one call (`field/save`: added, changed, reordered
//! and removed fields in one transaction; values of kept fields stay under their keys).

use serde_json::{Map, Value, json};

use super::columns::wire_type;
use super::error::{Error, Result};
use super::fields::{FieldDefinition, field_json, indexed, module_of, name_taken, new_field_key};
use super::input::{Input, Parse, Unparsed};
use super::module::Module;
use super::{Actor, Crm};
use crate::store::fields::{self as store, FieldRow};
use crate::store::records;

/// J9's `operating` of a field in the administration page: 0 may be changed and removed,
/// 3 neither (the fixed columns).
fn operating(def: &FieldRow) -> i64 {
    if def.is_column() { 3 } else { 0 }
}

/// One field of a `field/save`: an existing one (`fieldId`) or a new one, as defined.
#[derive(Clone, Debug)]
pub struct FieldItem {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub definition: FieldDefinition,
}

/// `field/save`: a module (`label`) and its whole field list in order (`data`).
#[derive(Clone, Debug)]
pub struct FieldSet {
    pub module: &'static Module,
    pub items: Vec<FieldItem>,
}

/// The most fields one module may have.
const MAX_FIELDS: usize = 500;

/// An item as the client sends it, made readable by `FieldDefinition`: list values (a
/// checkbox's default) comma-joined, empty objects and arrays dropped.
fn plain_item(item: &Map<String, Value>) -> Map<String, Value> {
    item.iter()
        .filter_map(|(k, v)| match v {
            Value::Array(a) if a.is_empty() => None,
            Value::Object(o) if o.is_empty() => None,
            Value::Array(a) if k != "setting" => Some((
                k.clone(),
                Value::String(
                    a.iter()
                        .filter_map(super::input::to_text)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            )),
            _ => Some((k.clone(), v.clone())),
        })
        .collect()
}

impl Parse for FieldSet {
    fn parse(input: Input<'_>) -> Result<Self> {
        let module = module_of(input.opt_i64("label")?)?;
        let data = input.array("data")?;
        if data.len() > MAX_FIELDS {
            return Err(Error::bad(format!("字段不能超过{MAX_FIELDS}个")));
        }
        let mut items = Vec::with_capacity(data.len());
        for (i, item) in data.iter().enumerate() {
            let mut item = item
                .as_object()
                .map(plain_item)
                .ok_or_else(|| Error::bad(format!("第{}个字段格式错误", i + 1)))?;
            let id = Input(&item).opt_i64("fieldId")?;
            if id.is_some() {
                // A kept field's type never changes; the client resends it as it read it,
                // a system field's too (地区定位's `map_address`, no custom field's type).
                item.remove("formType");
            }
            let definition = FieldDefinition::parse(Input(&item))
                .map_err(|e| Error::bad(format!("第{}个字段：{e}", i + 1)))?;
            items.push(FieldItem {
                id,
                name: definition.name.clone(),
                definition,
            });
        }
        let mut names: Vec<&str> = items.iter().filter_map(|i| i.name.as_deref()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::business("自定义表单名称不能重复！"));
        }
        Ok(FieldSet { module, items })
    }
}

impl Crm {
    /// `field/list`: every field of a module in form order, hidden ones too, each with its
    /// `operating`.
    pub async fn field_list(&self, actor: &Actor, module: super::columns::ListLabel) -> Result<Vec<Value>> {
        actor.require_admin()?;
        let defs = store::of_label(&self.db, module.module.label, true).await?;
        Ok(defs
            .iter()
            .map(|d| {
                let mut field = field_json(d, Value::String(d.default_value.clone()));
                field["operating"] = json!(operating(d));
                field
            })
            .collect())
    }

    /// `field/queryFields`: the modules whose fields can be administered, each with when its
    /// fields last changed (`updateTime`; 0 when never, which the client shows as 暂无).
    pub async fn field_modules(&self) -> Result<Vec<Value>> {
        let changes = store::last_changes(&self.db).await?;
        Ok(super::modules::ALL
            .iter()
            .map(|m| {
                let changed = changes
                    .iter()
                    .find(|(label, _)| *label == m.label)
                    .and_then(|(_, t)| *t)
                    .map_or(json!(0), |t| json!(self.clock.render(t)));
                json!({"label": m.label, "name": format!("{}管理", m.title), "types": wire_type(m.realm), "updateTime": changed})
            })
            .collect())
    }

    /// `field/save`: the module's field list becomes `items`, in that order, in one
    /// transaction: named fields are changed, new ones added, custom fields not named
    /// removed (their values stay in the rows, unshown). Fixed fields cannot be removed.
    pub async fn save_fields(&self, actor: &Actor, request: Unparsed<'_, FieldSet>) -> Result<()> {
        actor.require_admin()?;
        let FieldSet { module, items } = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::schema_lock(&mut tx).await?;
        let existing = store::of_label(&mut tx, module.label, true).await?;
        if let Some(bad) = items
            .iter()
            .filter_map(|i| i.id)
            .find(|id| !existing.iter().any(|d| d.field_id == *id))
        {
            return Err(Error::business(format!("字段不存在：{bad}")));
        }
        let kept = |d: &FieldRow| items.iter().any(|i| i.id == Some(d.field_id));
        if let Some(fixed) = existing.iter().find(|d| d.is_column() && !kept(d)) {
            return Err(Error::business(format!("系统字段不能删除：{}", fixed.name)));
        }
        for gone in existing.iter().filter(|d| !kept(d)) {
            store::delete(&mut tx, gone.field_id).await?;
            records::drop_custom_index(&mut tx, module.table, gone.field_id).await?;
        }
        for (i, item) in items.into_iter().enumerate() {
            let sorting = i as i64 + 1;
            let current = item.id.and_then(|id| existing.iter().find(|d| d.field_id == id));
            let id = match current {
                Some(def) if def.is_column() => def.field_id,
                Some(def) => {
                    let draft = self.definition(item.definition, Some(def))?;
                    store::update(&mut tx, def.field_id, &draft.fields())
                        .await
                        .map_err(name_taken)?;
                    def.field_id
                }
                None => {
                    let draft = self.definition(item.definition, None)?;
                    let key = new_field_key();
                    let id = store::insert(&mut tx, module.label, &key, sorting, &draft.fields())
                        .await
                        .map_err(name_taken)?;
                    if indexed(&draft.form_type) {
                        records::create_custom_index(&mut tx, module.table, id, &key).await?;
                    }
                    id
                }
            };
            store::set_sorting(&mut tx, id, sorting).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
