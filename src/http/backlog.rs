//! `/api/CrmBackLog/*`: the to-do page (待办事项). Contracts and receivables have no lists
//! here: wkcrm has neither module (see `absent.rs`).

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::backlog::{BacklogQuery, mark_ids};
use crate::crm::modules::{CUSTOMER, LEADS};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/CrmBackLog/num",
            "待办事项数量：todayCustomer, followCustomer, followLeads, putInPoolRemind（本人的）",
            handler!(|crm, actor, input| data(crm.backlog_counts(actor).await?)),
        ),
        Route::new(
            "/api/CrmBackLog/todayCustomer",
            "今日需联系客户：type（1今日需联系 2已逾期 3已联系）, isSub（1本人 2下属）, page, limit",
            handler!(|crm, actor, input| data(
                crm.today_customers(actor, BacklogQuery::parse(input)?).await?
            )),
        ),
        Route::new(
            "/api/CrmBackLog/followLeads",
            "分配给我的线索：type（1待跟进 2已跟进）, isSub, page, limit",
            handler!(|crm, actor, input| {
                data(
                    crm.records_to_follow(actor, &LEADS, BacklogQuery::parse(input)?)
                        .await?,
                )
            }),
        ),
        Route::new(
            "/api/CrmBackLog/followCustomer",
            "分配给我的客户：type（1待跟进 2已跟进）, isSub, page, limit",
            handler!(|crm, actor, input| {
                data(
                    crm.records_to_follow(actor, &CUSTOMER, BacklogQuery::parse(input)?)
                        .await?,
                )
            }),
        ),
        Route::new(
            "/api/CrmBackLog/putInPoolRemind",
            "待进入公海提醒：isSub（1本人 2下属）, page, limit, search, data",
            handler!(|crm, actor, input| data(crm.pool_reminders(actor, BacklogQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmBackLog/setLeadsFollowup",
            "标记线索为已跟进：ids",
            handler!(|crm, actor, input| done(
                crm.mark_followed(actor, &LEADS, mark_ids(&LEADS, input)?).await?
            )),
        ),
        Route::new(
            "/api/CrmBackLog/setCustomerFollowup",
            "标记客户为已跟进：ids",
            handler!(|crm, actor, input| {
                done(
                    crm.mark_followed(actor, &CUSTOMER, mark_ids(&CUSTOMER, input)?)
                        .await?,
                )
            }),
        ),
    ]
}
