//! Customer routes beyond the generic ones: deal status, lock, the pools and their rules.

use super::routes::{Route, data, done, handler, under};
use crate::crm::Parse;
use crate::crm::modules::{DealChange, LockChange, PoolEntry, PoolQuery, PoolTake};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/CrmCustomer/setDealStatus",
            "修改成交状态：ids, dealStatus（0未成交 1已成交；成交时解锁）",
            handler!(|crm, actor, input| done(crm.set_deal_status(actor, DealChange::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/lock",
            "锁定/解锁：ids, isLock（1锁定 0解锁）或 status（2锁定 1解锁）",
            handler!(|crm, actor, input| done(crm.set_lock(actor, LockChange::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/updateCustomerByIds",
            "放入公海：ids（poolId 可省，默认公海）",
            handler!(|crm, actor, input| done(crm.put_in_pool(actor, PoolEntry::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/queryPoolPageList",
            "公海客户列表：page, limit, search, data（同客户列表）",
            handler!(|crm, actor, input| data(crm.pool_page(actor, PoolQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomerPool/queryPageList",
            "公海客户列表（J11 路径）：poolId, page, limit, search, data",
            handler!(|crm, actor, input| data(crm.pool_page(actor, PoolQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/receiveByIds",
            "领取公海客户：ids",
            handler!(|crm, actor, input| done(
                crm.take_from_pool(actor, PoolTake::parse(input)?, false).await?
            )),
        ),
        Route::new(
            "/api/CrmCustomer/distributeByIds",
            "分配公海客户：ids, userId",
            handler!(|crm, actor, input| done(
                crm.take_from_pool(actor, PoolTake::parse(input)?, true).await?
            )),
        ),
        Route::new(
            "/api/CrmCustomer/getRulesSetting",
            "客户保护规则：dealDay, followupDay, customerConfig, putInPoolRemindConfig, putInPoolRemindDays",
            handler!(|crm, actor, input| data(crm.rules_setting().await?)),
        ),
        Route::new(
            "/api/CrmCustomer/updateRulesSetting",
            "设置客户保护规则（管理员）：followupDay, dealDay, type（1启用）, putInPoolRemindConfig, putInPoolRemindDays",
            handler!(|crm, actor, input| done(crm.update_rules(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/customerSetting",
            "新增或修改客户规则（管理员）：settingId, settingName, type（1拥有 2锁定）, customerNum, customerDeal, userIds, deptIds",
            handler!(|crm, actor, input| data(crm.save_limit(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/queryCustomerSetting",
            "客户规则列表（管理员）：type, page, limit",
            handler!(|crm, actor, input| data(crm.limit_page(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmCustomer/deleteCustomerSetting",
            "删除客户规则（管理员）：settingId",
            handler!(|crm, actor, input| done(crm.delete_limit(actor, input.into()).await?)),
        ),
    ]
    .into_iter()
    .chain(pool_admin_routes())
    .collect()
}

/// J11's pool administration, under its lower-camel prefix and the J9-style one.
fn pool_admin_routes() -> Vec<Route> {
    let admin = vec![
        (
            "setCustomerPool",
            "新增或修改公海（管理员）：poolId, poolName, adminUserId, memberUserId, memberDeptId, status, preOwnerSetting/preOwnerSettingDay, receiveSetting/receiveNum, remindSetting/remindDay, putInRule, rule, field",
            handler!(|crm, actor, input| data(crm.save_pool(actor, input.into()).await?)),
        ),
        (
            "queryPoolSettingList",
            "公海列表（管理员）：每个公海的名称、状态、客户数、管理员与成员",
            handler!(|crm, actor, input| data(crm.pool_settings(actor).await?)),
        ),
        (
            "queryPoolById",
            "公海详情（管理员）：poolId",
            handler!(|crm, actor, input| data(crm.pool_detail(actor, input.into()).await?)),
        ),
        (
            "queryPoolNameList",
            "调用者可用的启用公海：[{poolId, poolName}]",
            handler!(|crm, actor, input| data(crm.pool_names(actor).await?)),
        ),
        (
            "queryPoolNameListByAuth",
            "调用者可用的启用公海（同 queryPoolNameList）",
            handler!(|crm, actor, input| data(crm.pool_names(actor).await?)),
        ),
        (
            "queryAuthByPoolId",
            "调用者在公海中的权限：poolId → {index, receive, distribute, delete, excelexport}",
            handler!(|crm, actor, input| data(crm.pool_auth(actor, input.into()).await?)),
        ),
        (
            "changeStatus",
            "启用/停用公海（管理员）：poolId, status（1启用 0停用）",
            handler!(|crm, actor, input| done(crm.set_pool_status(actor, input.into()).await?)),
        ),
        (
            "deleteCustomerPool",
            "删除公海（管理员）：poolId；公海内有客户或为最后一个启用公海时拒绝",
            handler!(|crm, actor, input| done(crm.delete_pool(actor, input.into()).await?)),
        ),
        (
            "transfer",
            "公海客户转移（管理员）：prePoolId, postPoolId；answers how many moved",
            handler!(|crm, actor, input| data(crm.move_pool(actor, input.into()).await?)),
        ),
    ];
    under(&["crmCustomerPool", "CrmCustomerPool"], admin)
}
