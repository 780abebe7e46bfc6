//! Customer routes beyond the generic ones: deal status and lock.

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::modules::{DealChange, LockChange, PoolEntry, PoolTake};
use crate::crm::records::ListQuery;

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
            handler!(|crm, actor, input| data(crm.pool_page(actor, ListQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmCustomerPool/queryPageList",
            "公海客户列表（J11 路径）：poolId, page, limit, search, data",
            handler!(|crm, actor, input| data(crm.pool_page(actor, ListQuery::parse(input)?).await?)),
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
}
