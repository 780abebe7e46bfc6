//! `/api/field/*`: the field catalogue, custom-field administration and `verify`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/field/queryField", get_post(query_field))
        .route("/api/field/verify", get_post(verify))
        .route("/api/field/addField", get_post(add_field))
        .route("/api/field/updateField", get_post(update_field))
        .route("/api/field/deleteField", get_post(delete_field))
        .route("/api/field/sortField", get_post(sort_field))
        .route("/api/field/setFieldHidden", get_post(set_field_hidden))
}

/// The field routes and their summaries, for the OpenAPI document.
pub const SUMMARIES: [(&str, &str); 7] = [
    (
        "/api/field/queryField",
        "字段列表：label（1线索 2客户 3联系人 4产品 5商机），id 时带记录当前值",
    ),
    (
        "/api/field/verify",
        "校验字段值（格式、唯一性）：fieldId, value, id",
    ),
    (
        "/api/field/addField",
        "新增自定义字段（管理员）：label, name, formType, options, isNull, isUnique, defaultValue, maxLength, precisions, inputTips",
    ),
    (
        "/api/field/updateField",
        "修改自定义字段（管理员）：fieldId 及上述参数（类型不可改）",
    ),
    (
        "/api/field/deleteField",
        "删除自定义字段（管理员）：fieldId；已存的值保留但不再显示",
    ),
    (
        "/api/field/sortField",
        "字段排序（管理员）：label, fieldIds（新顺序）",
    ),
    (
        "/api/field/setFieldHidden",
        "隐藏/显示字段（管理员）：fieldId, isHidden",
    ),
];

async fn query_field(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.query_field(&u, p.input()).await?))
}

async fn verify(
    State(s): State<AppState>,
    CurrentUser(_): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.verify_field(p.input()).await?;
    Ok(envelope::ok())
}

async fn add_field(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    Ok(envelope::data(s.crm.add_field(p.input()).await?))
}

async fn update_field(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.update_field(p.input()).await?;
    Ok(envelope::ok())
}

async fn delete_field(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.delete_field(p.input()).await?;
    Ok(envelope::ok())
}

async fn sort_field(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.sort_fields(p.input()).await?;
    Ok(envelope::ok())
}

async fn set_field_hidden(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.set_field_hidden(p.input()).await?;
    Ok(envelope::ok())
}
