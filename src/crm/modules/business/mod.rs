//! 商机 (business opportunities): money, a status group with stages, a won/lost end, and
//! products as line items (`line_items`).

mod line_items;

use serde_json::{Map, Value};

use crate::crm::error::{Error, Result};
use crate::crm::filter::items;
use crate::crm::input::{is_blank, to_i64, to_text};
use crate::crm::module::scene;
use crate::store::{Cell, Filter, Kind, Op};

use super::*;

pub const BUSINESS_TABLE: Table = tables::BUSINESS;
const TYPE_TABLE: Table = tables::BUSINESS_TYPE;
const STATUS_TABLE: Table = tables::BUSINESS_STATUS;

const WON: &str = r#"{"type_id":{"name":"type_id","formType":"business_type","statusId":"win"}}"#;
const LOST: &str = r#"{"type_id":{"name":"type_id","formType":"business_type","statusId":"lose"}}"#;

const STATUS_JOIN: Join = Join {
    alias: "business_status",
    table: tables::BUSINESS_STATUS,
    on: "status_id",
};

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
            join: STATUS_JOIN,
            column: "name",
        },
        Lookup {
            key: "rate",
            join: STATUS_JOIN,
            column: "rate",
        },
    ],
    realm: "business",
    system_scenes: &[
        scene("全部商机", "all", NO_CONDITIONS),
        scene("我负责的商机", "self", NO_CONDITIONS),
        scene("我关注的商机", "star", NO_CONDITIONS),
        scene("下属负责的商机", "child", NO_CONDITIONS),
        scene("我参与的商机", "takePart", NO_CONDITIONS),
        scene("赢单", "win", WON),
        scene("输单", "lose", LOST),
    ],
    special_condition: stage_condition,
    on_owner_change: RESET_FOLLOWUP,
    follow_ups: true,
    stars: true,
    on_follow_up: FOLLOWED_UP,
    has_team: true,
    after_save: Some(|crm, tx, actor, saved, input| Box::pin(crm.save_business(tx, actor, saved, input))),
    before_delete: Some(|crm, tx, ids| Box::pin(crm.delete_line_items(tx, ids))),
    list_sum: Some(("money", "businessSumMoney")),
    decorate: show_end_state,
    enrich: Some(|crm, rows| Box::pin(crm.show_progress(rows))),
    related: &[Related {
        action: "queryContacts",
        module: &super::CONTACTS,
        via: Via::Link {
            table: CONTACTS_BUSINESS,
            own: "business_id",
            other: "contacts_id",
            relate: "relateContacts",
            unrelate: "unrelateContacts",
        },
    }],
    ..Module::DEFAULTS
};

impl crate::crm::Crm {
    /// After a business is written: its stage must be one of its group's, and a new
    /// business's group enabled and open to the caller's department; then its line items
    /// from the request's `product`.
    async fn save_business(
        &self,
        tx: &mut crate::store::Tx,
        actor: &crate::crm::Actor,
        saved: crate::crm::module::Saved,
        input: crate::crm::Input<'_>,
    ) -> Result<()> {
        let id = saved.id;
        let columns = [("type_id", Kind::Int), ("status_id", Kind::Int)];
        let business = crate::crm::rows::rows(
            &mut *tx,
            BUSINESS_TABLE,
            &columns,
            &crate::crm::rows::column_in("business_id", &[id]),
        )
        .await?;
        let ty = business.first().and_then(|r| r[0].as_i64());
        if let (Some(ty), true) = (ty, saved.created) {
            self.require_usable_group(actor, ty).await?;
        }
        if let Some(Cell::Int(status)) = business.first().map(|r| r[1].clone()) {
            let stage = crate::crm::rows::rows(
                &mut *tx,
                STATUS_TABLE,
                &[("type_id", Kind::Int)],
                &crate::crm::rows::column_in("status_id", &[status]),
            )
            .await?;
            if stage.first().and_then(|r| r[0].as_i64()) != ty {
                return Err(Error::business("商机阶段不属于该商机组"));
            }
        }
        self.save_line_items(tx, id, input).await
    }

    /// `progressBar`: the stage's place in its status group (`2/4`: the second of three
    /// stages and the end), as the J9 client draws it; `""` without a stage.
    async fn show_progress(&self, rows: &mut [Map<String, Value>]) -> Result<()> {
        let columns = [
            ("status_id", Kind::Int),
            ("type_id", Kind::Int),
            ("order_num", Kind::Int),
        ];
        let mut stages = crate::crm::rows::rows(&self.db, STATUS_TABLE, &columns, &Filter::True).await?;
        stages.sort_by_key(|s| (s[1].as_i64(), s[2].as_i64(), s[0].as_i64()));
        for row in rows.iter_mut() {
            let (ty, status) = (
                row.get("typeId").and_then(Value::as_i64),
                row.get("statusId").and_then(Value::as_i64),
            );
            let group: Vec<Option<i64>> = stages
                .iter()
                .filter(|s| s[1].as_i64() == ty)
                .map(|s| s[0].as_i64())
                .collect();
            let bar = match group.iter().position(|s| *s == status) {
                Some(at) if status.is_some() => format!("{}/{}", at + 1, group.len() + 1),
                _ => String::new(),
            };
            row.insert("progressBar".into(), Value::String(bar));
            if row.get("statusRemark").is_none_or(Value::is_null) {
                row.insert("statusRemark".into(), Value::String(String::new()));
            }
        }
        Ok(())
    }
}

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

/// The business's own condition: `business_type` (a status group and a stage or end), also
/// as J9 sends it, on `type_id` with `typeId`/`statusId`.
fn stage_condition(name: &str, obj: &Map<String, Value>) -> Option<Result<Filter>> {
    let form_type = obj.get("formType").and_then(Value::as_str);
    let stage = form_type == Some("business_type")
        || name == "type_id" && (obj.contains_key("typeId") || obj.contains_key("statusId"));
    stage.then(|| business_type(obj))
}

/// `business_type`: a status group, and within it a stage or an end (`win`, `lose`,
/// `invalid`; J11 sends -1, -2, -3).
fn business_type(obj: &Map<String, Value>) -> Result<Filter> {
    let values = obj.get("value").map(items).unwrap_or_default();
    let type_id = obj
        .get("typeId")
        .and_then(to_i64)
        .or_else(|| values.first().and_then(to_i64));
    let status = obj
        .get("statusId")
        .cloned()
        .or_else(|| values.get(1).cloned())
        .filter(|v| !is_blank(v));
    let int = |column: &str, v: i64| Filter::Compare {
        target: Filter::column(column),
        op: Op::Eq,
        kind: Kind::Int,
        value: Cell::Int(v),
    };
    let mut filter = type_id.map_or(Filter::True, |t| int("type_id", t));
    if let Some(status) = status {
        let end = match to_text(&status).as_deref() {
            Some("win") | Some("-1") => Some(1),
            Some("lose") | Some("-2") => Some(2),
            Some("invalid") | Some("-3") => Some(3),
            _ => None,
        };
        filter = filter.and(match end {
            Some(e) => int("is_end", e),
            None => int(
                "status_id",
                to_i64(&status).ok_or_else(|| Error::bad("商机阶段的值格式错误"))?,
            ),
        });
    }
    Ok(filter)
}
