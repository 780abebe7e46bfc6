//! The five CRM modules (leads, customers, contacts, business, products), each described
//! once. Rules specific to one module live in its file.

/// A module's field list: its own fields, then the owner/creator/time/batch/follow-up
/// columns every module has.
macro_rules! with_common_fields {
    ($($field:expr),* $(,)?) => {
        [$($field,)* OWNER, CREATE_USER, CREATE_TIME, UPDATE_TIME, BATCH, LAST_TIME, LAST_CONTENT]
    };
}

mod business;
mod contacts;
mod customer;
mod leads;
mod product;

pub use business::BUSINESS;
pub use contacts::CONTACTS;
pub use customer::{
    CUSTOMER, DealChange, LimitQuery, LimitRef, LimitRule, LockChange, PoolDraft, PoolEntry, PoolMove,
    PoolQuery, PoolRef, PoolRules, PoolStatus, PoolTake, Recycled,
};
pub use leads::{Conversion, LEADS};
pub use product::{
    CATEGORY_NAME, CATEGORY_TABLE, PRODUCT, PRODUCT_TABLE, SHELF_COLUMN, SHELF_FIELD, shelf_status,
};

use super::module::{FieldKind, Lookup, Module, NO_CONDITIONS, Related, SysField, Via, scene};
use crate::store::records::{Join, OWNER_COLUMN, Table};
use crate::store::tables;

pub static ALL: [&Module; 5] = [&LEADS, &CUSTOMER, &CONTACTS, &PRODUCT, &BUSINESS];

pub fn by_label(label: i64) -> Option<&'static Module> {
    ALL.iter().copied().find(|m| m.label == label)
}

pub const USER_TABLE: Table = tables::USER;
pub const CUSTOMER_TABLE: Table = tables::CUSTOMER;
pub const CONTACTS_TABLE: Table = tables::CONTACTS;

/// Contacts and business related to each other, seen from either side.
const CONTACTS_BUSINESS: Table = tables::CONTACTS_BUSINESS;

/// A new owner starts the follow-up state again (跟进状态 0).
const RESET_FOLLOWUP: &[(&str, i64)] = &[("followup", 0)];
/// A follow-up marks the record followed up (跟进状态 1).
const FOLLOWED_UP: &[(&str, i64)] = &[("followup", 1)];

// The fields every module shares.
const OWNER: SysField = SysField::input(OWNER_COLUMN, "负责人", FieldKind::User);
const CREATE_USER: SysField = SysField::system("create_user_id", "创建人", FieldKind::User);
const CREATE_TIME: SysField = SysField::system("create_time", "创建时间", FieldKind::DateTime);
const UPDATE_TIME: SysField = SysField::system("update_time", "更新时间", FieldKind::DateTime);
const BATCH: SysField = SysField::system("batch_id", "批次", FieldKind::Text(32));
const NEXT_TIME: SysField = SysField::input("next_time", "下次联系时间", FieldKind::DateTime);
const LAST_TIME: SysField = SysField::system("last_time", "最后跟进时间", FieldKind::DateTime);
const LAST_CONTENT: SysField = SysField::system("last_content", "最后跟进记录", FieldKind::Text(1024));
const FOLLOWUP: SysField = SysField::system("followup", "跟进状态", FieldKind::Int);

const OWNER_NAME: Lookup = Lookup {
    key: "ownerUserName",
    join: Join {
        alias: "owner_user",
        table: tables::USER,
        on: OWNER_COLUMN,
    },
    column: "realname",
};
const CREATE_USER_NAME: Lookup = Lookup {
    key: "createUserName",
    join: Join {
        alias: "create_user",
        table: tables::USER,
        on: "create_user_id",
    },
    column: "realname",
};
const CUSTOMER_NAME: Lookup = Lookup {
    key: "customerName",
    join: Join {
        alias: "customer",
        table: tables::CUSTOMER,
        on: "customer_id",
    },
    column: "customer_name",
};
