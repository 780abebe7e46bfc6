//! The tables the services name, each once. Services and module descriptors refer to a
//! table only through these; the SQL that reads them lives in this module's siblings.

/// A record table and its integer primary key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub id: &'static str,
}

pub const USER: Table = Table {
    name: "admin_user",
    id: "user_id",
};
pub const LEADS: Table = Table {
    name: "crm_leads",
    id: "leads_id",
};
pub const CUSTOMER: Table = Table {
    name: "crm_customer",
    id: "customer_id",
};
pub const CONTACTS: Table = Table {
    name: "crm_contacts",
    id: "contacts_id",
};
pub const BUSINESS: Table = Table {
    name: "crm_business",
    id: "business_id",
};
pub const BUSINESS_TYPE: Table = Table {
    name: "crm_business_type",
    id: "type_id",
};
pub const BUSINESS_STATUS: Table = Table {
    name: "crm_business_status",
    id: "status_id",
};
pub const PRODUCT: Table = Table {
    name: "crm_product",
    id: "product_id",
};
pub const PRODUCT_CATEGORY: Table = Table {
    name: "crm_product_category",
    id: "category_id",
};
/// Products on a business (line items).
pub const BUSINESS_PRODUCT: Table = Table {
    name: "crm_business_product",
    id: "r_id",
};
/// Team members of customers, contacts and business; read through `Filter::TeamMember`.
pub(super) const TEAM_MEMBER: Table = Table {
    name: "crm_team_member",
    id: "id",
};
/// Follow-ups (跟进记录), and the timelines each shows on.
pub const FOLLOW_RECORD: Table = Table {
    name: "crm_follow_record",
    id: "record_id",
};
pub const FOLLOW_LINK: Table = Table {
    name: "crm_follow_link",
    id: "link_id",
};
/// The history of records (操作记录), append-only.
pub const ACTION_RECORD: Table = Table {
    name: "crm_action_record",
    id: "id",
};
/// The records a user follows (关注).
pub const STAR: Table = Table {
    name: "crm_star",
    id: "star_id",
};
/// System settings as named, ordered values (follow-up types).
pub const CONFIG: Table = Table {
    name: "admin_config",
    id: "config_id",
};
/// Attachments (附件) of record batches; read and written only by `store::files`.
pub(super) const FILE: Table = Table {
    name: "admin_file",
    id: "file_id",
};
/// Contacts and business related to each other.
pub const CONTACTS_BUSINESS: Table = Table {
    name: "crm_contacts_business",
    id: "id",
};
/// The departments a business status group is limited to (none: every department).
pub const BUSINESS_TYPE_DEPT: Table = Table {
    name: "crm_business_type_dept",
    id: "id",
};
/// Ownership limits and the users and departments each applies to.
pub const CUSTOMER_SETTING: Table = Table {
    name: "crm_customer_setting",
    id: "setting_id",
};
pub const CUSTOMER_SETTING_USER: Table = Table {
    name: "crm_customer_setting_user",
    id: "id",
};
/// The public pools (公海), their administrators and members, recycling rules, hidden list
/// columns, and the daily receive counts.
pub const CUSTOMER_POOL: Table = Table {
    name: "crm_customer_pool",
    id: "pool_id",
};
pub const CUSTOMER_POOL_MEMBER: Table = Table {
    name: "crm_customer_pool_member",
    id: "id",
};
pub const CUSTOMER_POOL_RULE: Table = Table {
    name: "crm_customer_pool_rule",
    id: "rule_id",
};
pub const CUSTOMER_POOL_FIELD: Table = Table {
    name: "crm_customer_pool_field",
    id: "id",
};
pub const CUSTOMER_POOL_RECEIPT: Table = Table {
    name: "crm_customer_pool_receipt",
    id: "id",
};
