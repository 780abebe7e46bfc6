//! 客户 (customers). A customer without an owner is in the public pool and is not listed
//! here; one with contacts or business cannot be deleted.

use super::*;

mod deal;
mod limits;
mod pool;
mod pools;
mod recycle;

use crate::crm::module::{Cascade, Dependent, PoolExport};
use crate::store::Filter;
pub use deal::{DealChange, LockChange};
pub use limits::{Limit, LimitQuery, LimitRef, LimitRule};
pub use pool::{PoolEntry, PoolQuery, PoolTake};
pub use pools::{PoolDraft, PoolMove, PoolRef, PoolStatus};
pub use recycle::{PoolRules, Recycled};
use serde_json::{Map, Value};

pub static CUSTOMER: Module = Module {
    route: "CrmCustomer",
    label: 2,
    title: "客户",
    table: CUSTOMER_TABLE,
    id_key: "customerId",
    ids_key: "customerIds",
    fields: &with_common_fields![
        SysField::system("customer_id", "客户id", FieldKind::Int),
        SysField::required("customer_name", "客户名称", FieldKind::Text(255)),
        SysField::input("mobile", "手机", FieldKind::Text(255)),
        SysField::input("telephone", "电话", FieldKind::Text(255)),
        SysField::input("website", "网址", FieldKind::Text(500)),
        SysField::input("email", "邮箱", FieldKind::Text(225)),
        SysField::input("remark", "备注", FieldKind::Text(3000)),
        SysField::input("address", "省市区", FieldKind::Text(255)),
        SysField::input("detail_address", "详细地址", FieldKind::Text(255)),
        SysField::input("location", "定位信息", FieldKind::Text(255)),
        SysField::input("lng", "经度", FieldKind::Text(255)),
        SysField::input("lat", "纬度", FieldKind::Text(255)),
        NEXT_TIME,
        SysField::system("deal_status", "成交状态", FieldKind::Int),
        SysField::system("deal_time", "成交时间", FieldKind::DateTime),
        SysField::system("is_lock", "锁定状态", FieldKind::Int),
        SysField::system("status", "客户状态", FieldKind::Int),
        SysField::system(
            "contacts_id",
            "首要联系人",
            FieldKind::Ref(CONTACTS_TABLE, "联系人"),
        ),
        FOLLOWUP,
        SysField::system("pool_time", "放入公海时间", FieldKind::DateTime),
        SysField::system("is_receive", "是否领取", FieldKind::Int),
        SysField::system("receive_time", "接收时间", FieldKind::DateTime),
        SysField::system("pre_owner_user_id", "前负责人", FieldKind::User),
        SysField::system("pool_id", "所属公海", FieldKind::Int),
    ],
    search: &["customer_name", "telephone", "mobile"],
    lookups: &[
        OWNER_NAME,
        CREATE_USER_NAME,
        primary_contact("contactsName", "name"),
        primary_contact("contactsMobile", "mobile"),
        primary_contact("contactsAddress", "address"),
    ],
    realm: "customer",
    system_scenes: &[
        scene("全部客户", "all", NO_CONDITIONS),
        scene("我负责的客户", "self", NO_CONDITIONS),
        scene("我关注的客户", "star", NO_CONDITIONS),
        scene("下属负责的客户", "child", NO_CONDITIONS),
        scene("我参与的客户", "takePart", NO_CONDITIONS),
    ],
    on_owner_change: RESET_FOLLOWUP,
    follow_ups: true,
    stars: true,
    on_follow_up: FOLLOWED_UP,
    shares_follow_ups: true,
    has_team: true,
    scope: owned_only,
    pool: Some(PoolExport {
        realm: "pool",
        file_stem: "pool",
        scope: |crm, actor, pool| Box::pin(async move { Ok(crm.pool_scope(actor, pool).await?.0) }),
    }),
    labels: &[("deal_status", &[(0, "未成交"), (1, "已成交")])],
    dependents: &[
        Dependent {
            table: CONTACTS_TABLE,
            foreign_key: "customer_id",
        },
        Dependent {
            table: super::business::BUSINESS_TABLE,
            foreign_key: "customer_id",
        },
    ],
    cascades: &[
        Cascade {
            change_type: 1,
            module: &super::CONTACTS,
            foreign_key: "customer_id",
        },
        Cascade {
            change_type: 2,
            module: &super::BUSINESS,
            foreign_key: "customer_id",
        },
    ],
    detail_alias: Some(("contactsId", &super::CONTACTS)),
    decorate: show_pool_state,
    after_create: Some(|crm, tx, ids| Box::pin(crm.check_owners_of(tx, ids, "拥有客户已达上限，无法新增"))),
    after_owner_change: Some(|crm, tx, owner| Box::pin(crm.check_owner_limit(tx, owner))),
    related: &[
        Related {
            action: "queryContacts",
            module: &super::CONTACTS,
            via: Via::Column("customer_id"),
        },
        Related {
            action: "queryBusiness",
            module: &super::BUSINESS,
            via: Via::Column("customer_id"),
        },
    ],
    enrich: Some(|crm, rows| Box::pin(crm.customer_extras(rows))),
    ..Module::DEFAULTS
};

/// A value of the customer's 首要联系人, shown under `key`.
const fn primary_contact(key: &'static str, column: &'static str) -> Lookup {
    Lookup {
        key,
        join: Join {
            alias: "primary_contact",
            table: CONTACTS_TABLE,
            on: "contacts_id",
        },
        column,
    }
}

/// `isPool` 1 for a customer in the public pool (no owner).
fn show_pool_state(row: &mut Map<String, Value>) {
    let in_pool = row.get("ownerUserId").is_none_or(Value::is_null);
    row.insert("isPool".into(), Value::from(i64::from(in_pool)));
}

impl crate::crm::Crm {
    /// The owned-customer limits of the owners of `ids`.
    pub(crate) async fn check_owners_of(
        &self,
        tx: &mut crate::store::Tx,
        ids: &[i64],
        message: &str,
    ) -> crate::crm::Result<()> {
        let filter = crate::crm::rows::column_in(CUSTOMER.id_column(), ids);
        let owners: Vec<i64> = crate::crm::rows::owners(&mut *tx, &CUSTOMER, &filter)
            .await?
            .into_iter()
            .filter_map(|(_, owner)| owner)
            .collect();
        self.check_limits(tx, &owners, Limit::Owned, message).await
    }

    /// A new owner's owned-customer limit.
    async fn check_owner_limit(&self, tx: &mut crate::store::Tx, owner: i64) -> crate::crm::Result<()> {
        self.check_limits(tx, &[owner], Limit::Owned, "该员工拥有客户数已达上限")
            .await
    }

    /// `businessCount` and `poolDay`.
    async fn customer_extras(&self, rows: &mut [Map<String, Value>]) -> crate::crm::Result<()> {
        self.count_business(rows).await?;
        self.show_pool_days(rows).await
    }

    /// `businessCount`: each customer's business, one grouped count per page.
    async fn count_business(&self, rows: &mut [Map<String, Value>]) -> crate::crm::Result<()> {
        let ids = crate::crm::extras::record_ids(&CUSTOMER, rows);
        let filter = crate::crm::rows::column_in("customer_id", &ids);
        let counts: std::collections::HashMap<i64, i64> = crate::store::records::count_by(
            &self.db,
            super::business::BUSINESS_TABLE,
            "customer_id",
            &filter,
        )
        .await?
        .into_iter()
        .collect();
        for row in rows.iter_mut() {
            let id = row.get("customerId").and_then(Value::as_i64).unwrap_or_default();
            row.insert(
                "businessCount".into(),
                counts.get(&id).copied().unwrap_or(0).into(),
            );
        }
        Ok(())
    }
}

/// Customers in the public pool have no owner; the customer list shows owned ones only.
fn owned_only() -> Filter {
    Filter::Not(Box::new(Filter::Unowned))
}
