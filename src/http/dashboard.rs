//! `/api/Crm/Instrument/*`: the dashboard (仪表盘).

use super::routes::{Route, data, handler};
use crate::crm::Parse;
use crate::crm::dashboard::{BulletinInfo, FollowUpList, FunnelQuery, Period};

/// The period parameters every dashboard route reads.
const PERIOD: &str = "userIds, deptIds, type（today/week/month/quarter/year…）或 startTime, endTime";

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/Crm/Instrument/queryBulletin",
            format!("销售简报（新增客户、联系人、商机、跟进记录数）：{PERIOD}"),
            handler!(|crm, actor, input| data(crm.bulletin(actor, Period::parse(input)?).await?)),
        ),
        Route::new(
            "/api/Crm/Instrument/queryBulletinInfo",
            format!("销售简报明细：label, page, limit, {PERIOD}"),
            handler!(|crm, actor, input| data(crm.bulletin_info(actor, BulletinInfo::parse(input)?).await?)),
        ),
        Route::new(
            "/api/Crm/Instrument/queryRecordConunt",
            format!("跟进记录数（按模块）：{PERIOD}"),
            handler!(|crm, actor, input| data(crm.follow_up_statistics(actor, Period::parse(input)?).await?)),
        ),
        Route::new(
            "/api/Crm/Instrument/queryRecordList",
            format!("跟进记录明细：crmType（crm_customer 等）, page, limit, {PERIOD}"),
            handler!(|crm, actor, input| data(crm.follow_up_page(actor, FollowUpList::parse(input)?).await?)),
        ),
        Route::new(
            "/api/Crm/Instrument/sellMonth",
            format!("销售趋势（无合同模块：金额为0）：{PERIOD}"),
            handler!(|crm, actor, input| data(crm.sales_trend(Period::parse(input)?))),
        ),
        Route::new(
            "/api/Crm/Instrument/queryPerformance",
            "业绩指标（无合同、回款模块：为0）",
            handler!(|crm, actor, input| data(crm.performance())),
        ),
        Route::new(
            "/api/Crm/Instrument/queryBusiness",
            format!("销售漏斗：typeId（商机状态组）, {PERIOD}"),
            handler!(|crm, actor, input| data(crm.funnel(actor, FunnelQuery::parse(input)?).await?)),
        ),
    ]
}
