//! `/api/system/user/*`: user management (the services refuse non-administrators) and each
//! user's own profile (个人中心).

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::users::{ProfileEdit, UserForm, UserQuery};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/system/user/addUser",
            "新增用户（管理员）：username, password, realname, mobile, deptId, parentId",
            handler!(|crm, actor, input| data(crm.add_user(actor, UserForm::parse(input)?, false).await?)),
        ),
        // Every user may list users: transfers and owners name them.
        Route::new(
            "/api/system/user/queryUserList",
            "用户列表：page, limit, search",
            handler!(|crm, actor, input| data(crm.user_page(UserQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/system/user/setUserStatus",
            "启用/禁用用户（管理员）：userIds, status",
            handler!(|crm, actor, input| done(crm.set_user_status(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/user/usernameEdit",
            "修改员工的用户名与密码（管理员）：id, username, password",
            handler!(|crm, actor, input| done(crm.edit_username(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/user/updatePassword",
            "修改自己的密码：oldPwd, newPwd（之后需重新登录）",
            handler!(|crm, actor, input| done(crm.change_own_password(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/user/updateUser",
            "修改个人信息（本人）：realname, mobile, email, sex（1男 2女）, post",
            handler!(|crm, actor, input| done(crm.update_profile(actor, ProfileEdit::parse(input)?).await?)),
        ),
        Route::new(
            "/api/system/user/updateImg",
            "修改头像（本人，multipart）：file（图片）",
            super::get_post(update_img).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        Route::new(
            "/api/system/user/resetPassword",
            "重置密码（管理员）：userIds, password",
            handler!(|crm, actor, input| done(crm.reset_password(actor, input.into()).await?)),
        ),
    ]
}

/// `updateImg`: the caller's picture from the multipart `file`.
async fn update_img(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    super::auth::CurrentUser(user): super::auth::CurrentUser,
    form: super::files::UploadForm,
) -> Result<axum::response::Response, crate::crm::Error> {
    done(state.crm.update_avatar(&user, form.file).await.map(|_| ())?)
}
