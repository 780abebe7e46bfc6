//! How each WukongCRM 9 table maps onto wkcrm's, in the order the steps run (a table
//! after those its rows point to). A mapping answers the row to write, or why it is left out.

use serde_json::Value;

use super::cells::{Mapping, int_or, mapped, required_text, time, time_or_created};
use super::{Context, Needs, Row, Step, file_map, scene_map};
use crate::crm::auth::wrap_legacy_password;
use crate::crm::money::parse_fen;
use crate::store::Cell;
use crate::store::explicit_ids::{self as dest, Dest};
use crate::store::fields::FieldRow;
use crate::store::tables::{self, Table};
use crate::store::wukong::{self as src, label_of_types};

const fn needs(column: &'static str, table: Table, what: &'static str) -> Needs {
    Needs { column, table, what }
}

pub(super) static STEPS: &[Step] = &[
    step(&src::DEPT, &dest::DEPT, None, &[], dept),
    step(&src::USER, &dest::USER, None, &[], user),
    step(&src::ROLE, &dest::ROLE, None, &[], role),
    step(
        &src::USER_ROLE,
        &dest::USER_ROLE,
        None,
        &[
            needs("user_id", tables::USER, "员工"),
            needs("role_id", dest::ROLE.table, "角色"),
        ],
        user_role,
    ),
    step(
        &src::ROLE_MENU,
        &dest::ROLE_MENU,
        None,
        &[
            needs("role_id", dest::ROLE.table, "角色"),
            needs("menu_id", dest::MENU_IDS.table, "wkcrm 的菜单权限"),
        ],
        role_menu,
    ),
    step(&src::FIELD, &dest::FIELD, None, &[], field),
    step(
        &src::PRODUCT_CATEGORY,
        &dest::PRODUCT_CATEGORY,
        None,
        &[],
        product_category,
    ),
    step(&src::PRODUCT, &dest::PRODUCT, Some(4), &[], product),
    step(
        &src::BUSINESS_TYPE,
        &dest::BUSINESS_TYPE,
        None,
        &[],
        business_type,
    ),
    step(
        &src::BUSINESS_STATUS,
        &dest::BUSINESS_STATUS,
        None,
        &[needs("type_id", tables::BUSINESS_TYPE, "商机组")],
        business_status,
    ),
    step(&src::CUSTOMER, &dest::CUSTOMER, Some(2), &[], customer),
    step(&src::LEADS, &dest::LEADS, Some(1), &[], leads),
    step(
        &src::CONTACTS,
        &dest::CONTACTS,
        Some(3),
        &[needs("customer_id", tables::CUSTOMER, "客户")],
        contacts,
    ),
    step(
        &src::BUSINESS,
        &dest::BUSINESS,
        Some(5),
        &[needs("customer_id", tables::CUSTOMER, "客户")],
        business,
    ),
    step(
        &src::BUSINESS_PRODUCT,
        &dest::BUSINESS_PRODUCT,
        None,
        &[
            needs("business_id", tables::BUSINESS, "商机"),
            needs("product_id", tables::PRODUCT, "产品"),
        ],
        business_product,
    ),
    step(
        &src::CONTACTS_BUSINESS,
        &dest::CONTACTS_BUSINESS,
        None,
        &[
            needs("contacts_id", tables::CONTACTS, "联系人"),
            needs("business_id", tables::BUSINESS, "商机"),
        ],
        contacts_business,
    ),
    about_records(
        &src::FOLLOW_RECORD,
        &dest::FOLLOW_RECORD,
        "types_id",
        follow_record,
    ),
    about_records(
        &src::ACTION_RECORD,
        &dest::ACTION_RECORD,
        "action_id",
        action_record,
    ),
    step(
        &src::SCENE,
        &dest::SCENE,
        None,
        &[needs("user_id", tables::USER, "员工")],
        scene_map::scene,
    ),
    step(
        &src::SCENE_DEFAULT,
        &dest::SCENE_DEFAULT,
        None,
        &[
            needs("user_id", tables::USER, "员工"),
            needs("scene_id", dest::SCENE.table, "场景"),
        ],
        scene_map::scene_default,
    ),
    step(&src::FILE, &dest::FILE, None, &[], file_map::file),
];

const fn step(
    source: &'static src::SourceTable,
    dest: &'static Dest,
    custom_label: Option<i64>,
    needs: &'static [Needs],
    map: fn(&Context<'_>, &Row<'_>) -> Mapping,
) -> Step {
    Step {
        source,
        dest,
        custom_label,
        needs,
        subject_column: None,
        map,
    }
}

/// A step whose rows are about a record of any module (`types`, and the id in `column`).
const fn about_records(
    source: &'static src::SourceTable,
    dest: &'static Dest,
    column: &'static str,
    map: fn(&Context<'_>, &Row<'_>) -> Mapping,
) -> Step {
    Step {
        source,
        dest,
        custom_label: None,
        needs: &[],
        subject_column: Some(column),
        map,
    }
}

/// The record tables by module label, for follow-ups and history.
pub(super) const RECORD_TABLES: [(i64, Table); 5] = [
    (1, tables::LEADS),
    (2, tables::CUSTOMER),
    (3, tables::CONTACTS),
    (4, tables::PRODUCT),
    (5, tables::BUSINESS),
];

fn text(row: &Row<'_>, column: &str) -> Cell {
    row.text(column).map_or(Cell::Null, |t| Cell::Text(t.to_owned()))
}

/// Text that must not be NULL here: blank when the source has none.
fn text_or_blank(row: &Row<'_>, column: &str) -> Cell {
    Cell::Text(row.text(column).unwrap_or_default().to_owned())
}

fn int(row: &Row<'_>, column: &str) -> Cell {
    row.int(column).map_or(Cell::Null, Cell::Int)
}

/// A `decimal(…, 2)` as integer hundredths (fen; percentages in hundredths too).
fn hundredths(row: &Row<'_>, column: &str, what: &str) -> Result<Cell, String> {
    match row.text(column).map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Cell::Null),
        Some(t) => parse_fen(&Value::String(t.to_owned()))
            .map(Cell::Int)
            .ok_or_else(|| format!("格式错误：{what}“{t}”不是金额")),
    }
}

/// The `batch_id` of a record; WukongCRM allows none on some tables, wkcrm does not.
fn batch_id(row: &Row<'_>) -> Cell {
    match row.text("batch_id").filter(|b| !b.is_empty()) {
        Some(b) => Cell::Text(b.to_owned()),
        None => Cell::Text(format!("wk9{}{}", row.table.name.len(), row.id())),
    }
}

/// `,1,2,` or `1,2`: the ids of a WukongCRM list column.
fn id_list(text: Option<&str>) -> Vec<i64> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// Team members from the read-only and read-write user lists (`ro_user_id`, `rw_user_id`).
fn team(ctx: &Context<'_>, row: &Row<'_>, label: i64) -> Vec<(&'static Dest, Vec<Cell>)> {
    let now = Cell::DateTime(ctx.crm.clock.now());
    let owner = row.int("owner_user_id");
    let rw = id_list(row.text("rw_user_id"));
    let ro = id_list(row.text("ro_user_id"))
        .into_iter()
        .filter(|u| !rw.contains(u));
    let members = ro.map(|u| (u, 1)).chain(rw.iter().map(|u| (*u, 2)));
    members
        .filter(|(u, _)| Some(*u) != owner)
        .map(|(user, power)| {
            let cells = vec![
                ("label", Cell::Int(label)),
                ("record_id", Cell::Int(row.id())),
                ("user_id", Cell::Int(user)),
                ("power", Cell::Int(power)),
                ("create_time", now.clone()),
            ];
            (&dest::TEAM_MEMBER, dest::TEAM_MEMBER.row(cells))
        })
        .collect()
}

fn dept(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::DEPT,
        vec![
            ("dept_id", Cell::Int(row.id())),
            ("pid", int_or(row, "pid", 0)),
            ("name", required_text(row, "name", "部门名称")?),
            ("num", int_or(row, "num", 0)),
            ("remark", text_or_blank(row, "remark")),
        ],
    )
}

/// WukongCRM's super administrator (`BaseConstant.SUPER_ADMIN_USER_ID`).
const SUPER_ADMIN_ID: i64 = 1;

fn user(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let password = match (row.text("password"), row.text("salt")) {
        (Some(hash), Some(salt)) if !hash.is_empty() => wrap_legacy_password(salt, hash)?,
        // No hash to check against: nobody can log in until an administrator resets it.
        _ => "!".to_owned(),
    };
    mapped(
        row,
        &dest::USER,
        vec![
            ("user_id", Cell::Int(row.id())),
            ("username", required_text(row, "username", "用户名")?),
            ("password", Cell::Text(password)),
            ("realname", text_or_blank(row, "realname")),
            ("mobile", text_or_blank(row, "mobile")),
            ("email", text(row, "email")),
            ("sex", int(row, "sex")),
            ("img", text(row, "img")),
            ("num", text(row, "num")),
            ("post", text(row, "post")),
            ("dept_id", int(row, "dept_id")),
            ("parent_id", int(row, "parent_id").clone()),
            // 0 disabled; 1 active and 2 not yet activated both log in.
            ("status", Cell::Int(i64::from(row.int("status") != Some(0)))),
            ("is_admin", Cell::Int(i64::from(row.id() == SUPER_ADMIN_ID))),
            ("create_time", time_or_created(ctx, row, "create_time")),
            ("last_login_time", time(ctx, row, "last_login_time")),
            ("last_login_ip", text(row, "last_login_ip")),
        ],
    )
}

fn role(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::ROLE,
        vec![
            ("role_id", Cell::Int(row.id())),
            ("role_name", text_or_blank(row, "role_name")),
            ("role_type", int_or(row, "role_type", 2)),
            ("data_type", int_or(row, "data_type", 1)),
            ("remark", text_or_blank(row, "remark")),
            ("status", int_or(row, "status", 1)),
        ],
    )
}

fn user_role(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::USER_ROLE,
        vec![("user_id", int(row, "user_id")), ("role_id", int(row, "role_id"))],
    )
}

fn role_menu(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::ROLE_MENU,
        vec![("role_id", int(row, "role_id")), ("menu_id", int(row, "menu_id"))],
    )
}

/// wkcrm's form type of a WukongCRM 9 field type (`admin_field.type`), where it has one.
fn form_type(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "text",
        2 => "textarea",
        3 => "select",
        4 => "date",
        5 => "number",
        6 => "floatnumber",
        7 => "mobile",
        9 => "checkbox",
        10 => "user",
        12 => "structure",
        13 => "datetime",
        14 => "email",
        _ => return None,
    })
}

/// Custom fields of the five modules; fixed fields are wkcrm's own already, and values
/// will be matched to fields by module and name (as WukongCRM 9 itself stores them).
fn field(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    let label = row.int("label").unwrap_or_default();
    if row.int("field_type") != Some(0) {
        return Err("系统字段：wkcrm 有自己的同名字段".into());
    }
    if !(1..=5).contains(&label) {
        return Err(format!("模块不迁移：字段所属模块（label {label}）"));
    }
    let code = row.int("type").unwrap_or_default();
    let form = form_type(code).ok_or_else(|| format!("字段类型不受支持（type {code}）"))?;
    mapped(
        row,
        &dest::FIELD,
        vec![
            ("label", Cell::Int(label)),
            ("field_name", Cell::Text(format!("field_wk9_{}", row.id()))),
            ("name", required_text(row, "name", "字段名称")?),
            ("form_type", Cell::Text(form.into())),
            ("options", text_or_blank(row, "options")),
            ("is_null", int_or(row, "is_null", 0)),
            ("is_unique", int_or(row, "is_unique", 0)),
            ("default_value", text_or_blank(row, "default_value")),
            ("input_tips", text(row, "input_tips")),
            ("max_length", int(row, "max_length")),
            ("sorting", int_or(row, "sorting", 1)),
            ("field_type", Cell::Int(0)),
        ],
    )
}

/// The definition a mapped `admin_field` row would have (for a dry run's values).
pub(super) fn field_row(cells: &[Cell]) -> Option<FieldRow> {
    let get = |column: &str| {
        dest::FIELD
            .columns
            .iter()
            .position(|(c, _)| *c == column)
            .map(|i| &cells[i])
    };
    let text = |column: &str| get(column).and_then(Cell::as_str).unwrap_or_default().to_owned();
    let int = |column: &str| get(column).and_then(Cell::as_i64);
    Some(FieldRow {
        field_id: 0,
        label: int("label")?,
        field_name: text("field_name"),
        name: text("name"),
        form_type: text("form_type"),
        options: text("options"),
        is_null: int("is_null").unwrap_or_default(),
        is_unique: int("is_unique").unwrap_or_default(),
        default_value: text("default_value"),
        input_tips: get("input_tips").and_then(Cell::as_str).map(str::to_owned),
        max_length: int("max_length"),
        precisions: None,
        sorting: int("sorting").unwrap_or(1),
        is_hidden: 0,
        field_type: 0,
    })
}

fn product_category(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::PRODUCT_CATEGORY,
        vec![
            ("category_id", Cell::Int(row.id())),
            ("name", text_or_blank(row, "name")),
            ("pid", int_or(row, "pid", 0)),
        ],
    )
}

/// The columns every record table has, from the row of the same names.
fn record_columns(ctx: &Context<'_>, row: &Row<'_>) -> Vec<(&'static str, Cell)> {
    vec![
        ("owner_user_id", int(row, "owner_user_id")),
        ("create_user_id", int_or(row, "create_user_id", 0)),
        ("create_time", time_or_created(ctx, row, "create_time")),
        ("update_time", time_or_created(ctx, row, "update_time")),
        ("batch_id", batch_id(row)),
        ("custom", Cell::Json(ctx.custom(row.text("batch_id")))),
    ]
}

fn product(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let mut values = vec![
        ("product_id", Cell::Int(row.id())),
        ("name", required_text(row, "name", "产品名称")?),
        ("num", text_or_blank(row, "num")),
        ("unit", text(row, "unit")),
        (
            "price",
            match hundredths(row, "price", "价格")? {
                Cell::Null => Cell::Int(0),
                fen => fen,
            },
        ),
        // 1 on sale; 0 off and 3 deleted (kept, for the business that list them) are off.
        ("status", Cell::Int(i64::from(row.int("status") == Some(1)))),
        ("category_id", int_or(row, "category_id", 0)),
        ("description", text(row, "description")),
    ];
    values.extend(record_columns(ctx, row));
    mapped(row, &dest::PRODUCT, values)
}

fn business_type(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let mut m = mapped(
        row,
        &dest::BUSINESS_TYPE,
        vec![
            ("type_id", Cell::Int(row.id())),
            ("name", required_text(row, "name", "商机组名称")?),
            ("status", int_or(row, "status", 1)),
            ("create_user_id", int(row, "create_user_id")),
            ("create_time", time_or_created(ctx, row, "create_time")),
            ("update_time", time(ctx, row, "update_time")),
        ],
    )?;
    m.extras = id_list(row.text("dept_ids"))
        .into_iter()
        .map(|d| {
            let cells = vec![("type_id", Cell::Int(row.id())), ("dept_id", Cell::Int(d))];
            (&dest::BUSINESS_TYPE_DEPT, dest::BUSINESS_TYPE_DEPT.row(cells))
        })
        .collect();
    Ok(m)
}

fn business_status(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::BUSINESS_STATUS,
        vec![
            ("status_id", Cell::Int(row.id())),
            ("type_id", int(row, "type_id")),
            ("name", required_text(row, "name", "阶段名称")?),
            ("rate", text(row, "rate")),
            ("order_num", int_or(row, "order_num", 0)),
        ],
    )
}

fn customer(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let owner = row.int("owner_user_id");
    let mut values = vec![
        ("customer_id", Cell::Int(row.id())),
        ("customer_name", required_text(row, "customer_name", "客户名称")?),
        ("mobile", text(row, "mobile")),
        ("telephone", text(row, "telephone")),
        ("website", text(row, "website")),
        ("remark", text(row, "remark")),
        ("address", text(row, "address")),
        ("detail_address", text(row, "detail_address")),
        ("location", text(row, "location")),
        ("lng", text(row, "lng")),
        ("lat", text(row, "lat")),
        ("next_time", time(ctx, row, "next_time")),
        ("deal_status", int_or(row, "deal_status", 0)),
        ("is_lock", int_or(row, "is_lock", 0)),
        ("status", Cell::Int(1)),
        ("followup", int(row, "followup")),
        ("last_content", text(row, "last_content")),
        // No owner: in the public pool (WukongCRM 9 has one, wkcrm's default pool).
        (
            "pool_id",
            match owner {
                None => ctx.pool_id.map_or(Cell::Null, Cell::Int),
                Some(_) => Cell::Null,
            },
        ),
    ];
    values.extend(record_columns(ctx, row));
    let mut m = mapped(row, &dest::CUSTOMER, values)?;
    m.extras = team(ctx, row, 2);
    Ok(m)
}

fn leads(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let mut values = vec![
        ("leads_id", Cell::Int(row.id())),
        ("leads_name", required_text(row, "leads_name", "线索名称")?),
        ("mobile", text(row, "mobile")),
        ("telephone", text(row, "telephone")),
        ("address", text(row, "address")),
        ("remark", text(row, "remark")),
        ("next_time", time(ctx, row, "next_time")),
        ("is_transform", int_or(row, "is_transform", 0)),
        ("customer_id", int(row, "customer_id")),
        ("followup", int(row, "followup")),
        ("last_content", text(row, "last_content")),
    ];
    values.extend(record_columns(ctx, row));
    mapped(row, &dest::LEADS, values)
}

fn contacts(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let mut values = vec![
        ("contacts_id", Cell::Int(row.id())),
        ("name", required_text(row, "name", "联系人姓名")?),
        ("customer_id", int(row, "customer_id")),
        ("mobile", text(row, "mobile")),
        ("telephone", text(row, "telephone")),
        ("email", text(row, "email")),
        ("post", text(row, "post")),
        ("address", text(row, "address")),
        ("remark", text(row, "remark")),
        ("next_time", time(ctx, row, "next_time")),
    ];
    values.extend(record_columns(ctx, row));
    mapped(row, &dest::CONTACTS, values)
}

fn business(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let mut values = vec![
        ("business_id", Cell::Int(row.id())),
        ("business_name", required_text(row, "business_name", "商机名称")?),
        ("customer_id", int(row, "customer_id")),
        ("type_id", int(row, "type_id")),
        ("status_id", int(row, "status_id")),
        ("deal_date", time(ctx, row, "deal_date")),
        ("money", hundredths(row, "money", "商机金额")?),
        (
            "discount_rate",
            match hundredths(row, "discount_rate", "整单折扣")? {
                Cell::Null => Cell::Int(0),
                rate => rate,
            },
        ),
        (
            "total_price",
            match hundredths(row, "total_price", "产品总金额")? {
                Cell::Null => Cell::Int(0),
                total => total,
            },
        ),
        ("remark", text(row, "remark")),
        ("is_end", int_or(row, "is_end", 0)),
        ("status_remark", text(row, "status_remark")),
        ("status", Cell::Int(1)),
        ("next_time", time(ctx, row, "next_time")),
    ];
    values.extend(record_columns(ctx, row));
    let mut m = mapped(row, &dest::BUSINESS, values)?;
    m.extras = team(ctx, row, 5);
    Ok(m)
}

fn business_product(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    let amount = |column: &str, what: &str| -> Result<Cell, String> {
        Ok(match hundredths(row, column, what)? {
            Cell::Null => Cell::Int(0),
            fen => fen,
        })
    };
    mapped(
        row,
        &dest::BUSINESS_PRODUCT,
        vec![
            ("r_id", Cell::Int(row.id())),
            ("business_id", int(row, "business_id")),
            ("product_id", int(row, "product_id")),
            ("price", amount("price", "单价")?),
            ("sales_price", amount("sales_price", "售价")?),
            ("num", int_or(row, "num", 0)),
            ("discount", amount("discount", "折扣")?),
            ("subtotal", amount("subtotal", "小计")?),
            ("unit", text_or_blank(row, "unit")),
        ],
    )
}

fn contacts_business(_: &Context<'_>, row: &Row<'_>) -> Mapping {
    mapped(
        row,
        &dest::CONTACTS_BUSINESS,
        vec![
            ("id", Cell::Int(row.id())),
            ("contacts_id", int(row, "contacts_id")),
            ("business_id", int(row, "business_id")),
        ],
    )
}

/// The module label and record a follow-up or history entry is about, if that record
/// came over.
fn subject(ctx: &Context<'_>, row: &Row<'_>, id_column: &str) -> Result<(i64, i64), String> {
    let types = row.text("types").unwrap_or_default();
    let label = label_of_types(types).ok_or_else(|| format!("模块不迁移：类型“{types}”"))?;
    let id = row.int(id_column).unwrap_or_default();
    let table = RECORD_TABLES.iter().find(|(l, _)| *l == label).map(|(_, t)| *t);
    match table {
        Some(t) if ctx.has(t, id) => Ok((label, id)),
        _ => Err(format!("孤立记录：所属记录（{types} {id}）不存在")),
    }
}

fn follow_record(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let (label, target) = subject(ctx, row, "types_id")?;
    let mut m = mapped(
        row,
        &dest::FOLLOW_RECORD,
        vec![
            ("record_id", Cell::Int(row.id())),
            ("label", Cell::Int(label)),
            ("target_id", Cell::Int(target)),
            ("content", text_or_blank(row, "content")),
            ("category", text_or_blank(row, "category")),
            ("next_time", time(ctx, row, "next_time")),
            ("business_ids", text(row, "business_ids")),
            ("contacts_ids", text(row, "contacts_ids")),
            ("batch_id", batch_id(row)),
            ("create_user_id", int_or(row, "create_user_id", 0)),
            ("create_time", time_or_created(ctx, row, "create_time")),
        ],
    )?;
    // The timelines it shows on: its record's, and for a customer's also the contacts and
    // business it names (as `Crm::add_follow_up` links them).
    let mut timelines = vec![(label, target)];
    if label == 2 {
        timelines.extend(id_list(row.text("contacts_ids")).into_iter().map(|c| (3, c)));
        timelines.extend(id_list(row.text("business_ids")).into_iter().map(|b| (5, b)));
    }
    m.extras = timelines
        .into_iter()
        .map(|(l, t)| {
            let cells = vec![
                ("label", Cell::Int(l)),
                ("target_id", Cell::Int(t)),
                ("record_id", Cell::Int(row.id())),
            ];
            (&dest::FOLLOW_LINK, dest::FOLLOW_LINK.row(cells))
        })
        .collect();
    Ok(m)
}

fn action_record(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let (label, action_id) = subject(ctx, row, "action_id")?;
    mapped(
        row,
        &dest::ACTION_RECORD,
        vec![
            ("id", Cell::Int(row.id())),
            ("label", Cell::Int(label)),
            ("action_id", Cell::Int(action_id)),
            ("create_user_id", int_or(row, "create_user_id", 0)),
            ("create_time", time_or_created(ctx, row, "create_time")),
            (
                "content",
                Cell::Text(history_sentences(row.text("content").unwrap_or_default())),
            ),
        ],
    )
}

/// History content as wkcrm keeps it: WukongCRM 9's JSON array of sentences, or one
/// sentence when the text is not such an array.
fn history_sentences(text: &str) -> String {
    match serde_json::from_str::<Vec<String>>(text) {
        Ok(sentences) => Value::from(sentences).to_string(),
        Err(_) => Value::from(vec![text.to_owned()]).to_string(),
    }
}
