//! 产品 (products): a catalogue, not owned data — every user with the right sees every
//! product. Products are on or off the shelf (`status`), sit in a category, and appear on
//! business opportunities as line items.

use super::*;
use crate::crm::module::Dependent;

pub const PRODUCT_TABLE: Table = tables::PRODUCT;
pub const CATEGORY_TABLE: Table = tables::PRODUCT_CATEGORY;
/// The name of a product's category, shown as `categoryName` (also on business line items).
pub const CATEGORY_NAME: Lookup = Lookup {
    key: "categoryName",
    join: Join {
        alias: "category",
        table: tables::PRODUCT_CATEGORY,
        on: "category_id",
    },
    column: "name",
};
const LINE_TABLE: Table = tables::BUSINESS_PRODUCT;

/// The shelf status's column, and its name, which J9 conditions use with its texts
/// (`shelf_status`).
pub const SHELF_COLUMN: &str = "status";
pub const SHELF_FIELD: &str = "是否上下架";

/// The shelf status of J9's texts: 上架 1, 下架 0.
pub fn shelf_status(text: &str) -> Option<i64> {
    match text.trim() {
        "上架" => Some(1),
        "下架" => Some(0),
        _ => None,
    }
}

const ON_SHELF: &str = r#"{"status":{"name":"status","condition":"is","value":1}}"#;
const OFF_SHELF: &str = r#"{"status":{"name":"status","condition":"is","value":0}}"#;

pub static PRODUCT: Module = Module {
    route: "CrmProduct",
    label: 4,
    title: "产品",
    table: PRODUCT_TABLE,
    id_key: "productId",
    ids_key: "productIds",
    fields: &with_common_fields![
        SysField::system("product_id", "产品id", FieldKind::Int),
        SysField::required("name", "产品名称", FieldKind::Text(255)),
        SysField::required("num", "产品编码", FieldKind::Text(255)),
        SysField::input("unit", "产品单位", FieldKind::Text(50)),
        SysField::required("price", "价格", FieldKind::Money),
        SysField::system(SHELF_COLUMN, SHELF_FIELD, FieldKind::Int),
        SysField::required(
            "category_id",
            "产品类型",
            FieldKind::Ref(CATEGORY_TABLE, "产品类型")
        ),
        SysField::input("description", "产品描述", FieldKind::Text(5000)),
    ],
    search: &["name"],
    lookups: &[OWNER_NAME, CREATE_USER_NAME, CATEGORY_NAME],
    realm: "product",
    system_scenes: &[
        scene("全部产品", "all", NO_CONDITIONS),
        scene("上架的产品", "all", ON_SHELF),
        scene("下架的产品", "all", OFF_SHELF),
    ],
    data_scoped: false,
    dependents: &[Dependent {
        table: LINE_TABLE,
        foreign_key: "product_id",
    }],
    ..Module::DEFAULTS
};
