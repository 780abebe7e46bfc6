//! Business status groups and stages: the administrator's `businessType/*` (J9; J11 spells
//! it `crmBusinessType/*`) and the
//! business's `queryBusinessStatusOptions`, `queryBusinessStatus`, `boostBusinessStatus`.

use super::routes::{Route, data, done, handler, under};
use crate::crm::Parse;
use crate::crm::stages::{BusinessRef, GroupRef, StatusBoost};

pub fn routes() -> Vec<Route> {
    let groups = vec![
        (
            "queryBusinessTypeList",
            "商机组列表（管理员）：page, limit → {totalRow, list:[{typeId, name, status, deptIds:[{id,name}], createName, createTime, statusList}]}",
            handler!(|crm, actor, input| data(crm.business_type_page(actor, input.into()).await?)),
        ),
        (
            "getBusinessType",
            "商机组详情：id → {typeId, name, status, deptIds, statusList:[{statusId, name, rate, orderNum}]}",
            handler!(|crm, actor, input| data(crm.business_type(GroupRef::parse(input)?).await?)),
        ),
        (
            "setBusinessType",
            "新建或修改商机组（管理员）：{crmBusinessType:{typeId?, name, status?}, deptIds:[…], crmBusinessStatus:[{name, rate, statusId?}, …]}",
            handler!(|crm, actor, input| data(crm.set_business_type(actor, input.into()).await?)),
        ),
        (
            "deleteById",
            "删除商机组（管理员；没有商机使用时）：id",
            handler!(|crm, actor, input| done(crm.delete_business_type(actor, input.into()).await?)),
        ),
        (
            "updateStatus",
            "启用/停用商机组（管理员）：typeId, status（1启用 0停用）",
            handler!(|crm, actor, input| done(crm.set_business_type_status(actor, input.into()).await?)),
        ),
    ];
    let mut routes = under(&["businessType", "crmBusinessType"], groups);
    routes.extend(business_routes());
    routes
}

/// A business's stages.
fn business_routes() -> Vec<Route> {
    vec![
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
