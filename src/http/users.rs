//! `/api/system/user/*`: user management (the services refuse non-administrators).

use super::routes::{Route, data, done, handler};
use crate::crm::Parse;
use crate::crm::users::{UserForm, UserQuery};

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
            "/api/system/user/resetPassword",
            "重置密码（管理员）：userIds, password",
            handler!(|crm, actor, input| done(crm.reset_password(actor, input.into()).await?)),
        ),
    ]
}
