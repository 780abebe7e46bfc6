//! WukongCRM's permission model, enforced as one predicate.
//!
//! A user holds roles; each role grants operation rights per module (`crm:leads:index`, …)
//! and carries a data scope: 1 本人, 2 本人及下属, 3 本部门, 4 本部门及下属部门, 5 全部. For
//! one (user, module, right) the widest scope among the roles granting that right decides
//! which owners' records the user reaches. Rights and the organisation are read from the
//! database on every request, so a change of role, department or superior applies at once
//! on every instance.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::error::{Error, Result};
use super::module::Module;
use super::{Actor, Crm};
use crate::store::org::{self, DeptRow, GrantRow, UserLink};
use crate::store::records;
use crate::store::{Exec, Filter};

/// The role every administrator holds; it passes every check.
pub const SUPER_ROLE: i64 = 1;
/// The widest data scope (全部).
pub const ALL_DATA: i64 = 5;

/// An operation right of a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Right {
    Index,
    Read,
    Save,
    Update,
    Delete,
    Transfer,
    TeamSave,
    /// Products on or off the shelf.
    Status,
    /// Leads converted to customers.
    Transform,
    /// Customers locked or unlocked.
    Lock,
    /// A customer's deal status changed.
    DealStatus,
    /// Customers put into the public pool.
    PutInPool,
    /// Records imported from a spreadsheet.
    ExcelImport,
    /// Records exported to a spreadsheet.
    ExcelExport,
}

impl Right {
    pub fn realm(self) -> &'static str {
        match self {
            Right::Index => "index",
            Right::Read => "read",
            Right::Save => "save",
            Right::Update => "update",
            Right::Delete => "delete",
            Right::Transfer => "transfer",
            Right::TeamSave => "teamsave",
            Right::Status => "status",
            Right::Transform => "transform",
            Right::Lock => "lock",
            Right::DealStatus => "dealStatus",
            Right::PutInPool => "putinpool",
            Right::ExcelImport => "excelimport",
            Right::ExcelExport => "excelexport",
        }
    }
}

/// The rights a user holds, as loaded for one request.
#[derive(Clone, Debug, Default)]
pub struct Access {
    pub super_admin: bool,
    /// (module realm, operation realm) → the widest scope among the roles granting it.
    grants: HashMap<(String, String), i64>,
}

impl Access {
    pub fn new(is_admin: bool, rows: Vec<GrantRow>) -> Self {
        let super_admin = is_admin || rows.iter().any(|g| g.role_id == SUPER_ROLE);
        let mut grants: HashMap<(String, String), i64> = HashMap::new();
        for g in rows {
            let scope = grants.entry((g.module, g.op)).or_insert(g.data_type);
            *scope = (*scope).max(g.data_type);
        }
        Access { super_admin, grants }
    }

    /// The data scope under which the user holds `right` on `module`, if it does.
    pub fn scope(&self, module: &Module, right: Right) -> Option<i64> {
        if self.super_admin {
            return Some(ALL_DATA);
        }
        self.grants
            .get(&(module.realm.to_owned(), right.realm().to_owned()))
            .copied()
    }

    /// Whether the user holds operation `op` of a rights realm that is not a module
    /// (`pool`: `index`, `receive`, `distribute`).
    pub fn holds(&self, realm: &str, op: &str) -> bool {
        self.super_admin || self.grants.contains_key(&(realm.to_owned(), op.to_owned()))
    }

    /// The `auth` tree of the login response: `{"crm":{"leads":{"index":true,…}}}`.
    pub fn tree(&self, menus: &[org::MenuRow]) -> Value {
        let by_id: HashMap<i64, &org::MenuRow> = menus.iter().map(|m| (m.menu_id, m)).collect();
        let mut crm = Map::new();
        for op in menus.iter().filter(|m| m.menu_type == 3) {
            let Some(module) = by_id.get(&op.parent_id) else {
                continue;
            };
            let held = self.super_admin
                || self
                    .grants
                    .contains_key(&(module.realm.clone(), op.realm.clone()));
            if held {
                let entry = crm.entry(module.realm.clone()).or_insert_with(|| json!({}));
                entry[&op.realm] = Value::Bool(true);
            }
        }
        let mut tree = json!({ "crm": crm });
        if self.super_admin {
            // J9's 系统设置 menus, each gated by its own operations (`manage.crm.field` for
            // 自定义字段设置, …), for the settings wkcrm has.
            tree["manage"] = json!({
                "system": {"read": true, "update": true},
                "users": {"read": true, "userSave": true, "userEnables": true, "userUpdate": true,
                          "deptSave": true, "deptUpdate": true, "deptDelete": true},
                "permission": {"update": true},
                "crm": {"field": true, "pool": true, "setting": true},
            });
        }
        tree
    }
}

/// Whose records a caller reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owners {
    All,
    /// Records owned by these users (sorted).
    Only(Vec<i64>),
}

/// The owners a data scope covers for user `me`. Superiors and department trees are
/// followed transitively; cycles in bad data are cut.
pub fn visible_owners(data_type: i64, me: i64, users: &[UserLink], depts: &[DeptRow]) -> Owners {
    let my_dept = users.iter().find(|u| u.user_id == me).and_then(|u| u.dept_id);
    let mut set: HashSet<i64> = HashSet::from([me]);
    match data_type {
        1 => {}
        2 => {
            let mut frontier = vec![me];
            while let Some(boss) = frontier.pop() {
                for u in users.iter().filter(|u| u.parent_id == Some(boss)) {
                    if set.insert(u.user_id) {
                        frontier.push(u.user_id);
                    }
                }
            }
        }
        3 | 4 => {
            let mut scope_depts: HashSet<i64> = my_dept.into_iter().collect();
            if data_type == 4 {
                let mut frontier: Vec<i64> = scope_depts.iter().copied().collect();
                while let Some(parent) = frontier.pop() {
                    for d in depts.iter().filter(|d| d.pid == parent) {
                        if scope_depts.insert(d.dept_id) {
                            frontier.push(d.dept_id);
                        }
                    }
                }
            }
            set.extend(
                users
                    .iter()
                    .filter(|u| u.dept_id.is_some_and(|d| scope_depts.contains(&d)))
                    .map(|u| u.user_id),
            );
        }
        _ => return Owners::All,
    }
    let mut ids: Vec<i64> = set.into_iter().collect();
    ids.sort_unstable();
    Owners::Only(ids)
}

/// How far a caller must reach a record for an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Owner in scope, or any team member (customers in the pool are readable by all).
    Read,
    /// Owner in scope, or a read-write team member.
    Write,
    /// Owner in scope (delete, transfer, team changes).
    Own,
}

impl Crm {
    /// Checks that the caller holds `right` on `module`; answers the owners it reaches.
    pub async fn authorize(&self, actor: &Actor, module: &Module, right: Right) -> Result<Owners> {
        let data_type = actor.access.scope(module, right).ok_or(Error::Forbidden)?;
        if data_type >= ALL_DATA {
            return Ok(Owners::All);
        }
        let users = org::user_links(&self.db).await?;
        let depts = if matches!(data_type, 3 | 4) {
            org::depts(&self.db).await?
        } else {
            Vec::new()
        };
        Ok(visible_owners(data_type, actor.id(), &users, &depts))
    }

    /// The records of `module` the caller reaches, as one condition for any query.
    pub fn reach_filter(&self, actor: &Actor, module: &Module, owners: &Owners, reach: Reach) -> Filter {
        let Owners::Only(ids) = owners else {
            return Filter::True;
        };
        if !module.data_scoped {
            return Filter::True;
        }
        let mut any = vec![Filter::OwnedBy(ids.clone())];
        if module.has_team && reach != Reach::Own {
            any.push(Filter::TeamMember {
                label: module.label,
                user: actor.id(),
                write: reach == Reach::Write,
                at: Some(self.clock.now()),
            });
        }
        if reach == Reach::Read && (module.scope)() != Filter::True {
            // Records outside the module's list scope (pool customers) are readable by all.
            any.push(Filter::Not(Box::new((module.scope)())));
        }
        Filter::Any(any)
    }

    /// Checks `right`, then that every id (all known to exist) is within `reach`; else
    /// `无权操作` and nothing is done.
    pub async fn require_reach<'a>(
        &self,
        exec: impl Into<Exec<'a>>,
        actor: &Actor,
        module: &Module,
        ids: &[i64],
        right: Right,
        reach: Reach,
    ) -> Result<()> {
        let owners = self.authorize(actor, module, right).await?;
        if owners == Owners::All {
            return Ok(());
        }
        let filter = self.reach_filter(actor, module, &owners, reach);
        let reached = records::matching_ids(exec, module.table, ids, &filter).await?;
        if reached.len() == ids.len() {
            Ok(())
        } else {
            Err(Error::NoPermission)
        }
    }

    /// `require_reach` for operations on given records: lacking the module right altogether
    /// reads as `无权操作` too, like a record out of reach.
    pub async fn require_record<'a>(
        &self,
        exec: impl Into<Exec<'a>>,
        actor: &Actor,
        module: &Module,
        ids: &[i64],
        right: Right,
        reach: Reach,
    ) -> Result<()> {
        match self.require_reach(exec, actor, module, ids, right, reach).await {
            Err(Error::Forbidden) => Err(Error::NoPermission),
            other => other,
        }
    }

    /// The rights of a user as loaded for a request.
    pub async fn load_access(&self, user_id: i64, is_admin: bool) -> Result<Access> {
        if is_admin {
            // The administrator passes every check; its grants need not be read.
            return Ok(Access::new(true, Vec::new()));
        }
        Ok(Access::new(false, org::grants(&self.db, user_id).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(user_id: i64, parent_id: Option<i64>, dept_id: i64) -> UserLink {
        UserLink {
            user_id,
            parent_id,
            dept_id: Some(dept_id),
        }
    }

    fn dept(dept_id: i64, pid: i64) -> DeptRow {
        DeptRow {
            dept_id,
            pid,
            name: String::new(),
            num: 0,
            remark: String::new(),
            owner_user_id: None,
        }
    }

    #[test]
    fn scopes_follow_superiors_and_department_trees() {
        // dept 1 ⊃ 2 ⊃ 3, dept 4 apart; 10 manages 11 who manages 12; 13 in dept 3; 14 in dept 4.
        let users = [
            link(10, None, 2),
            link(11, Some(10), 2),
            link(12, Some(11), 3),
            link(13, None, 3),
            link(14, Some(14), 4),
        ];
        let depts = [dept(1, 0), dept(2, 1), dept(3, 2), dept(4, 1)];
        let only = |v: &[i64]| Owners::Only(v.to_vec());
        assert_eq!(visible_owners(1, 10, &users, &depts), only(&[10]));
        assert_eq!(visible_owners(2, 10, &users, &depts), only(&[10, 11, 12]));
        assert_eq!(
            visible_owners(2, 14, &users, &depts),
            only(&[14]),
            "a self-loop ends"
        );
        assert_eq!(visible_owners(3, 10, &users, &depts), only(&[10, 11]));
        assert_eq!(visible_owners(4, 10, &users, &depts), only(&[10, 11, 12, 13]));
        assert_eq!(visible_owners(5, 10, &users, &depts), Owners::All);
    }
}
