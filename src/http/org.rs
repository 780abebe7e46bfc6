//! `/api/system/{menu,role,dept}/*` and `setUser`: organisation administration (the
//! services refuse non-administrators where it is the administrator's).

use super::routes::{Route, data, done, handler};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/system/menu/getAllMenuList",
            "权限菜单树（menuId, realm, childMenu）",
            handler!(|crm, actor, input| data(crm.menu_tree().await?)),
        ),
        Route::new(
            "/api/system/role/add",
            "新增角色：roleName, roleType, dataType, remark",
            handler!(|crm, actor, input| data(crm.add_role(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/role/update",
            "修改角色：roleId, roleName, dataType, remark",
            handler!(|crm, actor, input| done(crm.update_role(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/role/delete",
            "删除角色：roleId",
            handler!(|crm, actor, input| done(crm.delete_role(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/role/getAllRoleList",
            "角色列表（含 menuIds, userIds）",
            handler!(|crm, actor, input| data(crm.role_list(actor).await?)),
        ),
        Route::new(
            "/api/system/role/updateRoleMenu",
            "设置角色权限：roleId, dataType, menuIds（或 id, type, rules）",
            handler!(|crm, actor, input| done(crm.update_role_menu(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/role/relatedUser",
            "关联员工与角色：userIds, roleIds",
            handler!(|crm, actor, input| done(crm.relate_users(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/role/unbindingUser",
            "解除员工角色：userIds, roleIds",
            handler!(|crm, actor, input| done(crm.unbind_users(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/dept/addDept",
            "新增部门：name, pid, ownerUserId, num, remark",
            handler!(|crm, actor, input| data(crm.add_dept(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/dept/setDept",
            "修改部门：deptId, name, pid, ownerUserId",
            handler!(|crm, actor, input| done(crm.set_dept(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/dept/updateDept",
            "修改部门（J9 客户端的名称，同 setDept）：deptId, name, pid",
            handler!(|crm, actor, input| done(crm.set_dept(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/dept/queryDeptByAuth",
            "部门树（J9 客户端的名称，同 queryDeptTree）",
            handler!(|crm, actor, input| data(crm.dept_tree().await?)),
        ),
        Route::new(
            "/api/system/user/queryUserByDeptId",
            "部门的员工：deptId",
            handler!(|crm, actor, input| data(crm.dept_users(input.i64("deptId", "部门id不能为空")?).await?)),
        ),
        Route::new(
            "/api/system/role/getRoleByType",
            "某类型的角色：roleType（2 客户管理角色：wkcrm 的全部角色；其他类型无角色）",
            handler!(|crm, actor, input| {
                let crm_roles = input.opt_i64("roleType")?.is_none_or(|t| t == 2);
                data(if crm_roles {
                    crm.role_list(actor).await?
                } else {
                    vec![]
                })
            }),
        ),
        Route::new(
            "/api/system/role/copy",
            "复制角色（管理员）：roleId；新角色名为 名称(N)，权限与数据范围相同",
            handler!(|crm, actor, input| data(crm.copy_role(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/menu/getMenuListByType",
            "某类型角色可分配的权限树：roleType（2 客户管理）",
            handler!(|crm, actor, input| data(crm.menu_tree().await?)),
        ),
        Route::new(
            "/api/system/dept/deleteDept",
            "删除部门：deptId（有员工或下级部门时拒绝）",
            handler!(|crm, actor, input| done(crm.delete_dept(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/system/dept/queryDeptTree",
            "部门树",
            handler!(|crm, actor, input| data(crm.dept_tree().await?)),
        ),
        Route::new(
            "/api/system/user/setUser",
            "修改员工：userId, realname, mobile, deptId, parentId, post, roleIds",
            handler!(|crm, actor, input| done(crm.set_user(actor, input.into()).await?)),
        ),
    ]
}
