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
pub use customer::CUSTOMER;
pub use leads::LEADS;
pub use product::{CATEGORY_NAME, CATEGORY_TABLE, PRODUCT, PRODUCT_TABLE};

use super::module::{FieldKind, Lookup, Module, SysField};
use crate::store::records::{Join, Table};

pub static ALL: [&Module; 5] = [&LEADS, &CUSTOMER, &CONTACTS, &PRODUCT, &BUSINESS];

pub fn by_label(label: i64) -> Option<&'static Module> {
    ALL.iter().copied().find(|m| m.label == label)
}

pub const USER_TABLE: Table = Table {
    name: "admin_user",
    id: "user_id",
};
pub const CUSTOMER_TABLE: Table = Table {
    name: "crm_customer",
    id: "customer_id",
};
pub const CONTACTS_TABLE: Table = Table {
    name: "crm_contacts",
    id: "contacts_id",
};

// The fields every module shares.
const OWNER: SysField = SysField::input("owner_user_id", "负责人", FieldKind::User);
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
        table: "admin_user",
        key: "user_id",
        on: "owner_user_id",
    },
    column: "realname",
};
const CREATE_USER_NAME: Lookup = Lookup {
    key: "createUserName",
    join: Join {
        alias: "create_user",
        table: "admin_user",
        key: "user_id",
        on: "create_user_id",
    },
    column: "realname",
};
const CUSTOMER_NAME: Lookup = Lookup {
    key: "customerName",
    join: Join {
        alias: "customer",
        table: "crm_customer",
        key: "customer_id",
        on: "customer_id",
    },
    column: "customer_name",
};
