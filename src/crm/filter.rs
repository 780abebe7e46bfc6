//! The list language: J9 `data` conditions (and J11 `searchList`), keyword `search` and
//! `sortField`/`order`, parsed into the store's filter tree. Every field name goes through
//! the module's field catalogue; every value becomes a bound parameter.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::error::{Error, Result};
use super::fields::normalize;
use super::input::{is_blank, to_i64, to_text};
use super::module::{FieldKind, Module};
use super::money;
use super::time::{Clock, keyword_range};
use crate::store::fields::FieldRow;
use crate::store::{Cell, Filter, Kind, Op, Order, Target};

/// How a field's values are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    Text,
    Number,
    Float,
    Money,
    /// A system datetime column (stored in UTC).
    Instant,
    /// A custom date (`yyyy-MM-dd` text).
    Date,
    /// A custom datetime (local `yyyy-MM-dd HH:mm:ss` text).
    LocalDateTime,
    /// A custom comma-joined list (checkbox options, user or department ids).
    List,
}

/// A field a condition or sort names, resolved through the catalogue.
#[derive(Clone, Debug)]
pub struct Field<'a> {
    name: String,
    target: Target,
    kind: Kind,
    flavour: Flavour,
    def: Option<&'a FieldRow>,
}

/// The fields of one module as the list language sees them.
pub struct Catalog<'a> {
    pub module: &'static Module,
    /// The module's catalogue (fixed and custom fields).
    pub defs: &'a [FieldRow],
    pub clock: Clock,
}

impl<'a> Catalog<'a> {
    /// Resolves a condition or sort name: a column (snake_case or camelCase), or a
    /// catalogue field by its name or key.
    pub fn resolve(&self, name: &str) -> Option<Field<'a>> {
        let def = self.defs.iter().find(|d| d.name == name || d.field_name == name);
        let column = self.module.field_by_key(name).or_else(|| {
            def.filter(|d| d.is_column())
                .and_then(|d| self.module.field(&d.field_name))
        });
        if let Some(f) = column {
            let flavour = match f.kind {
                FieldKind::Text(_) => Flavour::Text,
                FieldKind::Int | FieldKind::User | FieldKind::Ref(..) => Flavour::Number,
                FieldKind::Money => Flavour::Money,
                FieldKind::DateTime => Flavour::Instant,
            };
            let def = self
                .defs
                .iter()
                .find(|d| d.is_column() && d.field_name == f.column);
            return Some(Field {
                name: f.name.into(),
                target: Target::Column(f.column.into()),
                kind: f.kind.store_kind(),
                flavour,
                def,
            });
        }
        let def = def.filter(|d| !d.is_column())?;
        let (kind, flavour) = match def.form_type.as_str() {
            "number" | "boolean_value" => (Kind::Int, Flavour::Number),
            "floatnumber" => (Kind::Float, Flavour::Float),
            "date" => (Kind::Text, Flavour::Date),
            "datetime" => (Kind::Text, Flavour::LocalDateTime),
            "checkbox" | "user" | "structure" => (Kind::Text, Flavour::List),
            _ => (Kind::Text, Flavour::Text),
        };
        Some(Field {
            name: def.name.clone(),
            target: Target::Custom(def.field_name.clone()),
            kind,
            flavour,
            def: Some(def),
        })
    }

    fn invalid(field: &Field<'_>) -> Error {
        Error::bad(format!("筛选条件{}的值格式错误", field.name))
    }

    /// A condition value typed for the field.
    fn cell(&self, field: &Field<'_>, value: &Value) -> Result<Cell> {
        let invalid = || Self::invalid(field);
        let text = || to_text(value).ok_or_else(invalid);
        Ok(match field.flavour {
            Flavour::Text | Flavour::List => Cell::Text(text()?),
            Flavour::Number => Cell::Int(to_i64(value).ok_or_else(invalid)?),
            Flavour::Float => Cell::Float(text()?.trim().parse().map_err(|_| invalid())?),
            Flavour::Money => Cell::Int(money::parse_fen(value).ok_or_else(invalid)?),
            Flavour::Instant => Cell::DateTime(self.clock.parse_local(&text()?).ok_or_else(invalid)?),
            Flavour::Date => {
                let t = text()?;
                let d = NaiveDate::parse_from_str(t.trim().get(..10).unwrap_or(""), "%Y-%m-%d")
                    .map_err(|_| invalid())?;
                Cell::Text(d.format("%Y-%m-%d").to_string())
            }
            Flavour::LocalDateTime => {
                let utc = self.clock.parse_local(&text()?).ok_or_else(invalid)?;
                Cell::Text(self.clock.render(utc))
            }
        })
    }

    /// The bounds of a local date range for the field: instants in UTC, texts local.
    fn day_bounds(&self, field: &Field<'_>, from: NaiveDate, to: NaiveDate) -> Result<(Cell, Cell)> {
        let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
        let end = to.and_hms_opt(23, 59, 59).unwrap_or_default();
        let local = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
        Ok(match field.flavour {
            Flavour::Instant => (
                Cell::DateTime(
                    self.clock
                        .parse_local(&local(start))
                        .ok_or_else(|| Self::invalid(field))?,
                ),
                Cell::DateTime(
                    self.clock
                        .parse_local(&local(end))
                        .ok_or_else(|| Self::invalid(field))?,
                ),
            ),
            Flavour::Date => (
                Cell::Text(from.format("%Y-%m-%d").to_string()),
                Cell::Text(to.format("%Y-%m-%d").to_string()),
            ),
            Flavour::LocalDateTime => (Cell::Text(local(start)), Cell::Text(local(end))),
            _ => return Err(Error::bad(format!("筛选字段{}不是日期", field.name))),
        })
    }

    fn is_date(field: &Field<'_>) -> bool {
        matches!(
            field.flavour,
            Flavour::Instant | Flavour::Date | Flavour::LocalDateTime
        )
    }
}

/// J11's numeric operators (`CrmSearchBO.Search.type`) in J9's names.
fn j11_operator(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "is",
        2 => "isNot",
        3 => "contains",
        4 => "notContains",
        5 => "isNull",
        6 => "isNotNull",
        7 => "gt",
        8 => "egt",
        9 => "lt",
        10 => "elt",
        11 => "in",
        12 => "startWith",
        13 => "endWith",
        14 => "range",
        _ => return None,
    })
}

/// The most conditions one list request (or one scene) may carry.
pub const MAX_CONDITIONS: usize = 100;
/// The most values one condition may list (`in`, checkbox, users).
pub const MAX_VALUES: usize = 1000;
/// The longest text a condition may compare with, in characters.
pub const MAX_VALUE_CHARS: usize = 1000;
/// The longest keyword `search`, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

fn too_many_conditions(n: usize) -> Result<()> {
    if n > MAX_CONDITIONS {
        return Err(Error::bad(format!("筛选条件不能超过{MAX_CONDITIONS}个")));
    }
    Ok(())
}

/// Bounds one condition, whatever its shape: every list and every text in it.
fn bounded(name: &str, spec: &Value) -> Result<()> {
    match spec {
        Value::Array(items) if items.len() > MAX_VALUES => {
            Err(Error::bad(format!("筛选条件{name}的值不能超过{MAX_VALUES}个")))
        }
        Value::Array(items) => items.iter().try_for_each(|v| bounded(name, v)),
        Value::Object(map) => map.values().try_for_each(|v| bounded(name, v)),
        Value::String(text) if text.chars().count() > MAX_VALUE_CHARS => Err(Error::bad(format!(
            "筛选条件{name}的值长度不能超过{MAX_VALUE_CHARS}个字符"
        ))),
        _ => Ok(()),
    }
}

/// A keyword for `search`, trimmed and bounded.
pub fn keyword_text(term: &str) -> Result<&str> {
    let term = term.trim();
    if term.chars().count() > MAX_SEARCH_CHARS {
        return Err(Error::bad(format!("搜索关键字不能超过{MAX_SEARCH_CHARS}个字符")));
    }
    Ok(term)
}

/// Turns a J11 `searchList` (`[{name, formType, type, values}]`) into J9 conditions.
pub fn search_list(items: &[Value]) -> Result<Map<String, Value>> {
    too_many_conditions(items.len())?;
    let mut data = Map::new();
    for item in items {
        let obj = item
            .as_object()
            .ok_or_else(|| Error::bad("searchList的每一项应为对象"))?;
        let name = obj
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::bad("searchList的每一项需要name"))?;
        let code = obj
            .get("type")
            .and_then(to_i64)
            .ok_or_else(|| Error::bad(format!("筛选条件{name}缺少type")))?;
        let op = j11_operator(code).ok_or_else(|| Error::bad(format!("不支持的筛选条件：{code}")))?;
        let values = obj.get("values").cloned().unwrap_or(Value::Array(vec![]));
        let mut spec = json!({"name": name, "formType": obj.get("formType").cloned().unwrap_or(Value::Null)});
        let items = values.as_array().cloned().unwrap_or_else(|| vec![values.clone()]);
        if op == "range" {
            spec["start"] = items.first().cloned().unwrap_or(Value::Null);
            spec["end"] = items.get(1).cloned().unwrap_or(Value::Null);
            if items.len() == 1 {
                spec["value"] = items[0].clone();
                spec["condition"] = json!("range");
            }
        } else {
            spec["condition"] = json!(op);
            spec["value"] = if items.len() == 1 {
                items[0].clone()
            } else {
                Value::Array(items)
            };
        }
        data.insert(name.to_owned(), spec);
    }
    Ok(data)
}

/// Compiles a J9 `data` object (`{"mobile":{"condition":"contains","value":"…"}}`) for a
/// caller (`me`, for `takePart`).
pub fn conditions(catalog: &Catalog<'_>, data: &Map<String, Value>, me: i64) -> Result<Filter> {
    too_many_conditions(data.len())?;
    let mut filter = Filter::True;
    for (key, spec) in data {
        bounded(key, spec)?;
        if let Some(part) = condition(catalog, key, spec, me)? {
            filter = filter.and(part);
        }
    }
    Ok(filter)
}

fn eq(target: &Target, kind: Kind, value: Cell) -> Filter {
    Filter::Compare {
        target: target.clone(),
        op: Op::Eq,
        kind,
        value,
    }
}

fn condition(catalog: &Catalog<'_>, key: &str, spec: &Value, me: i64) -> Result<Option<Filter>> {
    let obj = spec
        .as_object()
        .ok_or_else(|| Error::bad(format!("筛选条件{key}格式错误")))?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(key);
    let op = obj.get("condition").and_then(Value::as_str).unwrap_or("");
    let form_type = obj.get("formType").and_then(Value::as_str).unwrap_or("");
    let value = obj
        .get("value")
        .filter(|v| !is_blank(v) && v.as_array().is_none_or(|a| !a.is_empty()));
    if op == "star" {
        return Ok(Some(super::stars::starred_by(me, catalog.module)));
    }
    if op == "takePart" {
        return Ok(Some(take_part(
            catalog.module,
            value.and_then(to_i64).unwrap_or(me),
        )));
    }
    if let Some(special) = (catalog.module.special_condition)(name, obj) {
        return special.map(Some);
    }
    let field = catalog
        .resolve(name)
        .ok_or_else(|| Error::bad(format!("筛选字段不存在：{name}")))?;
    if form_type == "map_address" {
        let Some(text) = value.and_then(to_text) else {
            return Ok(None);
        };
        let needle = text.trim_end_matches(',').to_owned();
        return Ok(Some(Filter::Like {
            target: field.target,
            needle,
            before: true,
            after: true,
        }));
    }
    match op {
        "isNull" => return Ok(Some(empty(&field))),
        "isNotNull" => return Ok(Some(Filter::Not(Box::new(empty(&field))))),
        _ => {}
    }
    if let Some(range) = keyword(catalog, &field, value.or(obj.get("start")))? {
        return Ok(Some(range));
    }
    let Some(value) = value else {
        return range(catalog, &field, obj);
    };
    let or_empty = |f: Filter| Filter::Any(vec![f, empty(&field)]);
    let filter = match op {
        "is" => is(catalog, &field, value)?,
        "isNot" => or_empty(Filter::Not(Box::new(is(catalog, &field, value)?))),
        "contains" => contains(catalog, &field, value, op)?,
        "notContains" => or_empty(Filter::Not(Box::new(contains(catalog, &field, value, op)?))),
        "startWith" => like(&field, value, op, false, true)?,
        "endWith" => like(&field, value, op, true, false)?,
        "gt" | "egt" | "lt" | "elt" => {
            if field.flavour == Flavour::List {
                return Err(Error::bad(format!("筛选字段{}不支持条件{op}", field.name)));
            }
            let op = match op {
                "gt" => Op::Gt,
                "egt" => Op::Ge,
                "lt" => Op::Lt,
                _ => Op::Le,
            };
            // A bare date means its whole day: "after" and "on or before" reach its end.
            let value = match op {
                Op::Gt | Op::Le => day_end(catalog, &field, first(value))?,
                _ => catalog.cell(&field, first(value))?,
            };
            Filter::Compare {
                target: field.target.clone(),
                op,
                kind: field.kind,
                value,
            }
        }
        "in" => any_of(catalog, &field, value)?,
        "" | "range" => return range(catalog, &field, obj),
        other => return Err(Error::bad(format!("不支持的筛选条件：{other}"))),
    };
    Ok(Some(filter))
}

/// The first element of an array value (J11 sends `values:[…]`), else the value itself.
fn first(value: &Value) -> &Value {
    match value {
        Value::Array(items) => items.first().unwrap_or(value),
        _ => value,
    }
}

/// The values of a condition: an array, a comma list, or one value.
pub(crate) fn items(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.into()))
            .collect(),
        other => vec![other.clone()],
    }
}

/// Empty means NULL, and for text also the empty string.
fn empty(field: &Field<'_>) -> Filter {
    let null = Filter::IsNull(field.target.clone());
    if field.kind == Kind::Text {
        Filter::Any(vec![
            null,
            eq(&field.target, Kind::Text, Cell::Text(String::new())),
        ])
    } else {
        null
    }
}

/// A list field holding `item` among its comma-joined values.
fn has(field: &Field<'_>, item: String) -> Filter {
    Filter::ListHas {
        target: field.target.clone(),
        item,
    }
}

/// `is`: equality; several values mean any of them; a checkbox means exactly that set.
fn is(catalog: &Catalog<'_>, field: &Field<'_>, value: &Value) -> Result<Filter> {
    match (field.flavour, field.def) {
        (Flavour::List, Some(def)) if def.form_type == "checkbox" => {
            let exact = normalize(def, value, &catalog.clock)?;
            Ok(eq(
                &field.target,
                Kind::Text,
                Cell::Text(to_text(&exact).unwrap_or_default()),
            ))
        }
        (Flavour::List, _) => contains(catalog, field, value, "is"),
        _ if value.is_array() => any_of(catalog, field, value),
        _ => Ok(eq(&field.target, field.kind, catalog.cell(field, value)?)),
    }
}

/// `contains`: a substring for text; any of the values for lists.
fn contains(catalog: &Catalog<'_>, field: &Field<'_>, value: &Value, op: &str) -> Result<Filter> {
    if field.flavour == Flavour::List {
        let wanted = items(value)
            .iter()
            .map(|v| catalog.cell(field, v))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Filter::Any(
            wanted
                .into_iter()
                .filter_map(|c| c.as_str().map(|s| has(field, s.to_owned())))
                .collect(),
        ));
    }
    like(field, value, op, true, true)
}

fn like(field: &Field<'_>, value: &Value, op: &str, before: bool, after: bool) -> Result<Filter> {
    if field.flavour != Flavour::Text {
        return Err(Error::bad(format!("筛选字段{}不支持条件{op}", field.name)));
    }
    let needle = to_text(first(value)).ok_or_else(|| Catalog::invalid(field))?;
    Ok(Filter::Like {
        target: field.target.clone(),
        needle,
        before,
        after,
    })
}

/// `in` with a comma list or an array.
fn any_of(catalog: &Catalog<'_>, field: &Field<'_>, value: &Value) -> Result<Filter> {
    if field.flavour == Flavour::List {
        return contains(catalog, field, value, "in");
    }
    let values = items(value)
        .iter()
        .map(|v| catalog.cell(field, v))
        .collect::<Result<Vec<_>>>()?;
    Ok(Filter::In {
        target: field.target.clone(),
        kind: field.kind,
        values,
    })
}

/// A relative date keyword (`today`, `lastMonth`, …) on a date field, as a range.
fn keyword(catalog: &Catalog<'_>, field: &Field<'_>, value: Option<&Value>) -> Result<Option<Filter>> {
    let Some(word) = value.map(first).and_then(Value::as_str) else {
        return Ok(None);
    };
    if !Catalog::is_date(field) || word.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    let (from, to) = keyword_range(word, catalog.clock.today())
        .ok_or_else(|| Error::bad(format!("不支持的日期范围：{word}")))?;
    let (start, end) = catalog.day_bounds(field, from, to)?;
    Ok(Some(Filter::All(vec![
        Filter::Compare {
            target: field.target.clone(),
            op: Op::Ge,
            kind: field.kind,
            value: start,
        },
        Filter::Compare {
            target: field.target.clone(),
            op: Op::Le,
            kind: field.kind,
            value: end,
        },
    ])))
}

/// A `start`/`end` (or `startDate`/`endDate`) range; a bare date as the end means the
/// whole day.
fn range(catalog: &Catalog<'_>, field: &Field<'_>, obj: &Map<String, Value>) -> Result<Option<Filter>> {
    let pick = |keys: [&str; 2]| keys.iter().find_map(|k| obj.get(*k).filter(|v| !is_blank(v)));
    let (start, end) = (pick(["start", "startDate"]), pick(["end", "endDate"]));
    if start.is_none() && end.is_none() {
        return Ok(None);
    }
    let mut filter = Filter::True;
    if let Some(start) = start {
        let value = catalog.cell(field, start)?;
        filter = filter.and(Filter::Compare {
            target: field.target.clone(),
            op: Op::Ge,
            kind: field.kind,
            value,
        });
    }
    if let Some(end) = end {
        let value = day_end(catalog, field, end)?;
        filter = filter.and(Filter::Compare {
            target: field.target.clone(),
            op: Op::Le,
            kind: field.kind,
            value,
        });
    }
    Ok(Some(filter))
}

/// A condition value; a bare date on a datetime field stands for the last second of that day.
fn day_end(catalog: &Catalog<'_>, field: &Field<'_>, value: &Value) -> Result<Cell> {
    let bare_date = to_text(value).is_some_and(|t| t.trim().len() == 10);
    Ok(match catalog.cell(field, value)? {
        Cell::DateTime(t) if bare_date => Cell::DateTime(t + chrono::Duration::seconds(86_399)),
        Cell::Text(t) if bare_date && field.flavour == Flavour::LocalDateTime => {
            Cell::Text(format!("{} 23:59:59", &t[..10]))
        }
        value => value,
    })
}

/// `takePart`: records whose team holds the user (我参与的).
fn take_part(module: &Module, user: i64) -> Filter {
    Filter::TeamMember {
        label: module.label,
        user,
        write: false,
        at: None,
    }
}

/// Keyword search over the module's search columns (reference §2.1).
pub fn search(module: &Module, term: &str) -> Result<Filter> {
    let term = keyword_text(term)?;
    if term.is_empty() {
        return Ok(Filter::True);
    }
    Ok(Filter::Search {
        columns: module.search.iter().map(|c| (*c).to_owned()).collect(),
        term: term.to_owned(),
    })
}

/// `sortField` (camelCase or a custom field name) and `order` (`2` ascending, else
/// descending); ties are broken by id so pages never skip or repeat rows.
pub fn order(
    catalog: &Catalog<'_>,
    sort_field: Option<&str>,
    ascending: bool,
) -> Result<Vec<(Target, Kind, Order)>> {
    let direction = if ascending { Order::Asc } else { Order::Desc };
    let id = Target::Column(catalog.module.id_column().to_owned());
    let primary = match sort_field.map(str::trim).filter(|s| !s.is_empty()) {
        None => (Filter::column("update_time"), Kind::DateTime, Order::Desc),
        Some(name) => {
            let field = catalog
                .resolve(name)
                .ok_or_else(|| Error::bad(format!("不支持的排序字段：{name}")))?;
            (field.target, field.kind, direction)
        }
    };
    let tie = primary.2;
    Ok(vec![primary, (id, Kind::Int, tie)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::modules::LEADS;
    use serde_json::json;

    fn catalog() -> Catalog<'static> {
        static CUSTOMS: std::sync::LazyLock<Vec<FieldRow>> = std::sync::LazyLock::new(|| {
            vec![FieldRow {
                field_id: 1,
                label: 1,
                field_name: "客户级别".into(),
                name: "客户级别".into(),
                form_type: "select".into(),
                options: "A,B".into(),
                is_null: 0,
                is_unique: 0,
                default_value: String::new(),
                input_tips: None,
                max_length: None,
                precisions: None,
                sorting: 1,
                is_hidden: 0,
                field_type: 2,
            }]
        });
        Catalog {
            module: &LEADS,
            defs: &CUSTOMS,
            clock: Clock::new(chrono_tz::Asia::Shanghai),
        }
    }

    fn compile(data: Value) -> Result<Filter> {
        conditions(&catalog(), data.as_object().unwrap(), 1)
    }

    #[test]
    fn compiles_the_seed_example() {
        let f = compile(
            json!({"mobile":{"condition":"contains","value":"1801","formType":"mobile","name":"mobile"}}),
        );
        assert_eq!(
            f.unwrap(),
            Filter::Like {
                target: Filter::column("mobile"),
                needle: "1801".into(),
                before: true,
                after: true
            }
        );
    }

    #[test]
    fn resolves_camel_case_and_custom_names() {
        assert!(compile(json!({"x":{"name":"ownerUserId","condition":"is","value":"3"}})).is_ok());
        let f = compile(json!({"客户级别":{"condition":"is","value":"A"}})).unwrap();
        assert!(matches!(f, Filter::Compare { target: Target::Custom(ref k), .. } if k == "客户级别"));
    }

    #[test]
    fn refuses_unknown_fields_operators_and_bad_values() {
        let err = |v: Value| compile(v).unwrap_err().to_string();
        assert_eq!(
            err(json!({"nope":{"condition":"is","value":1}})),
            "筛选字段不存在：nope"
        );
        assert_eq!(
            err(json!({"mobile":{"condition":"like","value":1}})),
            "不支持的筛选条件：like"
        );
        assert_eq!(
            err(json!({"owner_user_id":{"condition":"is","value":"1 or 1=1"}})),
            "筛选条件负责人的值格式错误"
        );
        assert_eq!(
            err(json!({"create_time":{"start":"yesterday-ish"}})),
            "不支持的日期范围：yesterday-ish"
        );
        assert_eq!(
            err(json!({"create_time":{"start":"2020-13-01"}})),
            "筛选条件创建时间的值格式错误"
        );
        assert_eq!(err(json!({"mobile":"x"})), "筛选条件mobile格式错误");
    }

    #[test]
    fn skips_empty_conditions_but_not_null_checks() {
        assert_eq!(
            compile(json!({"mobile":{"condition":"is","value":""}})).unwrap(),
            Filter::True
        );
        assert_ne!(
            compile(json!({"mobile":{"condition":"isNull"}})).unwrap(),
            Filter::True
        );
    }

    #[test]
    fn a_bare_end_date_covers_the_whole_day() {
        let f =
            compile(json!({"create_time":{"formType":"datetime","start":"2020-01-01","end":"2020-01-31"}}))
                .unwrap();
        let Filter::All(parts) = f else {
            panic!("expected a range")
        };
        let Filter::Compare {
            value: Cell::DateTime(end),
            ..
        } = &parts[1]
        else {
            panic!()
        };
        assert_eq!(end.to_string(), "2020-01-31 15:59:59");
    }

    #[test]
    fn sorts_by_known_fields_only() {
        let c = catalog();
        assert_eq!(order(&c, Some("createTime"), true).unwrap()[0].2, Order::Asc);
        assert_eq!(order(&c, None, true).unwrap()[0].0, Filter::column("update_time"));
        assert_eq!(
            order(&c, Some("password"), false).unwrap_err().to_string(),
            "不支持的排序字段：password"
        );
    }
}
