//! Product routes beyond the generic ones: shelf status, categories, a business's products.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/CrmProduct/updateStatus", get_post(update_status))
        .route("/api/CrmProductCategory/queryList", get_post(category_tree))
        .route("/api/CrmProductCategory/saveAndUpdate", get_post(save_category))
        .route("/api/CrmProductCategory/deleteById", get_post(delete_category))
        .route("/api/CrmBusiness/queryProduct", get_post(business_products))
}

/// The product routes and their summaries, for the OpenAPI document.
pub const SUMMARIES: [(&str, &str); 5] = [
    (
        "/api/CrmProduct/updateStatus",
        "产品上架/下架：ids, status（1上架 0下架）",
    ),
    ("/api/CrmProductCategory/queryList", "产品分类树"),
    (
        "/api/CrmProductCategory/saveAndUpdate",
        "新增或修改产品分类（管理员）：categoryId, name, pid",
    ),
    (
        "/api/CrmProductCategory/deleteById",
        "删除产品分类（管理员）：categoryId",
    ),
    (
        "/api/CrmBusiness/queryProduct",
        "商机的产品：businessId → list, totalPrice, discountRate",
    ),
];

async fn update_status(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.set_product_status(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn category_tree(
    State(s): State<AppState>,
    CurrentUser(_): CurrentUser,
    _: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.category_tree().await?))
}

async fn save_category(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    Ok(envelope::data(s.crm.save_category(p.input()).await?))
}

async fn delete_category(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.delete_category(p.input()).await?;
    Ok(envelope::ok())
}

async fn business_products(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    let id = p.input().i64("businessId", "商机id不能为空")?;
    Ok(envelope::data(s.crm.line_items(&u, id).await?))
}
