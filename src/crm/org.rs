//! Organisation administration: departments, roles and their rights, role holders, and
//! changes to a user's department and superior. All of it is the administrator's.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::access::{SUPER_ROLE, visible_owners};
use super::error::{Error, Result};
use super::input::{Input, parse_ids};
use super::{Actor, Crm};
use crate::store::org::{self, DeptFields, MenuRow, RoleFields};
use crate::store::{StoreError, Tx, users};

/// The longest remark of a department or role.
const MAX_REMARK: usize = 500;

/// The text of a named parameter, required and bounded.
fn text(input: Input<'_>, key: &str, name: &str, max: usize) -> Result<String> {
    let value = input
        .opt_str(key)?
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let value = value.ok_or_else(|| Error::bad(format!("{name}不能为空")))?;
    if value.chars().count() > max {
        return Err(Error::bad(format!("{name}长度不能超过{max}个字符")));
    }
    Ok(value)
}

fn data_type(input: Input<'_>, keys: &[&str], default: Option<i64>) -> Result<i64> {
    let value = keys
        .iter()
        .map(|k| input.opt_i64(k))
        .find_map(|v| v.transpose())
        .transpose()?;
    match value.or(default) {
        Some(v @ 1..=5) => Ok(v),
        Some(_) => Err(Error::bad("dataType只能为1到5")),
        None => Err(Error::bad("数据权限不能为空")),
    }
}

/// A rights tree node: `{menuId, parentId, menuName, realm, menuType, childMenu:[…]}`.
fn menu_tree(menus: &[MenuRow], parent: i64) -> Vec<Value> {
    menus
        .iter()
        .filter(|m| m.parent_id == parent)
        .map(|m| {
            json!({
                "menuId": m.menu_id, "parentId": m.parent_id, "menuName": m.menu_name, "realm": m.realm,
                "menuType": m.menu_type, "childMenu": menu_tree(menus, m.menu_id),
            })
        })
        .collect()
}

impl Crm {
    /// `getAllMenuList`: the rights tree.
    pub async fn menu_tree(&self) -> Result<Value> {
        Ok(Value::Array(menu_tree(&org::menus(&self.db).await?, 0)))
    }

    /// `queryDeptTree`: departments as a tree with `children`.
    pub async fn dept_tree(&self) -> Result<Value> {
        let depts = org::depts(&self.db).await?;
        fn level(depts: &[org::DeptRow], pid: i64, seen: &mut HashSet<i64>) -> Vec<Value> {
            let children: Vec<&org::DeptRow> = depts
                .iter()
                .filter(|d| d.pid == pid && seen.insert(d.dept_id))
                .collect();
            children
                .into_iter()
                .map(|d| {
                    json!({"deptId": d.dept_id, "pid": d.pid, "name": d.name, "num": d.num, "remark": d.remark,
                           "ownerUserId": d.owner_user_id, "children": level(depts, d.dept_id, seen)})
                })
                .collect()
        }
        Ok(Value::Array(level(&depts, 0, &mut HashSet::new())))
    }

    async fn dept_fields(
        &self,
        tx: &mut Tx,
        input: Input<'_>,
        current: Option<&org::DeptRow>,
    ) -> Result<(i64, String, i64, String, Option<i64>)> {
        let name = match input.opt_str("name")? {
            None => current
                .map(|d| d.name.clone())
                .ok_or_else(|| Error::bad("部门名称不能为空"))?,
            Some(_) => text(input, "name", "部门名称", 64)?,
        };
        let pid = input.opt_i64("pid")?.or(current.map(|d| d.pid)).unwrap_or(0);
        let depts = org::depts(&mut *tx).await?;
        if pid != 0 && !depts.iter().any(|d| d.dept_id == pid) {
            return Err(Error::business("上级部门不存在"));
        }
        if let Some(current) = current {
            // A department cannot move under itself or one of its own sub-departments.
            let mut below = HashSet::from([current.dept_id]);
            let mut frontier = vec![current.dept_id];
            while let Some(p) = frontier.pop() {
                for d in depts.iter().filter(|d| d.pid == p) {
                    if below.insert(d.dept_id) {
                        frontier.push(d.dept_id);
                    }
                }
            }
            if below.contains(&pid) {
                return Err(Error::business("上级部门不能是本部门或其下级部门"));
            }
        }
        let num = input.opt_i64("num")?.or(current.map(|d| d.num)).unwrap_or(0);
        let remark = input
            .opt_bounded("remark", "备注", MAX_REMARK)?
            .or(current.map(|d| d.remark.clone()))
            .unwrap_or_default();
        let owner = input
            .opt_i64("ownerUserId")?
            .or(current.and_then(|d| d.owner_user_id));
        if let Some(owner) = owner {
            users::by_id(&mut *tx, owner)
                .await?
                .ok_or_else(|| Error::business("部门负责人不存在"))?;
        }
        Ok((pid, name, num, remark, owner))
    }

    /// `addDept`: answers the new department id.
    pub async fn add_dept(&self, actor: &Actor, input: Input<'_>) -> Result<i64> {
        actor.require_admin()?;
        let mut tx = self.org_change().await?;
        let (pid, name, num, remark, owner) = self.dept_fields(&mut tx, input, None).await?;
        let fields = DeptFields {
            pid,
            name: &name,
            num,
            remark: &remark,
            owner_user_id: owner,
        };
        let id = org::insert_dept(&mut tx, &fields).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// `setDept`: changes the given fields of a department.
    pub async fn set_dept(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let id = input.i64("deptId", "部门id不能为空")?;
        let mut tx = self.org_change().await?;
        let depts = org::depts(&mut tx).await?;
        let current = depts
            .iter()
            .find(|d| d.dept_id == id)
            .ok_or_else(|| Error::business("部门不存在"))?;
        let (pid, name, num, remark, owner) = self.dept_fields(&mut tx, input, Some(current)).await?;
        let fields = DeptFields {
            pid,
            name: &name,
            num,
            remark: &remark,
            owner_user_id: owner,
        };
        org::update_dept(&mut tx, id, &fields).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A transaction for a change of the organisation's shape (departments, superiors):
    /// such changes run one at a time, so the checks that keep the shape a tree (no cycle,
    /// no user in a deleted department) see every change made before them.
    pub(crate) async fn org_change(&self) -> Result<Tx> {
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["organisation".to_owned()]).await?;
        Ok(tx)
    }

    /// `deleteDept`: refused while users or sub-departments remain.
    pub async fn delete_dept(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let id = input.i64("deptId", "部门id不能为空")?;
        let mut tx = self.org_change().await?;
        let depts = org::depts(&mut tx).await?;
        if !depts.iter().any(|d| d.dept_id == id) {
            return Err(Error::business("部门不存在"));
        }
        if org::users_in_dept(&mut tx, id).await? > 0 {
            return Err(Error::business("该部门下有员工，不能删除"));
        }
        if depts.iter().any(|d| d.pid == id) {
            return Err(Error::business("该部门下有下级部门，不能删除"));
        }
        org::delete_dept(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `getAllRoleList`: every role with its rights (`menuIds`) and holders (`userIds`).
    pub async fn role_list(&self, actor: &Actor) -> Result<Value> {
        actor.require_admin()?;
        let (roles, menus, holders) = tokio::try_join!(
            org::roles(&self.db),
            org::role_menus(&self.db),
            org::user_roles(&self.db)
        )?;
        let mut menu_ids: HashMap<i64, Vec<i64>> = HashMap::new();
        for (role, menu) in menus {
            menu_ids.entry(role).or_default().push(menu);
        }
        let mut user_ids: HashMap<i64, Vec<i64>> = HashMap::new();
        for (user, role) in holders {
            user_ids.entry(role).or_default().push(user);
        }
        let list = roles
            .iter()
            .map(|r| {
                json!({"roleId": r.role_id, "roleName": r.role_name, "roleType": r.role_type, "dataType": r.data_type,
                       "remark": r.remark, "status": r.status,
                       "menuIds": menu_ids.remove(&r.role_id).unwrap_or_default(),
                       "userIds": user_ids.remove(&r.role_id).unwrap_or_default()})
            })
            .collect();
        Ok(Value::Array(list))
    }

    fn role_fields(input: Input<'_>, current: Option<&org::RoleRow>) -> Result<(String, i64, i64, String)> {
        let name = match (input.opt_str("roleName")?, current) {
            (None, Some(r)) => r.role_name.clone(),
            _ => text(input, "roleName", "角色名称", 50)?,
        };
        let role_type = input
            .opt_i64("roleType")?
            .or(current.map(|r| r.role_type))
            .unwrap_or(2);
        let data_type = data_type(input, &["dataType"], current.map(|r| r.data_type).or(Some(1)))?;
        let remark = input
            .opt_bounded("remark", "备注", MAX_REMARK)?
            .or(current.map(|r| r.remark.clone()))
            .unwrap_or_default();
        Ok((name, role_type, data_type, remark))
    }

    /// `role/add`: answers the new role id.
    pub async fn add_role(&self, actor: &Actor, input: Input<'_>) -> Result<i64> {
        actor.require_admin()?;
        let (name, role_type, data_type, remark) = Self::role_fields(input, None)?;
        let fields = RoleFields {
            role_name: &name,
            role_type,
            data_type,
            remark: &remark,
        };
        Ok(org::insert_role(&self.db, &fields).await?)
    }

    async fn role(&self, id: i64) -> Result<org::RoleRow> {
        let roles = org::roles(&self.db).await?;
        roles
            .into_iter()
            .find(|r| r.role_id == id)
            .ok_or_else(|| Error::business("角色不存在"))
    }

    /// `role/update`.
    pub async fn update_role(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let id = input.i64("roleId", "角色id不能为空")?;
        let current = self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能修改"));
        }
        let (name, role_type, data_type, remark) = Self::role_fields(input, Some(&current))?;
        let fields = RoleFields {
            role_name: &name,
            role_type,
            data_type,
            remark: &remark,
        };
        org::update_role(&self.db, id, &fields).await?;
        Ok(())
    }

    /// `role/delete`: the role, its rights and its holders' bindings go together.
    pub async fn delete_role(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let id = input.i64("roleId", "角色id不能为空")?;
        self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能删除"));
        }
        let mut tx = self.db.begin().await?;
        org::delete_role(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `updateRoleMenu`: replaces a role's rights and optionally its data scope. Takes J9's
    /// `roleId`/`dataType`/`menuIds` and also its `id`/`type`/`rules` keys.
    pub async fn update_role_menu(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let key = if input.raw("roleId").is_some() {
            "roleId"
        } else {
            "id"
        };
        let id = input.i64(key, "角色id不能为空")?;
        let current = self.role(id).await?;
        if id == SUPER_ROLE {
            return Err(Error::business("超级管理员角色不能修改"));
        }
        let data_type = data_type(input, &["dataType", "type"], Some(current.data_type))?;
        let key = if input.raw("menuIds").is_some() {
            "menuIds"
        } else {
            "rules"
        };
        let menu_ids = match input.raw(key) {
            None => Vec::new(),
            Some(v) => parse_ids(v).ok_or_else(|| Error::bad(format!("参数{key}应为菜单id列表")))?,
        };
        let known: HashSet<i64> = org::menus(&self.db).await?.iter().map(|m| m.menu_id).collect();
        if let Some(bad) = menu_ids.iter().find(|m| !known.contains(m)) {
            return Err(Error::business(format!("菜单不存在：{bad}")));
        }
        let mut tx = self.db.begin().await?;
        org::set_data_type(&mut tx, id, data_type).await?;
        org::set_role_menus(&mut tx, id, &menu_ids).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn users_and_roles(&self, input: Input<'_>) -> Result<(Vec<i64>, Vec<i64>)> {
        let user_ids = input.ids("userIds", "员工id不能为空")?;
        let key = if input.raw("roleIds").is_some() {
            "roleIds"
        } else {
            "roleId"
        };
        let role_ids = input.ids(key, "角色id不能为空")?;
        self.check_roles(&role_ids).await?;
        for id in &user_ids {
            users::by_id(&self.db, *id)
                .await?
                .ok_or_else(|| Error::business(format!("用户不存在：{id}")))?;
        }
        Ok((user_ids, role_ids))
    }

    /// `relatedUser`: gives every listed user every listed role.
    pub async fn relate_users(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let (user_ids, role_ids) = self.users_and_roles(input).await?;
        let mut tx = self.db.begin().await?;
        for user in &user_ids {
            for role in &role_ids {
                org::bind_role(&mut tx, *user, *role).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// `unbindingUser`: takes the listed roles from the listed users.
    pub async fn unbind_users(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let (user_ids, role_ids) = self.users_and_roles(input).await?;
        if user_ids.contains(&actor.id()) && role_ids.contains(&SUPER_ROLE) {
            return Err(Error::business("不能取消自己的超级管理员角色"));
        }
        let mut tx = self.db.begin().await?;
        for user in &user_ids {
            for role in &role_ids {
                org::unbind_role(&mut tx, *user, *role).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Fails, naming the first unknown role, unless every role exists.
    pub(crate) async fn check_roles(&self, role_ids: &[i64]) -> Result<()> {
        let roles: HashSet<i64> = org::roles(&self.db).await?.iter().map(|r| r.role_id).collect();
        match role_ids.iter().find(|r| !roles.contains(r)) {
            Some(bad) => Err(Error::business(format!("角色不存在：{bad}"))),
            None => Ok(()),
        }
    }

    /// Replaces a user's roles (addUser / setUser with `roleIds`).
    pub(crate) async fn set_user_roles(&self, tx: &mut Tx, user_id: i64, input: Input<'_>) -> Result<()> {
        let Some(raw) = input.raw("roleIds") else {
            return Ok(());
        };
        let role_ids = parse_ids(raw).ok_or_else(|| Error::bad("参数roleIds应为以英文逗号分隔的数字id"))?;
        self.check_roles(&role_ids).await?;
        org::clear_roles(&mut *tx, user_id).await?;
        for role in role_ids {
            org::bind_role(&mut *tx, user_id, role).await?;
        }
        Ok(())
    }

    /// Checks a superior for `user_id` (None for a new user): it must exist and must not be
    /// the user or one of its subordinates.
    pub(crate) async fn check_superior(&self, tx: &mut Tx, user_id: Option<i64>, parent: i64) -> Result<()> {
        users::by_id(&mut *tx, parent)
            .await?
            .ok_or_else(|| Error::business("直属上级不存在"))?;
        if let Some(user_id) = user_id {
            let links = org::user_links(&mut *tx).await?;
            if let super::access::Owners::Only(below) = visible_owners(2, user_id, &links, &[])
                && below.contains(&parent)
            {
                return Err(Error::business("直属上级不能是自己或自己的下属"));
            }
        }
        Ok(())
    }

    /// `setUser`: changes a user's names, department, superior and roles.
    pub async fn set_user(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let id = input.i64("userId", "用户id不能为空")?;
        let mut tx = self.org_change().await?;
        let current = users::by_id(&mut tx, id)
            .await?
            .ok_or_else(|| Error::business(format!("用户不存在：{id}")))?;
        let realname = match input.opt_str("realname")? {
            None => current.realname.clone(),
            Some(_) => text(input, "realname", "姓名", 100)?,
        };
        let mobile = input
            .opt_bounded("mobile", "手机号", 20)?
            .unwrap_or(current.mobile.clone());
        let post = input.opt_bounded("post", "岗位", 50)?.or(current.post.clone());
        let dept_id = match input.opt_i64("deptId")? {
            Some(d) if !users::dept_exists(&mut tx, d).await? => return Err(Error::business("部门不存在")),
            Some(d) => Some(d),
            None => current.dept_id,
        };
        let parent_id = match input.opt_i64("parentId")? {
            Some(0) => None,
            Some(p) => {
                self.check_superior(&mut tx, Some(id), p).await?;
                Some(p)
            }
            None => current.parent_id,
        };
        let change = users::UserChange {
            realname: &realname,
            mobile: &mobile,
            post: post.as_deref(),
            dept_id,
            parent_id,
        };
        users::update(&mut tx, id, &change).await.map_err(|e| match e {
            StoreError::Unique(_) => Error::business("用户名已存在"),
            other => other.into(),
        })?;
        self.set_user_roles(&mut tx, id, input).await?;
        tx.commit().await?;
        Ok(())
    }
}
