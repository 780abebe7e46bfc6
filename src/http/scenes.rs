//! `/api/scene/*`: saved list filters.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/scene/queryScene", get_post(query_scene))
        .route("/api/scene/addScene", get_post(add_scene))
        .route("/api/scene/updateScene", get_post(update_scene))
        .route("/api/scene/deleteScene", get_post(delete_scene))
        .route("/api/scene/setDefaultScene", get_post(set_default_scene))
        .route("/api/scene/querySceneConfig", get_post(query_scene_config))
        .route("/api/scene/sceneConfig", get_post(scene_config))
}

/// The scene routes and their summaries, for the OpenAPI document.
pub const SUMMARIES: [(&str, &str); 7] = [
    (
        "/api/scene/queryScene",
        "筛选场景：type（1线索 2客户 3联系人 5商机）",
    ),
    ("/api/scene/addScene", "添加场景：type, name, data, isDefault"),
    (
        "/api/scene/updateScene",
        "修改场景：sceneId, name, data, isDefault",
    ),
    ("/api/scene/deleteScene", "删除场景：sceneId（系统场景不能删除）"),
    ("/api/scene/setDefaultScene", "设为默认场景：sceneId"),
    ("/api/scene/querySceneConfig", "场景设置：type → value, hideValue"),
    (
        "/api/scene/sceneConfig",
        "显示/隐藏场景：type, noHideIds, hideIds",
    ),
];

async fn query_scene(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.query_scenes(&u, p.input()).await?))
}

async fn add_scene(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.add_scene(&u, p.input()).await?))
}

async fn update_scene(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.update_scene(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn delete_scene(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.delete_scene(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn set_default_scene(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.set_default_scene(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn query_scene_config(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.scene_config(&u, p.input()).await?))
}

async fn scene_config(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.configure_scenes(&u, p.input()).await?;
    Ok(envelope::ok())
}
