//! The module descriptor: everything the generic record engine needs to know about one
//! CRM module (table, id key, system fields, search columns, look-ups, rules as data).

use serde_json::{Map, Value};

use super::error::Result;
use super::input::Input;
use super::{Actor, Crm};
use crate::store::records::{Join, Table};
use crate::store::{Filter, Kind, Tx};

/// How a system field is typed on the wire and in the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Text with a maximum length in characters.
    Text(usize),
    /// A plain integer (flags, statuses).
    Int,
    /// `yyyy-MM-dd HH:mm:ss` in the configured zone, stored in UTC.
    DateTime,
    /// Money: decimal text on the wire (`"60.00"`), integer fen in the database.
    Money,
    /// The id of a user (owner, creator).
    User,
    /// The id of a row in another table, which must exist.
    Ref(Table, &'static str),
}

impl FieldKind {
    pub fn store_kind(self) -> Kind {
        match self {
            FieldKind::Text(_) => Kind::Text,
            FieldKind::DateTime => Kind::DateTime,
            FieldKind::Int | FieldKind::Money | FieldKind::User | FieldKind::Ref(..) => Kind::Int,
        }
    }
}

/// Who writes a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The client sets it through `addOrUpdate`.
    Input,
    /// The server maintains it; clients may filter and sort on it but not write it.
    System,
}

/// A column of the module's table.
#[derive(Clone, Copy, Debug)]
pub struct SysField {
    pub column: &'static str,
    /// The Chinese name used in messages (`客户名称不能为空`).
    pub name: &'static str,
    pub kind: FieldKind,
    pub access: Access,
    pub required: bool,
}

impl SysField {
    pub const fn input(column: &'static str, name: &'static str, kind: FieldKind) -> Self {
        SysField {
            column,
            name,
            kind,
            access: Access::Input,
            required: false,
        }
    }

    pub const fn required(column: &'static str, name: &'static str, kind: FieldKind) -> Self {
        SysField {
            column,
            name,
            kind,
            access: Access::Input,
            required: true,
        }
    }

    pub const fn system(column: &'static str, name: &'static str, kind: FieldKind) -> Self {
        SysField {
            column,
            name,
            kind,
            access: Access::System,
            required: false,
        }
    }
}

/// A value looked up in another table and shown under `key` (e.g. `ownerUserName`).
#[derive(Clone, Copy, Debug)]
pub struct Lookup {
    pub key: &'static str,
    pub join: Join,
    pub column: &'static str,
}

/// Rows of another table that keep a record from being deleted.
#[derive(Clone, Copy, Debug)]
pub struct Dependent {
    pub table: Table,
    pub foreign_key: &'static str,
}

/// Records of another module that follow a customer on transfer (`changeType`).
#[derive(Clone, Copy, Debug)]
pub struct Cascade {
    pub change_type: i64,
    pub module: &'static Module,
    pub foreign_key: &'static str,
}

/// Records of another module listed from one of this module's (`CrmCustomer/queryContacts`).
pub struct Related {
    /// The route action: `queryContacts`.
    pub action: &'static str,
    pub module: &'static Module,
    pub via: Via,
}

/// How related records are found.
pub enum Via {
    /// Their column holding this module's id (a customer's contacts: `customer_id`).
    Column(&'static str),
    /// A link table: `own` holds this module's id, `other` the related record's; `relate`
    /// and `unrelate` name the routes that add and remove links.
    Link {
        table: Table,
        own: &'static str,
        other: &'static str,
        relate: &'static str,
        unrelate: &'static str,
    },
}

/// A system scene: name, live rule (`bydata`: `all`, `self`, `child`, `takePart`, …) and its
/// stored J9 conditions (JSON text).
pub struct SystemScene {
    pub name: &'static str,
    pub bydata: &'static str,
    pub data: &'static str,
}

/// No conditions, as J9 `data` JSON text.
pub const NO_CONDITIONS: &str = "{}";

pub const fn scene(name: &'static str, bydata: &'static str, data: &'static str) -> SystemScene {
    SystemScene { name, bydata, data }
}

/// The future a module hook answers.
pub type HookFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>>;
/// A save hook: the services, the save's transaction, the caller, the record, the request.
pub type SaveHook = for<'a> fn(&'a Crm, &'a mut Tx, &'a Actor, Saved, Input<'a>) -> HookFuture<'a>;

/// The record a save wrote, and whether it made it.
#[derive(Clone, Copy, Debug)]
pub struct Saved {
    pub id: i64,
    pub created: bool,
}
/// A hook on records: the services, the change's transaction, the records' ids.
pub type RecordsHook = for<'a> fn(&'a Crm, &'a mut Tx, &'a [i64]) -> HookFuture<'a>;
/// An owner-change hook: the services, the change's transaction, the new owner.
pub type OwnerHook = for<'a> fn(&'a Crm, &'a mut Tx, i64) -> HookFuture<'a>;

/// The scope of a module's pool export: the services, the caller and the pool asked for
/// (every pool the caller may use when none) → the condition its records meet.
pub type PoolScopeHook =
    for<'a> fn(
        &'a Crm,
        &'a Actor,
        Option<i64>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Filter>> + Send + 'a>>;

/// A module's public pool as its exports see it (customers: `poolBatchExportExcel`,
/// `poolAllExportExcel`).
#[derive(Clone, Copy)]
pub struct PoolExport {
    /// The realm of the pool's rights (its `excelexport`).
    pub realm: &'static str,
    /// The name of the exported file.
    pub file_stem: &'static str,
    /// The records of the pools the caller asks for and may use, instead of `scope`.
    pub scope: PoolScopeHook,
}

/// An integer column shown by label rather than number (成交状态: 已成交/未成交).
pub type Labels = (&'static str, &'static [(i64, &'static str)]);

/// An enrichment hook: adds a module's computed keys to a page of rendered records.
pub type EnrichHook = for<'a> fn(&'a Crm, &'a mut [Map<String, Value>]) -> HookFuture<'a>;

/// One CRM module.
pub struct Module {
    /// The route segment: `CrmLeads`.
    pub route: &'static str,
    /// The label of the field catalogue and scenes: 1 leads, 2 customer, 3 contacts, 5 business.
    pub label: i64,
    /// The Chinese noun used in messages: `线索`.
    pub title: &'static str,
    pub table: Table,
    /// The id key in requests and responses: `leadsId`.
    pub id_key: &'static str,
    /// The id-list parameter of delete and transfer: `leadsIds`.
    pub ids_key: &'static str,
    pub fields: &'static [SysField],
    /// Columns searched by the keyword `search` (reference §2.1).
    pub search: &'static [&'static str],
    pub lookups: &'static [Lookup],
    /// The realm of the module in the rights tree (`leads`, `customer`, …).
    pub realm: &'static str,
    /// Whether records have team members (customer, contacts, business).
    pub has_team: bool,
    /// Whether data scopes limit who sees records (products are seen by everyone).
    pub data_scoped: bool,
    /// Runs inside a save's transaction once the record is written (business: its line
    /// items from the request's `product`).
    pub after_save: Option<SaveHook>,
    /// Runs inside a delete's transaction before the records go (business: their line items).
    pub before_delete: Option<RecordsHook>,
    /// Runs inside a create's transaction once the record is written (customers: the
    /// owner's limit).
    pub after_create: Option<RecordsHook>,
    /// Runs inside an owner change's transaction once the records have their new owner.
    pub after_owner_change: Option<OwnerHook>,
    /// Conditions in the J9 `data` format (JSON text) applied when the request does not
    /// override them (leads: only unconverted ones).
    pub default_conditions: &'static str,
    /// The scenes every user gets on first use of the module's lists.
    pub system_scenes: &'static [SystemScene],
    /// A condition of the module's own kind (business: `business_type`), given the field
    /// name and the condition object; `None` leaves it to the generic filter language.
    pub special_condition: fn(&str, &Map<String, Value>) -> Option<Result<Filter>>,
    /// Columns set on every owner change (the follow-up state starts again).
    pub on_owner_change: &'static [(&'static str, i64)],
    /// Whether records take follow-ups (跟进记录; leads, customers, contacts, business).
    pub follow_ups: bool,
    /// The other modules' records listed from a record of this one.
    pub related: &'static [Related],
    /// Adds computed keys to rendered records (customers: `businessCount`; business:
    /// `progressBar`), a page at a time.
    pub enrich: Option<EnrichHook>,
    /// Whether users may follow (关注) records: `star` routes, the row flag, 我关注的 scenes.
    pub stars: bool,
    /// Columns set by every follow-up, beyond its time, content and next time (跟进状态 1).
    pub on_follow_up: &'static [(&'static str, i64)],
    /// Whether its follow-ups also show on the timelines of the contacts and business they
    /// name, which take its next contact time too (customers, as in J9).
    pub shares_follow_ups: bool,
    /// A condition every list of this module carries (customers: not in the pool).
    pub scope: fn() -> Filter,
    /// The module's public pool, for exports of its records (customers).
    pub pool: Option<PoolExport>,
    /// Integer columns that sheets show by label (customers' 成交状态).
    pub labels: &'static [Labels],
    /// Rows that must be gone before a record may be deleted.
    pub dependents: &'static [Dependent],
    /// Related records moved along on transfer, chosen by `changeType`.
    pub cascades: &'static [Cascade],
    /// A money column summed over the whole filtered list, and its response key.
    pub list_sum: Option<(&'static str, &'static str)>,
    /// Adjusts a rendered row (derived values such as the business stage name).
    pub decorate: fn(&mut Map<String, Value>),
    /// The action that gives records a new owner (`transfer`; leads: `changeOwnerUser`).
    pub transfer_action: &'static str,
    /// A detail request naming this key instead of the module's own id key reads a record
    /// of that module (the seed documents the contacts detail at `CrmCustomer/queryById`).
    pub detail_alias: Option<(&'static str, &'static Module)>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.route)
    }
}

impl Module {
    /// What a descriptor does not say: no team, no line items, data-scoped, no default
    /// conditions or list scope, no dependents or cascades, no list sum, no decoration,
    /// owner changes by `transfer`. Descriptors name their own parts and take the rest
    /// with `..Module::DEFAULTS`, so a new rule with a default touches no descriptor.
    pub const DEFAULTS: Module = Module {
        route: "",
        label: 0,
        title: "",
        table: Table { name: "", id: "" },
        id_key: "",
        ids_key: "",
        fields: &[],
        search: &[],
        lookups: &[],
        realm: "",
        has_team: false,
        data_scoped: true,
        after_save: None,
        before_delete: None,
        after_create: None,
        after_owner_change: None,
        default_conditions: NO_CONDITIONS,
        system_scenes: &[],
        special_condition: |_, _| None,
        on_owner_change: &[],
        follow_ups: false,
        stars: false,
        enrich: None,
        related: &[],
        on_follow_up: &[],
        shares_follow_ups: false,
        scope: no_scope,
        pool: None,
        labels: &[],
        dependents: &[],
        cascades: &[],
        list_sum: None,
        decorate: no_decoration,
        transfer_action: "transfer",
        detail_alias: None,
    };

    /// The module and id a detail request reads: its own id key, or an alias's.
    pub fn detail_target(&'static self, has_key: impl Fn(&str) -> bool) -> &'static Module {
        match self.detail_alias {
            Some((key, other)) if !has_key(self.id_key) && has_key(key) => other,
            _ => self,
        }
    }

    pub fn field(&self, column: &str) -> Option<&'static SysField> {
        self.fields.iter().find(|f| f.column == column)
    }

    /// Finds a system field by its snake_case column or its camelCase key.
    pub fn field_by_key(&self, key: &str) -> Option<&'static SysField> {
        let column = snake_case(key);
        self.field(&column)
    }

    /// The field that names a record (`客户名称`): its first required text field.
    pub fn name_field(&self) -> Option<&'static SysField> {
        self.fields
            .iter()
            .find(|f| f.required && matches!(f.kind, FieldKind::Text(_)))
    }

    pub fn id_column(&self) -> &'static str {
        self.table.id
    }
}

pub fn no_scope() -> Filter {
    Filter::True
}

pub fn no_decoration(_: &mut Map<String, Value>) {}

/// `owner_user_id` → `ownerUserId`.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `ownerUserId` → `owner_user_id`; snake_case input is returned unchanged.
pub fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn converts_between_cases() {
        assert_eq!(camel_case("owner_user_id"), "ownerUserId");
        assert_eq!(snake_case("ownerUserId"), "owner_user_id");
        assert_eq!(snake_case("leads_name"), "leads_name");
    }

    proptest! {
        #[test]
        fn snake_camel_round_trip(words in proptest::collection::vec("[a-z]{1,8}", 1..5)) {
            let snake = words.join("_");
            prop_assert_eq!(snake_case(&camel_case(&snake)), snake);
        }
    }
}
