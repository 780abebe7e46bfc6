//! 联系人 (contacts). Every contact belongs to a customer.

use super::*;

pub static CONTACTS: Module = Module {
    route: "CrmContacts",
    label: 3,
    title: "联系人",
    table: CONTACTS_TABLE,
    id_key: "contactsId",
    ids_key: "contactsIds",
    fields: &with_common_fields![
        SysField::system("contacts_id", "联系人id", FieldKind::Int),
        SysField::required("name", "姓名", FieldKind::Text(100)),
        SysField::required("customer_id", "客户名称", FieldKind::Ref(CUSTOMER_TABLE, "客户")),
        SysField::input("mobile", "手机", FieldKind::Text(255)),
        SysField::input("telephone", "电话", FieldKind::Text(255)),
        SysField::input("email", "电子邮箱", FieldKind::Text(255)),
        SysField::input("post", "职务", FieldKind::Text(255)),
        SysField::input("address", "地址", FieldKind::Text(500)),
        SysField::input("remark", "备注", FieldKind::Text(2048)),
        NEXT_TIME,
    ],
    search: &["name", "telephone", "mobile"],
    lookups: &[OWNER_NAME, CREATE_USER_NAME, CUSTOMER_NAME],
    realm: "contacts",
    system_scenes: &[
        scene("全部联系人", "all", NO_CONDITIONS),
        scene("我负责的联系人", "self", NO_CONDITIONS),
        scene("我关注的联系人", "star", NO_CONDITIONS),
        scene("下属负责的联系人", "child", NO_CONDITIONS),
    ],
    has_team: true,
    follow_ups: true,
    stars: true,
    related: &[Related {
        action: "queryBusiness",
        module: &super::BUSINESS,
        via: Via::Link {
            table: CONTACTS_BUSINESS,
            own: "contacts_id",
            other: "business_id",
            relate: "relateBusiness",
            unrelate: "unrelateBusiness",
        },
    }],
    ..Module::DEFAULTS
};
