//! `/api/field/*`: the field catalogue, custom-field administration and `verify`.

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::columns::{ColumnChoice, ColumnWidth, InformationQuery, ListLabel};
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
        Route::new(
            "/api/field/list",
            "模块的全部字段（管理员，含隐藏字段与 operating）：label",
            handler!(|crm, actor, input| data(crm.field_list(actor, ListLabel::parse(input)?).await?)),
        ),
        Route::new(
            "/api/field/save",
            "一次保存模块的全部字段（管理员）：{label, data:[字段…]}；新增、修改、排序、删除在一个事务中",
            handler!(|crm, actor, input| done(crm.save_fields(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/field/queryFields",
            "可设置自定义字段的模块",
            handler!(|crm, actor, input| data(crm.field_modules().await?)),
        ),
        Route::new(
            "/api/field/queryListHead",
            "列表的列：label（9 公海），每列 fieldName（列表行的键）、name、type、width",
            handler!(|crm, actor, input| data(crm.list_head(actor, ListLabel::parse(input)?).await?)),
        ),
        Route::new(
            "/api/field/queryFieldConfig",
            "当前用户的列设置：label；value 显示的列，hide_value 隐藏的列（id, name）",
            handler!(|crm, actor, input| data(crm.column_config(actor, ListLabel::parse(input)?).await?)),
        ),
        Route::new(
            "/api/field/fieldConfig",
            "设置当前用户的列：label, noHideIds（显示的列，按顺序）, hideIds",
            handler!(|crm, actor, input| done(
                crm.configure_columns(actor, ColumnChoice::parse(input)?).await?
            )),
        ),
        Route::new(
            "/api/field/setFelidStyle",
            "设置当前用户的列宽：types（如 crm_customer）, field, width",
            handler!(|crm, actor, input| done(
                crm.set_column_width(actor, ColumnWidth::parse(input)?).await?
            )),
        ),
        Route::new(
            "/api/field/information",
            "详情页基本信息：types（模块 label）, id",
            handler!(|crm, actor, input| data(
                crm.information(actor, InformationQuery::parse(input)?).await?
            )),
        ),
    ]
}
