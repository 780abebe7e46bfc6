//! Follow-ups and history across modules: `CrmRecord/*` (J9) and `CrmActivity/*` (the
//! SPEC's names for J11's `/crmActivity/`). The per-module `addRecord`/`getRecord` routes
//! are in `records.rs`.

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::followups::{FollowUp, FollowUpRef, Timeline};
use crate::crm::history::HistoryQuery;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/CrmActivity/addCrmActivityRecord",
            "新增跟进记录：activityType（1线索 2客户 3联系人 5商机）, activityTypeId, content, category, nextTime, businessIds, contactsIds, batchId",
            handler!(|crm, actor, input| data(
                crm.add_follow_up(actor, FollowUp::for_activity(input, &crm.clock)?)
                    .await?
            )),
        ),
        Route::new(
            "/api/CrmActivity/getCrmActivityPageList",
            "跟进记录分页：activityType, activityTypeId, page, limit → {list, totalRow}",
            handler!(|crm, actor, input| data(
                crm.timeline_page(actor, Timeline::for_activity(input)?).await?
            )),
        ),
        Route::new(
            "/api/CrmRecord/deleteFollowRecord",
            "删除跟进记录（作者或管理员）：recordId",
            handler!(|crm, actor, input| done(
                crm.delete_follow_up(actor, FollowUpRef::parse(input)?).await?
            )),
        ),
        Route::new(
            "/api/CrmRecord/queryRecordOptions",
            "跟进类型列表",
            handler!(|crm, actor, input| data(crm.record_options().await?)),
        ),
        Route::new(
            "/api/CrmRecord/setRecordOptions",
            "设置跟进类型（管理员）：{\"value\":[\"打电话\",…]}",
            handler!(|crm, actor, input| done(crm.set_record_options(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmRecord/queryRecordList",
            "操作记录：actionId, types（模块 1线索 2客户 3联系人 4产品 5商机），新的在前",
            handler!(|crm, actor, input| data(crm.history(actor, HistoryQuery::parse(input)?).await?)),
        ),
    ]
}
