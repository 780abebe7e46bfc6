//! `/api/field/*`: the field catalogue, custom-field administration and `verify`.

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::fields::{FieldCheck, FieldQuery};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/field/queryField",
            "字段列表：label（1线索 2客户 3联系人 4产品 5商机），id 时带记录当前值",
            handler!(|crm, actor, input| data(crm.query_field(actor, FieldQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/field/verify",
            "校验字段值（格式、唯一性）：fieldId, value, id",
            handler!(|crm, actor, input| done(crm.verify_field(FieldCheck::parse(input)?).await?)),
        ),
        Route::new(
            "/api/field/addField",
            "新增自定义字段（管理员）：label, name, formType, options, isNull, isUnique, defaultValue, maxLength, precisions, inputTips",
            handler!(|crm, actor, input| data(crm.add_field(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/field/updateField",
            "修改自定义字段（管理员）：fieldId 及上述参数（类型不可改）",
            handler!(|crm, actor, input| done(crm.update_field(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/field/deleteField",
            "删除自定义字段（管理员）：fieldId；已存的值保留但不再显示",
            handler!(|crm, actor, input| done(crm.delete_field(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/field/sortField",
            "字段排序（管理员）：label, fieldIds（新顺序）",
            handler!(|crm, actor, input| done(crm.sort_fields(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/field/setFieldHidden",
            "隐藏/显示字段（管理员）：fieldId, isHidden",
            handler!(|crm, actor, input| done(crm.set_field_hidden(actor, input.into()).await?)),
        ),
    ]
}
