//! 商机 (business opportunities): money, a status group with stages, and a won/lost end.

use serde_json::{Map, Value};

use super::*;

pub const BUSINESS_TABLE: Table = tables::BUSINESS;
const TYPE_TABLE: Table = tables::BUSINESS_TYPE;
const STATUS_TABLE: Table = tables::BUSINESS_STATUS;

pub static BUSINESS: Module = Module {
    route: "CrmBusiness",
    label: 5,
    title: "商机",
    table: BUSINESS_TABLE,
    id_key: "businessId",
    ids_key: "businessIds",
    fields: &with_common_fields![
        SysField::system("business_id", "商机id", FieldKind::Int),
        SysField::required("business_name", "商机名称", FieldKind::Text(255)),
        SysField::required("customer_id", "客户名称", FieldKind::Ref(CUSTOMER_TABLE, "客户")),
        SysField::input(
            "contacts_id",
            "首要联系人",
            FieldKind::Ref(CONTACTS_TABLE, "联系人"),
        ),
        SysField::input("type_id", "商机状态组", FieldKind::Ref(TYPE_TABLE, "商机状态组")),
        SysField::input("status_id", "商机阶段", FieldKind::Ref(STATUS_TABLE, "商机阶段")),
        SysField::input("deal_date", "预计成交日期", FieldKind::DateTime),
        SysField::input("money", "商机金额", FieldKind::Money),
        SysField::input("discount_rate", "整单折扣", FieldKind::Money),
        SysField::input("total_price", "产品总金额", FieldKind::Money),
        SysField::input("remark", "备注", FieldKind::Text(1024)),
        SysField::system("is_end", "结束状态", FieldKind::Int),
        SysField::system("status_remark", "阶段备注", FieldKind::Text(500)),
        SysField::system("status", "状态", FieldKind::Int),
        NEXT_TIME,
        FOLLOWUP,
    ],
    search: &["business_name"],
    lookups: &[
        OWNER_NAME,
        CREATE_USER_NAME,
        CUSTOMER_NAME,
        Lookup {
            key: "typeName",
            join: Join {
                alias: "business_type",
                table: tables::BUSINESS_TYPE,
                on: "type_id",
            },
            column: "name",
        },
        Lookup {
            key: "statusName",
            join: Join {
                alias: "business_status",
                table: tables::BUSINESS_STATUS,
                on: "status_id",
            },
            column: "name",
        },
    ],
    realm: "business",
    has_team: true,
    line_items: true,
    list_sum: Some(("money", "businessSumMoney")),
    decorate: show_end_state,
    ..Module::DEFAULTS
};

/// A finished business shows its end (赢单/输单/无效) in place of the stage name (J9
/// `setBusinessStatus`).
fn show_end_state(row: &mut Map<String, Value>) {
    let end = match row.get("isEnd").and_then(Value::as_i64) {
        Some(1) => "赢单",
        Some(2) => "输单",
        Some(3) => "无效",
        _ => return,
    };
    row.insert("statusName".into(), Value::String(end.into()));
}
