//! Business status groups and stages: the administrator's `businessType/*` (J9) and the
//! business's `queryBusinessStatusOptions`, `queryBusinessStatus`, `boostBusinessStatus`.

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::stages::{BusinessRef, GroupRef, StatusBoost};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/businessType/queryBusinessTypeList",
            "商机组列表（管理员）：page, limit → {totalRow, list:[{typeId, name, status, deptIds:[{id,name}], createName, createTime, statusList}]}",
            handler!(|crm, actor, input| data(crm.business_type_page(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/businessType/getBusinessType",
            "商机组详情：id → {typeId, name, status, deptIds, statusList:[{statusId, name, rate, orderNum}]}",
            handler!(|crm, actor, input| data(crm.business_type(GroupRef::parse(input)?).await?)),
        ),
        Route::new(
            "/api/businessType/setBusinessType",
            "新建或修改商机组（管理员）：{crmBusinessType:{typeId?, name, status?}, deptIds:[…], crmBusinessStatus:[{name, rate, statusId?}, …]}",
            handler!(|crm, actor, input| data(crm.set_business_type(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/businessType/deleteById",
            "删除商机组（管理员；没有商机使用时）：id",
            handler!(|crm, actor, input| done(crm.delete_business_type(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmBusiness/queryBusinessStatusOptions",
            "当前用户可用的商机组及其阶段（启用的、全公司或本部门的）",
            handler!(|crm, actor, input| data(crm.business_status_options(actor).await?)),
        ),
        Route::new(
            "/api/CrmBusiness/queryBusinessStatus",
            "商机的商机组阶段：businessId → {businessId, typeId, statusId, isEnd, statusRemark, statusList}",
            handler!(|crm, actor, input| data(crm.business_status(actor, BusinessRef::parse(input)?).await?)),
        ),
        Route::new(
            "/api/CrmBusiness/boostBusinessStatus",
            "推进商机阶段：businessId, statusId, isEnd（0推进 1赢单 2输单 3无效）, statusRemark",
            handler!(|crm, actor, input| done(
                crm.boost_business_status(actor, StatusBoost::parse(input)?)
                    .await?
            )),
        ),
    ]
}
