//! Spreadsheets: export, import templates and imports for every module, driven by the
//! module descriptor and its field catalogue. `columns` says once, for all three, which
//! columns a module's sheet has, how each value is shown and how each is read back.

mod export;
mod import;
mod read;
mod write;

use serde_json::{Map, Value};

use super::fields;
use super::input::to_text;
use super::module::{FieldKind, Lookup, Module, SysField, camel_case};
use crate::store::fields::FieldRow;

pub use export::{ExportRequest, ExportTarget};
pub use import::{ImportReport, ImportRequest, JobRef, Repeat, count_rows, estimate_rows};
pub use write::{FileOut, Format};

/// How a column's values look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Text,
    /// Integers and decimals (written as numbers).
    Number,
    /// Money: a number with two decimals, from the exact decimal text.
    Money,
    /// A datetime (`yyyy-MM-dd HH:mm:ss`).
    DateTime,
    /// A date (`yyyy-MM-dd`).
    Date,
    /// An integer shown by label (成交状态: 已成交/未成交).
    Labels(&'static [(i64, &'static str)]),
}

/// Where an imported value goes.
#[derive(Clone, Debug)]
enum Target {
    /// A system column of the record table.
    Column(&'static SysField),
    /// A reference column, read by the name its look-up shows (客户名称 → the customer).
    Reference(&'static SysField, &'static Lookup),
    /// A custom field, by its name.
    Custom,
    /// Shown on export only.
    Shown,
}

/// One column of a module's sheet.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    /// The header text: the field's name.
    title: String,
    /// The key of the value in a rendered record.
    key: String,
    shape: Shape,
    target: Target,
    required: bool,
    /// The choices of a select field.
    options: Vec<String>,
    form_type: String,
}

/// Columns every export ends with, when the module has them: who and when.
const TRAILING: [&str; 6] = [
    "owner_user_id",
    "create_user_id",
    "create_time",
    "update_time",
    "last_time",
    "deal_status",
];

/// Form types a template leaves out and an import does not read (J9's template does the
/// same): files, users and departments cannot be typed into a cell.
const NOT_TYPED: [&str; 3] = ["file", "user", "structure"];

fn system_column(
    module: &'static Module,
    f: &'static SysField,
    title: &str,
    def: Option<&FieldRow>,
) -> Column {
    let lookup = matches!(f.kind, FieldKind::Ref(..) | FieldKind::User)
        .then(|| module.lookups.iter().find(|l| l.join.on == f.column))
        .flatten();
    // Integer columns the module shows by label (the descriptor's `labels`).
    let labels = module
        .labels
        .iter()
        .find(|(c, _)| *c == f.column)
        .map(|(_, l)| *l);
    let shape = match (f.kind, labels) {
        (_, Some(labels)) => Shape::Labels(labels),
        (FieldKind::Money, _) => Shape::Money,
        (FieldKind::DateTime, _) if def.is_some_and(|d| d.form_type == "date") => Shape::Date,
        (FieldKind::DateTime, _) => Shape::DateTime,
        (FieldKind::Int, _) => Shape::Number,
        _ if lookup.is_none() && matches!(f.kind, FieldKind::Ref(..) | FieldKind::User) => Shape::Number,
        _ => Shape::Text,
    };
    let (key, target) = match lookup {
        Some(l) => (l.key.to_owned(), Target::Reference(f, l)),
        None => (camel_case(f.column), Target::Column(f)),
    };
    Column {
        title: title.to_owned(),
        key,
        shape,
        target: if def.is_some() { target } else { Target::Shown },
        required: def.is_some_and(|d| d.is_null == 1) || (def.is_some() && f.required),
        options: Vec::new(),
        form_type: def.map(|d| d.form_type.clone()).unwrap_or_default(),
    }
}

fn custom_column(def: &FieldRow) -> Column {
    let shape = match def.form_type.as_str() {
        "number" | "floatnumber" => Shape::Number,
        "date" => Shape::Date,
        "datetime" => Shape::DateTime,
        _ => Shape::Text,
    };
    Column {
        title: def.name.clone(),
        key: def.name.clone(),
        shape,
        target: Target::Custom,
        required: def.is_null == 1,
        options: if def.form_type == "select" {
            fields::options(def).into_iter().map(str::to_owned).collect()
        } else {
            Vec::new()
        },
        form_type: def.form_type.clone(),
    }
}

/// A module's columns: its catalogue in form order (custom fields included), then the
/// trailing who-and-when columns.
pub(crate) fn columns(module: &'static Module, defs: &[FieldRow]) -> Vec<Column> {
    let mut list: Vec<Column> = defs
        .iter()
        .filter_map(|d| {
            if d.is_column() {
                let f = module.field(&d.field_name)?;
                Some(system_column(module, f, &d.name, Some(d)))
            } else {
                Some(custom_column(d))
            }
        })
        .collect();
    for column in TRAILING {
        if let Some(f) = module.field(column)
            && !list.iter().any(|c| c.title == f.name)
        {
            list.push(system_column(module, f, f.name, None));
        }
    }
    list
}

impl Column {
    /// Whether an import reads this column (and a template has it).
    fn typed(&self) -> bool {
        !matches!(self.target, Target::Shown) && !NOT_TYPED.contains(&self.form_type.as_str())
    }

    /// The template's header text: `(*)` after a required field's name.
    fn template_title(&self) -> String {
        if self.required {
            format!("{}(*)", self.title)
        } else {
            self.title.clone()
        }
    }

    /// The value of this column in a rendered record, as a cell.
    fn out(&self, row: &Map<String, Value>) -> write::Out {
        let value = row.get(&self.key).unwrap_or(&Value::Null);
        if value.is_null() {
            return write::Out::Empty;
        }
        let text = || to_text(value).unwrap_or_default();
        match self.shape {
            Shape::Labels(labels) => {
                let n = value.as_i64().unwrap_or_default();
                match labels.iter().find(|(v, _)| *v == n) {
                    Some((_, label)) => write::Out::Text((*label).to_owned()),
                    None => write::Out::Text(text()),
                }
            }
            Shape::Number | Shape::Money => match text().trim().parse::<f64>() {
                Ok(n) if n.is_finite() => write::Out::Number(n, self.shape == Shape::Money),
                _ => write::Out::Text(text()),
            },
            _ => write::Out::Text(text()),
        }
    }
}

/// A header cell as a field name: without spaces and the `(*)`, `（*）`, `*` markers.
fn header_name(text: &str) -> String {
    text.replace("(*)", "")
        .replace("（*）", "")
        .replace('*', "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_markers_are_dropped() {
        assert_eq!(super::header_name(" 线索名称(*) "), "线索名称");
        assert_eq!(super::header_name("*客户 名称"), "客户名称");
        assert_eq!(super::header_name("手机（*）"), "手机");
    }
}
