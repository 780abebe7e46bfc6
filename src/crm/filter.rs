//! The J9 list language: `data` conditions, keyword `search` and `sortField`/`order`,
//! parsed into the store's filter tree. Every field name goes through the module's field
//! catalogue; every value becomes a bound parameter.

use serde_json::{Map, Value};

use super::error::{Error, Result};
use super::input::{is_blank, to_i64, to_text};
use super::module::{FieldKind, Module, SysField};
use super::money;
use super::time::Clock;
use crate::store::fields::FieldRow;
use crate::store::{Cell, Filter, Kind, Op, Order, Target};

/// A field a condition or sort may name: a column of the table, or a custom field.
#[derive(Clone, Copy, Debug)]
pub enum FieldRef<'a> {
    Sys(&'static SysField),
    Custom(&'a FieldRow),
}

/// The fields of one module as the list language sees them.
pub struct Catalog<'a> {
    pub module: &'static Module,
    pub customs: &'a [FieldRow],
    pub clock: Clock,
}

impl<'a> Catalog<'a> {
    /// Resolves a condition or sort name: snake_case or camelCase column, or the
    /// (Chinese) name of a custom field.
    pub fn resolve(&self, name: &str) -> Option<FieldRef<'a>> {
        if let Some(f) = self.module.field_by_key(name) {
            return Some(FieldRef::Sys(f));
        }
        self.customs
            .iter()
            .find(|c| c.name == name || c.field_name == name)
            .map(FieldRef::Custom)
    }

    fn target(&self, field: FieldRef<'_>) -> (Target, Kind) {
        match field {
            FieldRef::Sys(f) => (Target::Column(f.column.to_owned()), f.kind.store_kind()),
            FieldRef::Custom(c) => (Target::Custom(c.name.clone()), Kind::Text),
        }
    }

    /// A condition value typed for the field.
    fn cell(&self, field: FieldRef<'_>, value: &Value) -> Result<Cell> {
        let (name, kind) = match field {
            FieldRef::Sys(f) => (f.name, f.kind),
            FieldRef::Custom(c) => (c.name.as_str(), FieldKind::Text(usize::MAX)),
        };
        let invalid = || Error::bad(format!("筛选条件{name}的值格式错误"));
        Ok(match kind {
            FieldKind::Text(_) => Cell::Text(to_text(value).ok_or_else(invalid)?),
            FieldKind::Int | FieldKind::User | FieldKind::Ref(..) => {
                Cell::Int(to_i64(value).ok_or_else(invalid)?)
            }
            FieldKind::Money => Cell::Int(money::parse_fen(value).ok_or_else(invalid)?),
            FieldKind::DateTime => {
                let text = to_text(value).ok_or_else(invalid)?;
                Cell::DateTime(self.clock.parse_local(&text).ok_or_else(invalid)?)
            }
        })
    }
}

/// Compiles a J9 `data` object (`{"mobile":{"condition":"contains","value":"…"}}`).
pub fn conditions(catalog: &Catalog<'_>, data: &Map<String, Value>) -> Result<Filter> {
    let mut filter = Filter::True;
    for (key, spec) in data {
        if let Some(part) = condition(catalog, key, spec)? {
            filter = filter.and(part);
        }
    }
    Ok(filter)
}

fn condition(catalog: &Catalog<'_>, key: &str, spec: &Value) -> Result<Option<Filter>> {
    let obj = spec
        .as_object()
        .ok_or_else(|| Error::bad(format!("筛选条件{key}格式错误")))?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(key);
    let field = catalog
        .resolve(name)
        .ok_or_else(|| Error::bad(format!("筛选字段不存在：{name}")))?;
    let (target, kind) = catalog.target(field);
    let value = obj
        .get("value")
        .filter(|v| !is_blank(v) && *v != &Value::Array(vec![]));
    let op = obj.get("condition").and_then(Value::as_str).unwrap_or("");
    match op {
        "isNull" => return Ok(Some(empty(target, kind))),
        "isNotNull" => return Ok(Some(Filter::Not(Box::new(empty(target, kind))))),
        _ => {}
    }
    let Some(value) = value else {
        return range(catalog, field, obj);
    };
    let single = || first(value);
    let compare = |op: Op| -> Result<Filter> {
        Ok(Filter::Compare {
            target: target.clone(),
            op,
            kind,
            value: catalog.cell(field, single())?,
        })
    };
    let like = |before: bool, after: bool| -> Result<Filter> {
        if kind != Kind::Text {
            return Err(Error::bad(format!("筛选字段{name}不支持条件{op}")));
        }
        let needle = to_text(single()).ok_or_else(|| Error::bad(format!("筛选条件{name}的值格式错误")))?;
        Ok(Filter::Like {
            target: target.clone(),
            needle,
            before,
            after,
        })
    };
    let or_empty = |f: Filter| Filter::Any(vec![f, Filter::IsNull(target.clone())]);
    let filter = match op {
        "is" if value.is_array() => any_of(catalog, field, &target, kind, value)?,
        "is" => compare(Op::Eq)?,
        "isNot" => or_empty(compare(Op::Ne)?),
        "contains" => like(true, true)?,
        "notContains" => or_empty(Filter::Not(Box::new(like(true, true)?))),
        "startWith" => like(false, true)?,
        "endWith" => like(true, false)?,
        "gt" => compare(Op::Gt)?,
        "egt" => compare(Op::Ge)?,
        "lt" => compare(Op::Lt)?,
        "elt" => compare(Op::Le)?,
        "in" => any_of(catalog, field, &target, kind, value)?,
        "" => return range(catalog, field, obj),
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

/// Empty means NULL, and for text also the empty string.
fn empty(target: Target, kind: Kind) -> Filter {
    let null = Filter::IsNull(target.clone());
    if kind == Kind::Text {
        let blank = Filter::Compare {
            target,
            op: Op::Eq,
            kind,
            value: Cell::Text(String::new()),
        };
        Filter::Any(vec![null, blank])
    } else {
        null
    }
}

/// `in` with a comma list or an array.
fn any_of(
    catalog: &Catalog<'_>,
    field: FieldRef<'_>,
    target: &Target,
    kind: Kind,
    value: &Value,
) -> Result<Filter> {
    let items: Vec<Value> = match value {
        Value::Array(items) => items.clone(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.into()))
            .collect(),
        other => vec![other.clone()],
    };
    let values = items
        .iter()
        .map(|v| catalog.cell(field, v))
        .collect::<Result<Vec<_>>>()?;
    Ok(Filter::In {
        target: target.clone(),
        kind,
        values,
    })
}

/// A `start`/`end` (or `startDate`/`endDate`) range; a bare date as the end means the
/// whole day.
fn range(catalog: &Catalog<'_>, field: FieldRef<'_>, obj: &Map<String, Value>) -> Result<Option<Filter>> {
    let pick = |keys: [&str; 2]| keys.iter().find_map(|k| obj.get(*k).filter(|v| !is_blank(v)));
    let (start, end) = (pick(["start", "startDate"]), pick(["end", "endDate"]));
    if start.is_none() && end.is_none() {
        return Ok(None);
    }
    let (target, kind) = catalog.target(field);
    let mut filter = Filter::True;
    if let Some(start) = start {
        let value = catalog.cell(field, start)?;
        filter = filter.and(Filter::Compare {
            target: target.clone(),
            op: Op::Ge,
            kind,
            value,
        });
    }
    if let Some(end) = end {
        let value = match (catalog.cell(field, end)?, to_text(end)) {
            (Cell::DateTime(t), Some(text)) if text.trim().len() == 10 => {
                Cell::DateTime(t + chrono::Duration::seconds(86_399))
            }
            (value, _) => value,
        };
        filter = filter.and(Filter::Compare {
            target,
            op: Op::Le,
            kind,
            value,
        });
    }
    Ok(Some(filter))
}

/// Keyword search: `LIKE '%kw%'` over the module's search columns, OR-ed.
pub fn search(module: &Module, term: &str) -> Filter {
    let term = term.trim();
    if term.is_empty() {
        return Filter::True;
    }
    Filter::Any(
        module
            .search
            .iter()
            .map(|col| Filter::Like {
                target: Filter::column(col),
                needle: term.to_owned(),
                before: true,
                after: true,
            })
            .collect(),
    )
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
            let (target, kind) = catalog.target(field);
            (target, kind, direction)
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
                max_length: None,
            }]
        });
        Catalog {
            module: &LEADS,
            customs: &CUSTOMS,
            clock: Clock::new(chrono_tz::Asia::Shanghai),
        }
    }

    fn compile(data: Value) -> Result<Filter> {
        conditions(&catalog(), data.as_object().unwrap())
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
