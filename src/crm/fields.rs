//! The field catalogue: `queryField`, custom-field administration, and the checks every
//! save runs (required, unique, type and format).

use chrono::NaiveDate;
use serde_json::{Map, Number, Value, json};

use super::error::{Error, Result};
use super::input::{Input, Parse, Unparsed, is_blank, parse_ids, to_i64, to_text};
use super::module::Module;
use super::{Actor, Clock, Crm};
use crate::store::fields::{self as store, FieldFields, FieldRow};
use crate::store::{Cell, Exec, Filter, Kind, Op, StoreError, Target, Tx, org, records, users};

/// The form types an administrator may give a custom field.
pub const CUSTOM_FORM_TYPES: [&str; 15] = [
    "text",
    "textarea",
    "select",
    "checkbox",
    "number",
    "floatnumber",
    "mobile",
    "email",
    "date",
    "datetime",
    "user",
    "structure",
    "website",
    "address",
    "boolean_value",
];

/// The columns a `map_address` field stands for besides its own (`address`), with their
/// row keys: the J9 client edits and shows them inside 地区定位.
const MAP_ADDRESS_PARTS: [(&str, &str); 4] = [
    ("detail_address", "detailAddress"),
    ("location", "location"),
    ("lng", "lng"),
    ("lat", "lat"),
];

/// The key a `map_address` field has in J9's forms, whatever its column.
pub const MAP_ADDRESS_KEY: &str = "map_address";

/// Whether `def` is one of the columns a `map_address` field of `defs` already carries.
pub fn is_map_address_part(def: &FieldRow, defs: &[FieldRow]) -> bool {
    def.is_column()
        && MAP_ADDRESS_PARTS.iter().any(|(c, _)| *c == def.field_name)
        && defs.iter().any(|d| d.form_type == MAP_ADDRESS_KEY)
}

/// A `map_address` field's value from a rendered row: `{address, detailAddress, location,
/// lng, lat}`.
pub fn map_address_value(def: &FieldRow, row: &Map<String, Value>) -> Value {
    let text = |key: &str| {
        row.get(key)
            .cloned()
            .filter(|v| !v.is_null())
            .unwrap_or(json!(""))
    };
    let mut value = Map::new();
    value.insert(
        "address".into(),
        text(&super::module::camel_case(&def.field_name)),
    );
    for (_, key) in MAP_ADDRESS_PARTS {
        value.insert(key.into(), text(key));
    }
    Value::Object(value)
}

/// The longest text a field takes when its definition sets no limit.
pub const TEXT_MAX: usize = 5000;

/// WukongCRM's numeric code of a form type (`FieldEnum`).
pub fn type_code(form_type: &str) -> i64 {
    match form_type {
        "text" => 1,
        "textarea" => 2,
        "select" => 3,
        "date" => 4,
        "number" => 5,
        "floatnumber" => 6,
        "mobile" => 7,
        "file" => 8,
        "checkbox" => 9,
        "user" => 10,
        "structure" => 12,
        "datetime" => 13,
        "email" => 14,
        "customer" => 15,
        "business" => 16,
        "contacts" => 17,
        "map_address" => 18,
        "category" => 19,
        "address" => 24,
        "website" => 25,
        "boolean_value" => 41,
        _ => 0,
    }
}

/// The form type of a J9 type code (the inverse of `type_code`; `text` for unknown codes).
pub fn form_type_of(code: i64) -> &'static str {
    const TYPES: [&str; 21] = [
        "text",
        "textarea",
        "select",
        "date",
        "number",
        "floatnumber",
        "mobile",
        "file",
        "checkbox",
        "user",
        "structure",
        "datetime",
        "email",
        "customer",
        "business",
        "contacts",
        "map_address",
        "category",
        "address",
        "website",
        "boolean_value",
    ];
    TYPES.into_iter().find(|t| type_code(t) == code).unwrap_or("text")
}

/// The options of a select or checkbox field.
pub fn options(def: &FieldRow) -> Vec<&str> {
    def.options
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect()
}

/// `13800000000`, `+86-13800000000`: 6 to 15 digits, an optional leading `+` and one `-`.
fn is_mobile(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    body.chars().all(|c| c.is_ascii_digit() || c == '-')
        && body.matches('-').count() <= 1
        && (6..=15).contains(&digits)
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

/// The format check of a text value by form type (fixed columns and custom fields alike).
pub fn check_format(def: &FieldRow, text: &str) -> Result<()> {
    let name = &def.name;
    match def.form_type.as_str() {
        "mobile" if !is_mobile(text) => Err(Error::bad(format!("{name}格式错误，应为6到15位数字的手机号"))),
        "email" if !is_email(text) => Err(Error::bad(format!("{name}格式错误，应为邮箱地址"))),
        _ => Ok(()),
    }
}

pub(crate) fn list_items(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(to_text).collect(),
        other => to_text(other)
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    }
}

/// Checks and normalises a value of a JSON-stored field: numbers become JSON numbers,
/// dates `yyyy-MM-dd`, datetimes `yyyy-MM-dd HH:mm:ss` (local), checkboxes and user or
/// department lists comma-joined; blanks become null.
pub fn normalize(def: &FieldRow, value: &Value, clock: &Clock) -> Result<Value> {
    if is_blank(value) || value.as_array().is_some_and(Vec::is_empty) {
        return Ok(Value::Null);
    }
    let name = &def.name;
    let text = || to_text(value).ok_or_else(|| Error::bad(format!("{name}的值格式错误")));
    Ok(match def.form_type.as_str() {
        "number" => Value::from(to_i64(value).ok_or_else(|| Error::bad(format!("{name}应为整数")))?),
        "floatnumber" => {
            let t = text()?;
            let n: f64 = t
                .trim()
                .parse()
                .ok()
                .filter(|n: &f64| n.is_finite())
                .ok_or_else(|| Error::bad(format!("{name}应为数字")))?;
            let decimals = t.trim().split_once('.').map_or(0, |(_, d)| d.len()) as i64;
            if let Some(p) = def.precisions.filter(|p| decimals > *p) {
                return Err(Error::bad(format!("{name}最多{p}位小数")));
            }
            Value::Number(Number::from_f64(n).unwrap_or_else(|| Number::from(0)))
        }
        "boolean_value" => match text()?.trim() {
            "1" | "true" | "是" => Value::from(1),
            "0" | "false" | "否" => Value::from(0),
            _ => return Err(Error::bad(format!("{name}应为是或否"))),
        },
        "select" => {
            let t = text()?;
            if !options(def).contains(&t.as_str()) {
                return Err(Error::bad(format!("{name}的值不在可选项中：{t}")));
            }
            Value::String(t)
        }
        "checkbox" => {
            let chosen = list_items(value);
            let allowed = options(def);
            if let Some(bad) = chosen.iter().find(|c| !allowed.contains(&c.as_str())) {
                return Err(Error::bad(format!("{name}的值不在可选项中：{bad}")));
            }
            let ordered: Vec<&str> = allowed
                .into_iter()
                .filter(|o| chosen.iter().any(|c| c == o))
                .collect();
            Value::String(ordered.join(","))
        }
        "user" | "structure" => {
            let ids = parse_ids(&Value::String(list_items(value).join(",")))
                .ok_or_else(|| Error::bad(format!("{name}应为以英文逗号分隔的id")))?;
            Value::String(ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
        }
        "date" => {
            let t = text()?;
            let d = NaiveDate::parse_from_str(t.trim().get(..10).unwrap_or(""), "%Y-%m-%d")
                .map_err(|_| Error::bad(format!("{name}日期格式错误，例:2020-01-01")))?;
            Value::String(d.format("%Y-%m-%d").to_string())
        }
        "datetime" => {
            let utc = clock.parse_field(name, &text()?)?;
            Value::String(clock.render(utc))
        }
        _ => {
            let t = text()?;
            check_format(def, &t)?;
            let max = def.max_length.map_or(TEXT_MAX, |m| m as usize);
            if t.chars().count() > max {
                return Err(Error::bad(format!("{name}长度不能超过{max}个字符")));
            }
            Value::String(t)
        }
    })
}

/// A catalogue entry in the seed's `queryField` shape, with `value` filled in.
pub(crate) fn field_json(def: &FieldRow, value: Value) -> Value {
    let setting: Vec<&str> = if matches!(def.form_type.as_str(), "select" | "checkbox") {
        options(def)
    } else {
        vec![]
    };
    json!({
        "fieldId": def.field_id, "fieldName": def.field_name, "name": def.name, "formType": def.form_type,
        "type": type_code(&def.form_type), "label": def.label, "setting": setting, "options": def.options,
        "isNull": def.is_null, "isUnique": def.is_unique, "defaultValue": def.default_value,
        "inputTips": def.input_tips, "maxLength": def.max_length, "precisions": def.precisions,
        "sorting": def.sorting, "isHidden": def.is_hidden, "authLevel": 3, "fieldType": def.field_type,
        "value": value,
    })
}

/// The module of a catalogue label.
pub(crate) fn module_of(label: Option<i64>) -> Result<&'static Module> {
    let label = label.ok_or_else(|| Error::bad("label不能为空"))?;
    super::modules::by_label(label).ok_or_else(|| Error::bad(format!("label不符合要求：{label}")))
}

impl Crm {
    /// `queryField`: the fields of a module in form order; with `id`, each with that
    /// record's current value, for an edit form.
    pub async fn query_field(&self, actor: &Actor, query: FieldQuery) -> Result<Value> {
        let FieldQuery { module, record } = query;
        let defs = store::of_label(&self.db, module.label, false).await?;
        let record = match record {
            None => None,
            Some(id) => match self.record_detail(module, actor, id).await? {
                Value::Object(row) if !row.contains_key("dataAuth") => Some(row),
                _ => return Err(Error::NoPermission),
            },
        };
        let mut list = Vec::with_capacity(defs.len());
        for def in defs.iter().filter(|d| !is_map_address_part(d, &defs)) {
            let value = match &record {
                None => Value::String(def.default_value.clone()),
                Some(row) if def.form_type == MAP_ADDRESS_KEY => map_address_value(def, row),
                Some(row) => self.edit_value(def, row).await?,
            };
            let mut field = field_json(def, value);
            if def.form_type == MAP_ADDRESS_KEY {
                // The J9 client sends a field keyed so as address, detailAddress, location,
                // lng and lat; under any other key it sends the whole object.
                field["fieldName"] = Value::from(MAP_ADDRESS_KEY);
            }
            list.push(field);
        }
        Ok(Value::Array(list))
    }

    /// A record's value of one field as an edit form wants it: checkboxes as arrays,
    /// users as `[{userId, realname}]`, departments as `[{deptId, name}]`.
    pub(crate) async fn edit_value(&self, def: &FieldRow, row: &Map<String, Value>) -> Result<Value> {
        let key = if def.is_column() {
            super::module::camel_case(&def.field_name)
        } else {
            def.name.clone()
        };
        let value = row.get(&key).cloned().unwrap_or(Value::Null);
        Ok(match def.form_type.as_str() {
            "checkbox" => Value::Array(list_items(&value).into_iter().map(Value::String).collect()),
            "user" => {
                let mut out = Vec::new();
                for id in list_items(&value).iter().filter_map(|i| i.parse::<i64>().ok()) {
                    if let Some(u) = users::by_id(&self.db, id).await? {
                        out.push(json!({"userId": id, "realname": u.realname}));
                    }
                }
                Value::Array(out)
            }
            "structure" => {
                let depts = org::depts(&self.db).await?;
                let ids: Vec<i64> = list_items(&value).iter().filter_map(|i| i.parse().ok()).collect();
                Value::Array(
                    depts
                        .iter()
                        .filter(|d| ids.contains(&d.dept_id))
                        .map(|d| json!({"deptId": d.dept_id, "name": d.name}))
                        .collect(),
                )
            }
            _ => value,
        })
    }

    /// The visible fields of a module (fixed and custom).
    pub(crate) async fn field_defs(&self, module: &Module) -> Result<Vec<FieldRow>> {
        Ok(store::of_label(&self.db, module.label, false).await?)
    }

    /// The field `id`, of any module, hidden or not.
    async fn def(&self, id: i64) -> Result<FieldRow> {
        store::by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::business(format!("字段不存在：{id}")))
    }

    /// The definition `request` describes, merged over `current` and checked as a whole.
    pub(crate) fn definition(
        &self,
        request: FieldDefinition,
        current: Option<&FieldRow>,
    ) -> Result<FieldDraft> {
        let name = request
            .name
            .or(current.map(|c| c.name.clone()))
            .ok_or_else(|| Error::bad("字段名称不能为空"))?;
        let form_type = match (request.form_type, current) {
            (Some(t), Some(c)) if t != c.form_type => return Err(Error::bad("字段类型不能修改")),
            (Some(t), _) => t,
            (None, Some(c)) => c.form_type.clone(),
            (None, None) => return Err(Error::bad("字段类型不能为空")),
        };
        let options = request
            .options
            .or(current.map(|c| c.options.clone()))
            .unwrap_or_default();
        if matches!(form_type.as_str(), "select" | "checkbox") && options.is_empty() {
            return Err(Error::bad("选项不能为空"));
        }
        let draft = FieldDraft {
            name,
            form_type,
            options,
            is_null: request.is_null.or(current.map(|c| c.is_null)).unwrap_or(0) == 1,
            is_unique: request.is_unique.or(current.map(|c| c.is_unique)).unwrap_or(0) == 1,
            default_value: request
                .default_value
                .or(current.map(|c| c.default_value.clone()))
                .unwrap_or_default(),
            input_tips: request.input_tips.or(current.and_then(|c| c.input_tips.clone())),
            max_length: request.max_length.or(current.and_then(|c| c.max_length)),
            precisions: request.precisions.or(current.and_then(|c| c.precisions)),
        };
        if !draft.default_value.is_empty() {
            let probe = draft.as_row(current.map_or(0, |c| c.label));
            normalize(&probe, &Value::String(draft.default_value.clone()), &self.clock)?;
        }
        Ok(draft)
    }

    /// `addField`: a custom field of a module; answers its id.
    pub async fn add_field(&self, actor: &Actor, request: Unparsed<'_, NewField>) -> Result<i64> {
        actor.require_admin()?;
        let NewField { module, definition } = request.parse()?;
        let draft = self.definition(definition, None)?;
        let existing = store::of_label(&self.db, module.label, true).await?;
        let sorting = existing.iter().map(|d| d.sorting).max().unwrap_or(0) + 1;
        let field_name = new_field_key();
        let mut tx = self.db.begin().await?;
        crate::store::schema_lock(&mut tx).await?;
        let id = store::insert(&mut tx, module.label, &field_name, sorting, &draft.fields())
            .await
            .map_err(name_taken)?;
        if indexed(&draft.form_type) {
            records::create_custom_index(&mut tx, module.table, id, &field_name).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Makes sure every custom field that filters use has its index (run at start, so
    /// seeded fields and fields added by any instance are covered).
    pub async fn ensure_custom_indexes(&self) -> Result<()> {
        let mut tx = self.db.begin().await?;
        crate::store::schema_lock(&mut tx).await?;
        for module in super::modules::ALL {
            for def in store::of_label(&mut tx, module.label, true).await? {
                if !def.is_column() && indexed(&def.form_type) {
                    records::create_custom_index(&mut tx, module.table, def.field_id, &def.field_name)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// `updateField`: changes a custom field (its type stays; values stay under its key).
    pub async fn update_field(&self, actor: &Actor, request: Unparsed<'_, FieldChange>) -> Result<()> {
        actor.require_admin()?;
        let FieldChange { id, definition } = request.parse()?;
        let def = self.def(id).await?;
        if def.is_column() {
            return Err(Error::business("系统字段不能修改"));
        }
        let draft = self.definition(definition, Some(&def))?;
        store::update(&self.db, def.field_id, &draft.fields())
            .await
            .map_err(name_taken)?;
        Ok(())
    }

    /// `deleteField`: the definition goes; stored values are left and no longer shown.
    pub async fn delete_field(&self, actor: &Actor, request: Unparsed<'_, FieldRef>) -> Result<()> {
        actor.require_admin()?;
        let FieldRef(id) = request.parse()?;
        let def = self.def(id).await?;
        if def.is_column() {
            return Err(Error::business("系统字段不能删除"));
        }
        store::delete(&self.db, def.field_id).await?;
        records::drop_custom_index(&self.db, module_of(Some(def.label))?.table, def.field_id).await?;
        Ok(())
    }

    /// `sortField`: `fieldIds` in the new form order.
    pub async fn sort_fields(&self, actor: &Actor, request: Unparsed<'_, FieldOrder>) -> Result<()> {
        actor.require_admin()?;
        let FieldOrder { module, ids } = request.parse()?;
        let defs = store::of_label(&self.db, module.label, true).await?;
        if let Some(bad) = ids.iter().find(|id| !defs.iter().any(|d| d.field_id == **id)) {
            return Err(Error::business(format!("字段不存在：{bad}")));
        }
        let mut tx = self.db.begin().await?;
        for (i, id) in ids.iter().enumerate() {
            store::set_sorting(&mut tx, *id, i as i64 + 1).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `setFieldHidden`: hides or shows a field; required and fixed fields stay visible.
    pub async fn set_field_hidden(
        &self,
        actor: &Actor,
        request: Unparsed<'_, FieldVisibility>,
    ) -> Result<()> {
        actor.require_admin()?;
        let FieldVisibility { id, hidden } = request.parse()?;
        let def = self.def(id).await?;
        if hidden && (def.is_column() || def.is_null == 1) {
            return Err(Error::business("系统字段和必填字段不能隐藏"));
        }
        store::set_hidden(&self.db, def.field_id, hidden).await?;
        Ok(())
    }

    /// `verify`: would `value` pass the field's checks (format, uniqueness) for the record
    /// `id` (or a new one)?
    pub async fn verify_field(&self, check: FieldCheck) -> Result<()> {
        let def = self.def(check.id).await?;
        let module = module_of(Some(def.label))?;
        let own = check.record_of(module);
        let value = check.value;
        if def.is_column() {
            if let Some(text) = to_text(&value) {
                check_format(&def, &text)?;
            }
        } else {
            normalize(&def, &value, &self.clock)?;
        }
        if def.is_unique == 1 && !is_blank(&value) {
            // A read on the pool: no write transaction, no lock (nothing is written here).
            let value = UniqueValue::new(&def, &value, &self.clock)?;
            check_unique(&self.db, module, &[value], own).await?;
        }
        Ok(())
    }
}

/// A JSON value as a condition cell: numbers stay numbers, everything else is text.
pub(crate) fn json_cell(value: &Value) -> (Kind, Cell) {
    match value {
        Value::Number(n) if n.is_i64() => (Kind::Int, Cell::Int(n.as_i64().unwrap_or_default())),
        Value::Number(n) => (Kind::Float, Cell::Float(n.as_f64().unwrap_or_default())),
        other => (Kind::Text, Cell::Text(to_text(other).unwrap_or_default())),
    }
}

/// A value given to a unique field, normalised as it is stored.
pub(crate) struct UniqueValue<'a> {
    def: &'a FieldRow,
    target: Target,
    kind: Kind,
    cell: Cell,
}

impl<'a> UniqueValue<'a> {
    pub(crate) fn new(def: &'a FieldRow, value: &Value, clock: &Clock) -> Result<Self> {
        let (target, (kind, cell)) = if def.is_column() {
            (Target::Column(def.field_name.clone()), json_cell(value))
        } else {
            (
                Target::Custom(def.field_name.clone()),
                json_cell(&normalize(def, value, clock)?),
            )
        };
        Ok(UniqueValue {
            def,
            target,
            kind,
            cell,
        })
    }

    /// The lock key of this value: writers of the same value of the same field queue.
    fn lock_key(&self, module: &Module) -> String {
        format!("unique:{}:{}:{:?}", module.label, self.def.field_name, self.cell)
    }
}

/// Fails with `<名>已存在` when another record of the module (not `own`) holds one of
/// `values`. The check and the write that follows it are atomic: every writer of one of the
/// same values waits here until the transaction that got there first has ended, so under any
/// concurrency and on any number of instances only one of them finds the value free.
pub(crate) async fn require_unique(
    tx: &mut Tx,
    module: &Module,
    values: &[UniqueValue<'_>],
    own: Option<i64>,
) -> Result<()> {
    let keys: Vec<String> = values.iter().map(|v| v.lock_key(module)).collect();
    crate::store::serialize_on(tx, &keys).await?;
    check_unique(tx, module, values, own).await
}

/// The check of `require_unique` alone, on any executor: a read that takes no lock, so its
/// answer holds only for the moment it was read (enough for `verify`, which writes nothing).
pub(crate) async fn check_unique<'a>(
    exec: impl Into<Exec<'a>>,
    module: &Module,
    values: &[UniqueValue<'_>],
    own: Option<i64>,
) -> Result<()> {
    let mut exec = exec.into();
    for value in values {
        let mut same = Filter::Compare {
            target: value.target.clone(),
            op: Op::Eq,
            kind: value.kind,
            value: value.cell.clone(),
        };
        if let Some(own) = own {
            same = same.and(Filter::Not(Box::new(super::rows::column_in(
                module.id_column(),
                &[own],
            ))));
        }
        if records::count(exec.reborrow(), module.table, &same).await? > 0 {
            return Err(Error::business(format!("{}已存在", value.def.name)));
        }
    }
    Ok(())
}

/// The record of the module holding one of `values`, if any (an import's duplicate).
pub(crate) async fn holder<'a>(
    exec: impl Into<Exec<'a>>,
    module: &Module,
    values: &[UniqueValue<'_>],
) -> Result<Option<i64>> {
    let mut exec = exec.into();
    for value in values {
        let same = Filter::Compare {
            target: value.target.clone(),
            op: Op::Eq,
            kind: value.kind,
            value: value.cell.clone(),
        };
        let found = super::rows::rows(
            exec.reborrow(),
            module.table,
            &[(module.id_column(), Kind::Int)],
            &same,
        )
        .await?;
        if let Some(id) = found.first().and_then(|r| r[0].as_i64()) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

impl UniqueValue<'_> {
    /// The key that names this value among others (its lock key).
    pub(crate) fn key(&self, module: &Module) -> String {
        self.lock_key(module)
    }

    /// `check_unique`'s refusal of this value: `<名>已存在`.
    pub(crate) fn taken(&self) -> Error {
        Error::business(format!("{}已存在", self.def.name))
    }
}

/// The record holding each of `values` (by `UniqueValue::key`; the lowest id when several
/// do), one query per field and kind however many values a batch brings (an import's).
pub(crate) async fn holders<'a>(
    exec: impl Into<Exec<'a>>,
    module: &Module,
    values: &[&UniqueValue<'_>],
) -> Result<std::collections::HashMap<String, i64>> {
    /// Values bound per query: well under SQLite's 32,766.
    const PER_QUERY: usize = 5_000;
    let mut exec = exec.into();
    let mut found = std::collections::HashMap::new();
    let mut groups: Vec<(&UniqueValue<'_>, Vec<Cell>)> = Vec::new();
    for &value in values {
        match groups
            .iter_mut()
            .find(|(g, _)| g.target == value.target && g.kind == value.kind)
        {
            Some((_, cells)) => {
                if !cells.contains(&value.cell) {
                    cells.push(value.cell.clone())
                }
            }
            None => groups.push((value, vec![value.cell.clone()])),
        }
    }
    for (first, cells) in groups {
        // The column the value sits in: the field's own, or the JSON of custom values.
        let column = match &first.target {
            Target::Column(name) => module.field(name).map(|f| f.column),
            Target::Custom(_) => Some("custom"),
        };
        let Some(column) = column else {
            continue;
        };
        let kind = if column == "custom" {
            Kind::Json
        } else {
            first.kind
        };
        for chunk in cells.chunks(PER_QUERY) {
            let any = Filter::In {
                target: first.target.clone(),
                kind: first.kind,
                values: chunk.to_vec(),
            };
            let rows = super::rows::rows(
                exec.reborrow(),
                module.table,
                &[(module.id_column(), Kind::Int), (column, kind)],
                &any,
            )
            .await?;
            for row in rows {
                let Some(id) = row[0].as_i64() else { continue };
                let cell = match (&first.target, &row[1]) {
                    (Target::Custom(key), Cell::Json(custom)) => match custom.get(key) {
                        Some(v) => json_cell(v).1,
                        None => continue,
                    },
                    (_, cell) => cell.clone(),
                };
                let held = UniqueValue {
                    def: first.def,
                    target: first.target.clone(),
                    kind: first.kind,
                    cell,
                };
                let at = found.entry(held.lock_key(module)).or_insert(id);
                *at = (*at).min(id);
            }
        }
    }
    Ok(found)
}

/// `queryField`: a module's catalogue (`label`, or `type`), with a record's values (`id`).
#[derive(Clone, Copy, Debug)]
pub struct FieldQuery {
    pub module: &'static Module,
    pub record: Option<i64>,
}

impl Parse for FieldQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FieldQuery {
            module: module_of(input.opt_i64("label")?.or(input.opt_i64("type")?))?,
            record: input.opt_i64("id")?,
        })
    }
}

/// The definition parameters of `addField` / `updateField`, each checked on its own; the
/// service merges them over the current definition and checks the whole.
#[derive(Clone, Debug, Default)]
pub struct FieldDefinition {
    pub name: Option<String>,
    pub form_type: Option<String>,
    pub options: Option<String>,
    pub is_null: Option<i64>,
    pub is_unique: Option<i64>,
    pub default_value: Option<String>,
    pub input_tips: Option<String>,
    pub max_length: Option<i64>,
    pub precisions: Option<i64>,
}

impl Parse for FieldDefinition {
    fn parse(input: Input<'_>) -> Result<Self> {
        let form_type = input.opt_str("formType")?;
        if let Some(t) = form_type.as_deref().filter(|t| !CUSTOM_FORM_TYPES.contains(t)) {
            return Err(Error::bad(format!("不支持的字段类型：{t}")));
        }
        let options = input
            .raw("options")
            .or(input.raw("setting"))
            .map(|v| bounded_options(list_items(v)).map(|o| o.join(",")))
            .transpose()?;
        let max_length = input.opt_i64("maxLength")?;
        if let Some(m) = max_length.filter(|m| !(1..=TEXT_MAX as i64).contains(m)) {
            return Err(Error::bad(format!("最大长度应为1到{TEXT_MAX}：{m}")));
        }
        let precisions = input.opt_i64("precisions")?;
        if let Some(p) = precisions.filter(|p| !(0..=8).contains(p)) {
            return Err(Error::bad(format!("小数位数应为0到8：{p}")));
        }
        Ok(FieldDefinition {
            name: input.opt_text("name", "字段名称", MAX_FIELD_NAME)?,
            form_type,
            options,
            is_null: input.opt_i64("isNull")?,
            is_unique: input.opt_i64("isUnique")?,
            default_value: input.opt_str("defaultValue")?,
            input_tips: input.opt_bounded("inputTips", "提示信息", 200)?,
            max_length,
            precisions,
        })
    }
}

/// The most characters of a field name.
const MAX_FIELD_NAME: usize = 50;

/// `addField`: the module (`label`) and the definition.
#[derive(Clone, Debug)]
pub struct NewField {
    pub module: &'static Module,
    pub definition: FieldDefinition,
}

impl Parse for NewField {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(NewField {
            module: module_of(input.opt_i64("label")?)?,
            definition: FieldDefinition::parse(input)?,
        })
    }
}

/// `updateField`: the field (`fieldId`) and what to change.
#[derive(Clone, Debug)]
pub struct FieldChange {
    pub id: i64,
    pub definition: FieldDefinition,
}

impl Parse for FieldChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FieldChange {
            id: FieldRef::parse(input)?.0,
            definition: FieldDefinition::parse(input)?,
        })
    }
}

/// `deleteField`: the field (`fieldId`).
#[derive(Clone, Copy, Debug)]
pub struct FieldRef(pub i64);

impl Parse for FieldRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FieldRef(input.i64("fieldId", "字段id不能为空")?))
    }
}

/// `sortField`: a module's fields (`fieldIds`) in their new order.
#[derive(Clone, Debug)]
pub struct FieldOrder {
    pub module: &'static Module,
    pub ids: Vec<i64>,
}

impl Parse for FieldOrder {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FieldOrder {
            module: module_of(input.opt_i64("label")?)?,
            ids: input.ids("fieldIds", "字段id不能为空")?,
        })
    }
}

/// `setFieldHidden`: the field (`fieldId`) and whether to hide it (`isHidden` 1).
#[derive(Clone, Copy, Debug)]
pub struct FieldVisibility {
    pub id: i64,
    pub hidden: bool,
}

impl Parse for FieldVisibility {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FieldVisibility {
            id: FieldRef::parse(input)?.0,
            hidden: input.i64("isHidden", "isHidden不能为空")? == 1,
        })
    }
}

/// `verify`: a value for a field (`fieldId`), for the record it would belong to (`id`, or
/// the module's own id key such as `customerId`), or a new one.
#[derive(Clone, Debug)]
pub struct FieldCheck {
    pub id: i64,
    pub value: Value,
    record: Option<i64>,
    record_by_key: Vec<(&'static str, i64)>,
}

impl FieldCheck {
    fn record_of(&self, module: &Module) -> Option<i64> {
        self.record.or_else(|| {
            self.record_by_key
                .iter()
                .find(|(key, _)| *key == module.id_key)
                .map(|(_, id)| *id)
        })
    }
}

impl Parse for FieldCheck {
    fn parse(input: Input<'_>) -> Result<Self> {
        let mut record_by_key = Vec::new();
        for module in super::modules::ALL {
            if let Some(id) = input.opt_i64(module.id_key)? {
                record_by_key.push((module.id_key, id));
            }
        }
        Ok(FieldCheck {
            id: FieldRef::parse(input)?.0,
            value: input.raw("value").cloned().unwrap_or(Value::Null),
            record: input.opt_i64("id")?,
            record_by_key,
        })
    }
}

/// The most options of a select or checkbox field, and the longest option.
const MAX_OPTIONS: usize = 200;
const MAX_OPTION_CHARS: usize = 100;

fn bounded_options(options: Vec<String>) -> Result<Vec<String>> {
    if options.len() > MAX_OPTIONS {
        return Err(Error::bad(format!("选项不能超过{MAX_OPTIONS}个")));
    }
    if options.iter().any(|o| o.chars().count() > MAX_OPTION_CHARS) {
        return Err(Error::bad(format!(
            "每个选项长度不能超过{MAX_OPTION_CHARS}个字符"
        )));
    }
    Ok(options)
}

/// The immutable key a new custom field's values are stored under.
pub(crate) fn new_field_key() -> String {
    let mut key = [0u8; 4];
    rand::fill(&mut key);
    format!("field_{}", hex::encode(key))
}

/// Custom fields whose values get an index (long free text does not).
pub(crate) fn indexed(form_type: &str) -> bool {
    form_type != "textarea"
}

pub(crate) fn name_taken(e: StoreError) -> Error {
    match e {
        StoreError::Unique(_) => Error::business("字段名称已存在"),
        other => other.into(),
    }
}

/// A field definition being written.
pub(crate) struct FieldDraft {
    name: String,
    pub(crate) form_type: String,
    options: String,
    is_null: bool,
    is_unique: bool,
    default_value: String,
    input_tips: Option<String>,
    max_length: Option<i64>,
    precisions: Option<i64>,
}

impl FieldDraft {
    pub(crate) fn fields(&self) -> FieldFields<'_> {
        FieldFields {
            name: &self.name,
            form_type: &self.form_type,
            options: &self.options,
            is_null: self.is_null,
            is_unique: self.is_unique,
            default_value: &self.default_value,
            input_tips: self.input_tips.as_deref(),
            max_length: self.max_length,
            precisions: self.precisions,
        }
    }

    /// The definition as a catalogue row, to check a default value against it.
    fn as_row(&self, label: i64) -> FieldRow {
        FieldRow {
            field_id: 0,
            label,
            field_name: String::new(),
            name: self.name.clone(),
            form_type: self.form_type.clone(),
            options: self.options.clone(),
            is_null: 0,
            is_unique: 0,
            default_value: String::new(),
            input_tips: None,
            max_length: self.max_length,
            precisions: self.precisions,
            sorting: 0,
            is_hidden: 0,
            field_type: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn def(form_type: &str, options: &str) -> FieldRow {
        let mut row = FieldDraft {
            name: "字段".into(),
            form_type: form_type.into(),
            options: options.into(),
            is_null: false,
            is_unique: false,
            default_value: String::new(),
            input_tips: None,
            max_length: None,
            precisions: Some(2),
        }
        .as_row(1);
        row.field_name = "k".into();
        row
    }

    fn norm(form_type: &str, options: &str, v: Value) -> Result<Value> {
        normalize(
            &def(form_type, options),
            &v,
            &Clock::new(chrono_tz::Asia::Shanghai),
        )
    }

    #[test]
    fn normalises_every_form_type() {
        assert_eq!(norm("number", "", json!("12")).unwrap(), json!(12));
        assert_eq!(norm("floatnumber", "", json!("12.5")).unwrap(), json!(12.5));
        assert_eq!(
            norm("floatnumber", "", json!("1.234")).unwrap_err().to_string(),
            "字段最多2位小数"
        );
        assert_eq!(norm("select", "A,B", json!("B")).unwrap(), json!("B"));
        assert_eq!(
            norm("select", "A,B", json!("C")).unwrap_err().to_string(),
            "字段的值不在可选项中：C"
        );
        assert_eq!(
            norm("checkbox", "A,B,C", json!(["C", "A"])).unwrap(),
            json!("A,C")
        );
        assert_eq!(norm("checkbox", "A,B,C", json!("B,C")).unwrap(), json!("B,C"));
        assert_eq!(
            norm("date", "", json!("2020-01-05 10:00:00")).unwrap(),
            json!("2020-01-05")
        );
        assert_eq!(
            norm("date", "", json!("05/01/2020")).unwrap_err().to_string(),
            "字段日期格式错误，例:2020-01-01"
        );
        assert_eq!(
            norm("datetime", "", json!("2020-01-05 10:00")).unwrap(),
            json!("2020-01-05 10:00:00")
        );
        assert_eq!(norm("user", "", json!([3, "4"])).unwrap(), json!("3,4"));
        assert_eq!(norm("boolean_value", "", json!("是")).unwrap(), json!(1));
        assert_eq!(
            norm("mobile", "", json!("abc")).unwrap_err().to_string(),
            "字段格式错误，应为6到15位数字的手机号"
        );
        assert_eq!(
            norm("email", "", json!("a@b")).unwrap_err().to_string(),
            "字段格式错误，应为邮箱地址"
        );
        assert_eq!(norm("email", "", json!("a@b.cn")).unwrap(), json!("a@b.cn"));
        assert_eq!(norm("text", "", json!("")).unwrap(), Value::Null);
        assert_eq!(
            norm("number", "", json!("1.5")).unwrap_err().to_string(),
            "字段应为整数"
        );
    }

    proptest! {
        #[test]
        fn mobiles_are_digits(n in 100_000u64..999_999_999_999_999) {
            prop_assert!(is_mobile(&n.to_string()));
            let junk = format!("{}x", n);
            prop_assert!(!is_mobile(&junk));
        }
    }
}
