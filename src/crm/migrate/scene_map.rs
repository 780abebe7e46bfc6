//! WukongCRM 9 scenes (`admin_scene`) and default scenes (`admin_scene_default`) as wkcrm's.
//!
//! A J9 system scene stores its rule frozen at its creation (`owner_user_id is 2`, the
//! subordinates of that day); wkcrm's system scenes apply theirs live. So a system scene
//! whose name is one of the module's system scenes comes over as that wkcrm scene (its id
//! kept, its conditions and rule wkcrm's), and wkcrm adds the system scenes J9 lacks (我关注的…)
//! on first use as it does for anyone. Custom scenes keep their conditions, converted where
//! J9 and wkcrm read them differently, and checked by the list language itself: a scene it
//! refuses is reported, not half-migrated.

use serde_json::{Map, Value, json};

use super::cells::{Mapping, int_or, mapped, required_text, time_or_created};
use super::{Context, Row};
use crate::crm::filter::{self, Catalog};
use crate::crm::module::Module;
use crate::crm::modules::{self, PRODUCT, SHELF_COLUMN, SHELF_FIELD, shelf_status};
use crate::store::Cell;
use crate::store::explicit_ids as dest;

pub(super) fn scene(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let label = row.int("type").unwrap_or_default();
    let module =
        modules::by_label(label).ok_or_else(|| format!("模块不迁移：场景所属模块（type {label}）"))?;
    let name = required_text(row, "name", "场景名称")?;
    let system = match (&name, row.int("is_system")) {
        (Cell::Text(n), Some(1)) => module.system_scenes.iter().find(|s| s.name == n.as_str()),
        _ => None,
    };
    // A system scene renamed in J9 (its updateScene allowed it) keeps its frozen conditions
    // as a custom scene.
    let (data, bydata, is_system, is_hide) = match system {
        Some(s) => (s.data.to_owned(), Cell::Text(s.bydata.into()), 1, Cell::Int(0)),
        None => (
            custom_data(ctx, module, row)?,
            Cell::Null,
            0,
            int_or(row, "is_hide", 0),
        ),
    };
    mapped(
        row,
        &dest::SCENE,
        vec![
            ("scene_id", Cell::Int(row.id())),
            ("type", Cell::Int(label)),
            ("user_id", int_or(row, "user_id", 0)),
            ("name", name),
            ("sort", int_or(row, "sort", 0)),
            ("data", Cell::Text(data)),
            ("is_hide", is_hide),
            ("is_system", Cell::Int(is_system)),
            ("bydata", bydata),
            ("create_time", time_or_created(ctx, row, "create_time")),
        ],
    )
}

pub(super) fn scene_default(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::SCENE_DEFAULT,
        vec![
            ("type", int_or(row, "type", 0)),
            ("user_id", int_or(row, "user_id", 0)),
            ("scene_id", int_or(row, "scene_id", 0)),
        ],
    )
}

/// A custom scene's conditions as wkcrm stores them, or why they cannot come over.
fn custom_data(ctx: &Context<'_>, module: &'static Module, row: &Row<'_>) -> Result<String, String> {
    let text = row.text("data").unwrap_or_default().trim();
    let mut data = if text.is_empty() {
        Map::new()
    } else {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(data)) => data,
            _ => return Err("格式错误：场景条件不是 JSON 对象".into()),
        }
    };
    convert(module, &mut data);
    let defs = ctx.defs.get(&module.label).map(Vec::as_slice).unwrap_or_default();
    let catalog = Catalog {
        module,
        defs,
        clock: ctx.crm.clock,
    };
    let owner = row.int("user_id").unwrap_or_default();
    filter::conditions(&catalog, &data, owner).map_err(|e| format!("场景条件无法迁移：{e}"))?;
    Ok(Value::Object(data).to_string())
}

/// Where J9 and wkcrm read the same conditions differently.
fn convert(module: &Module, data: &mut Map<String, Value>) {
    // J9 applies a module's default conditions (leads: not converted) only when no scene is
    // chosen; wkcrm applies them under a scene that does not name the field. A blank
    // condition names it and filters nothing, so the scene lists what it listed in J9.
    let defaults: Map<String, Value> = serde_json::from_str(module.default_conditions).unwrap_or_default();
    for key in defaults.keys() {
        if !data.contains_key(key) {
            data.insert(key.clone(), json!({"name": key, "condition": "is", "value": ""}));
        }
    }
    // J9 filters products on its 是否上下架 field by text; wkcrm on the status column.
    if module.label == PRODUCT.label
        && let Some(Value::Object(mut spec)) = data.remove(SHELF_FIELD)
    {
        let text = spec.get("value").and_then(Value::as_str).unwrap_or_default();
        if let Some(status) = shelf_status(text) {
            spec.insert("value".into(), json!(status));
        }
        spec.insert("name".into(), json!(SHELF_COLUMN));
        data.insert(SHELF_COLUMN.into(), Value::Object(spec));
    }
}
