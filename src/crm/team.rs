//! Team members (团队成员) of customers, contacts and business: read-only or read-write
//! members, optionally until an expiry time. The owner is never a member.

use serde_json::{Value, json};

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::Input;
use super::module::Module;
use super::rows::{column_in, owners, require_active_user, require_existing, require_present};
use super::{Actor, Clock, Crm};
use crate::store::team::{self, Member};
use crate::store::{Exec, users};

/// Which users, with what power and until when (`addMembers` / `updateMembers`).
#[derive(Clone, Debug)]
pub struct MemberPlan {
    user_ids: Vec<i64>,
    power: i64,
    expires: Option<chrono::NaiveDateTime>,
}

impl MemberPlan {
    /// `memberIds`, `power` (1 read-only, 2 read-write) and an optional future `expiresTime`.
    pub fn parse(input: Input<'_>, clock: &Clock) -> Result<Self> {
        let user_ids = input.ids("memberIds", "团队成员不能为空")?;
        let power = match input.opt_i64("power")?.unwrap_or(1) {
            p @ (1 | 2) => p,
            _ => return Err(Error::bad("power只能为1（只读）或2（读写）")),
        };
        let expires = match input.opt_str("expiresTime")? {
            None => None,
            Some(text) => {
                let at = clock.parse_field("过期时间", &text)?;
                if at <= clock.now() {
                    return Err(Error::bad("过期时间必须晚于当前时间"));
                }
                Some(at)
            }
        };
        Ok(MemberPlan {
            user_ids,
            power,
            expires,
        })
    }
}

fn power_name(power: i64) -> &'static str {
    match power {
        3 => "负责人权限",
        2 => "读写",
        _ => "只读",
    }
}

impl Crm {
    fn require_team(module: &Module) -> Result<()> {
        if module.has_team {
            Ok(())
        } else {
            Err(Error::bad(format!("{}没有团队成员", module.title)))
        }
    }

    /// `getMembers`: the owner (power 3) then the members.
    pub async fn team_members(&self, module: &Module, actor: &Actor, id: i64) -> Result<Value> {
        Self::require_team(module)?;
        // A read: on the pool, without a write transaction or row locks.
        require_present(&self.db, module, &[id]).await?;
        self.require_reach(&self.db, actor, module, &[id], Right::Read, Reach::Read)
            .await?;
        let owner = self.owner_of(&self.db, module, id).await?;
        let mut list = Vec::new();
        if let Some(owner) = owner
            && let Some(u) = users::by_id(&self.db, owner).await?
        {
            list.push(
                json!({"userId": owner, "realname": u.realname, "power": 3, "powerName": power_name(3),
                              "groupRole": "负责人", "expiresTime": null}),
            );
        }
        for m in team::members_of(&self.db, module.label, id).await? {
            list.push(
                json!({"userId": m.user_id, "realname": m.realname, "power": m.power,
                              "powerName": power_name(m.power), "groupRole": "普通成员",
                              "expiresTime": m.expires_time.map(|t| self.clock.render(t))}),
            );
        }
        Ok(Value::Array(list))
    }

    async fn owner_of<'a>(&self, exec: impl Into<Exec<'a>>, module: &Module, id: i64) -> Result<Option<i64>> {
        let rows = owners(exec, module, &column_in(module.id_column(), &[id])).await?;
        Ok(rows.first().and_then(|(_, owner)| *owner))
    }

    /// `addMembers` / `updateMembers`: adds the users to each record's team, or changes
    /// their power and expiry.
    pub async fn save_members(
        &self,
        module: &Module,
        actor: &Actor,
        ids: Vec<i64>,
        plan: MemberPlan,
    ) -> Result<()> {
        Self::require_team(module)?;
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &ids).await?;
        self.require_reach(&mut tx, actor, module, &ids, Right::TeamSave, Reach::Own)
            .await?;
        for user in &plan.user_ids {
            require_active_user(&mut tx, *user, "团队成员").await?;
        }
        let now = self.clock.now();
        for id in &ids {
            let owner = self.owner_of(&mut tx, module, *id).await?;
            for user in &plan.user_ids {
                if owner == Some(*user) {
                    return Err(Error::business("负责人不能重复选为团队成员!"));
                }
                let member = Member {
                    user_id: *user,
                    power: plan.power,
                    expires: plan.expires,
                };
                team::upsert(&mut tx, module.label, *id, member, now).await?;
            }
        }
        let names = super::history::names_of(&mut tx, &plan.user_ids).await?;
        let power = if plan.power == 2 { "读写" } else { "只读" };
        let sentence = format!("将{names}添加为团队成员（{power}）");
        self.log(&mut tx, actor, module, &ids, &[sentence]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `deleteMembers`: removes the users from each record's team.
    pub async fn delete_members(
        &self,
        module: &Module,
        actor: &Actor,
        ids: Vec<i64>,
        user_ids: Vec<i64>,
    ) -> Result<()> {
        Self::require_team(module)?;
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &ids).await?;
        self.require_reach(&mut tx, actor, module, &ids, Right::TeamSave, Reach::Own)
            .await?;
        for user in &user_ids {
            team::remove_user(&mut tx, module.label, &ids, *user).await?;
        }
        let names = super::history::names_of(&mut tx, &user_ids).await?;
        self.log(&mut tx, actor, module, &ids, &[format!("将{names}移出团队")])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `exitTeam`: the caller leaves a record's team; the owner cannot.
    pub async fn exit_team(&self, module: &Module, actor: &Actor, id: i64) -> Result<()> {
        Self::require_team(module)?;
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &[id]).await?;
        if self.owner_of(&mut tx, module, id).await? == Some(actor.id()) {
            return Err(Error::business("负责人不能退出团队！"));
        }
        let members = team::members_of(&mut tx, module.label, id).await?;
        if !members.iter().any(|m| m.user_id == actor.id()) {
            return Err(Error::business("您不是该团队的成员"));
        }
        team::remove_user(&mut tx, module.label, &[id], actor.id()).await?;
        self.log(&mut tx, actor, module, &[id], &["退出了团队".to_owned()])
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
