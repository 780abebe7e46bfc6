//! 线索 (leads). Converted leads stay in the table but are hidden from lists unless asked for.

use super::*;
use crate::crm::module::scene;

mod conversion;

pub use conversion::Conversion;

pub static LEADS: Module = Module {
    route: "CrmLeads",
    label: 1,
    title: "线索",
    table: tables::LEADS,
    id_key: "leadsId",
    ids_key: "leadsIds",
    fields: &with_common_fields![
        SysField::system("leads_id", "线索id", FieldKind::Int),
        SysField::required("leads_name", "线索名称", FieldKind::Text(255)),
        SysField::input("mobile", "手机", FieldKind::Text(100)),
        SysField::input("telephone", "电话", FieldKind::Text(100)),
        SysField::input("email", "邮箱", FieldKind::Text(100)),
        SysField::input("address", "地址", FieldKind::Text(255)),
        SysField::input("remark", "备注", FieldKind::Text(800)),
        NEXT_TIME,
        SysField::system("is_transform", "是否已转化", FieldKind::Int),
        SysField::system("customer_id", "客户", FieldKind::Ref(CUSTOMER_TABLE, "客户")),
        FOLLOWUP,
    ],
    search: &["leads_name", "telephone", "mobile"],
    lookups: &[OWNER_NAME, CREATE_USER_NAME],
    realm: "leads",
    default_conditions: UNCONVERTED,
    system_scenes: &[
        scene("全部线索", "all", UNCONVERTED),
        scene("我负责的线索", "self", UNCONVERTED),
        scene("我关注的线索", "star", UNCONVERTED),
        scene("下属负责的线索", "child", UNCONVERTED),
        scene("已转化的线索", "transform", CONVERTED),
    ],
    on_owner_change: RESET_FOLLOWUP,
    follow_ups: true,
    stars: true,
    on_follow_up: FOLLOWED_UP,
    transfer_action: "changeOwnerUser",
    decorate: |row| {
        // J11 also names a lead `name` (the document's detail shows both).
        let name = row.get("leadsName").cloned().unwrap_or_default();
        row.insert("name".into(), name);
    },
    ..Module::DEFAULTS
};

/// J9 starts every leads list from "not converted" unless the request or scene says otherwise.
const UNCONVERTED: &str = r#"{"is_transform":{"name":"is_transform","condition":"is","value":0}}"#;
const CONVERTED: &str = r#"{"is_transform":{"name":"is_transform","condition":"is","value":1}}"#;
