//! `/api/system/user/*`: user management, for the administrator.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;
use crate::crm::users::UserForm;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/system/user/addUser", get_post(add_user))
        .route("/api/system/user/queryUserList", get_post(query_user_list))
        .route("/api/system/user/setUserStatus", get_post(set_user_status))
        .route("/api/system/user/resetPassword", get_post(reset_password))
}

async fn add_user(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    let id = s.crm.add_user(UserForm::parse(p.input())?, false).await?;
    Ok(envelope::data(id))
}

/// Every user may list users: transfers and owners name them.
async fn query_user_list(
    State(s): State<AppState>,
    CurrentUser(_): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.user_page(p.input()).await?))
}

async fn set_user_status(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.set_user_status(&u, p.input()).await?;
    Ok(envelope::ok())
}

async fn reset_password(
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    u.require_admin()?;
    s.crm.reset_password(p.input()).await?;
    Ok(envelope::ok())
}
