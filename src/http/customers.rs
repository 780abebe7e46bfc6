//! Customer routes beyond the generic ones: deal status and lock.

use super::routes::{Route, done, handler};
use crate::crm::Parse;
use crate::crm::modules::{DealChange, LockChange};

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
    ]
}
