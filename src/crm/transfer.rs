//! Owner transfer: leads `changeOwnerUser`, customer/contacts/business `transfer`.
//!
//! With `transferType=2` the old owner stays on the record's team with `power` (1 read-only,
//! 2 read-write); with 1 it is simply replaced. A customer transfer may carry its contacts
//! (`changeType` 1) and business (2) along. Everything happens in one transaction.

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, Parse, parse_ids};
use super::module::Module;
use super::rows::{column_in, owners, record_ids, require_active_user, require_existing};
use super::{Actor, Crm};
use crate::store::records::{self, Assign, OWNER_COLUMN};
use crate::store::{Cell, Kind, Tx, team};

/// What to do with the old owner and which related records follow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Team power to give the old owner, or `None` to drop it (`transferType` 1).
    pub keep_old_owner: Option<i64>,
    pub change_types: Vec<i64>,
}

impl Parse for Plan {
    fn parse(input: Input<'_>) -> Result<Self> {
        let keep = match input.opt_i64("transferType")?.unwrap_or(1) {
            1 => None,
            2 => match input.opt_i64("power")?.unwrap_or(1) {
                p @ (1 | 2) => Some(p),
                _ => return Err(Error::bad("power只能为1（只读）或2（读写）")),
            },
            _ => {
                return Err(Error::bad("transferType只能为1（移出团队）或2（转为团队成员）"));
            }
        };
        let change_types = match input.raw("changeType") {
            None => Vec::new(),
            Some(v) => parse_ids(v).ok_or_else(|| Error::bad("changeType应为以英文逗号分隔的数字"))?,
        };
        if let Some(bad) = change_types.iter().find(|t| !(1..=3).contains(*t)) {
            return Err(Error::bad(format!("changeType不支持：{bad}")));
        }
        Ok(Plan {
            keep_old_owner: keep,
            change_types,
        })
    }
}

/// A transfer request: which records, to whom, and how.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub ids: Vec<i64>,
    pub new_owner: i64,
    pub plan: Plan,
}

impl Transfer {
    /// `ids` (or the module's own key), `newOwnerUserId` (or `ownerUserId`), and the plan.
    pub fn parse(module: &Module, input: Input<'_>) -> Result<Self> {
        let ids = record_ids(module, input)?;
        let key = if input.raw("newOwnerUserId").is_some() {
            "newOwnerUserId"
        } else {
            "ownerUserId"
        };
        Ok(Transfer {
            ids,
            new_owner: input.i64(key, "新负责人不能为空")?,
            plan: Plan::parse(input)?,
        })
    }
}

impl Crm {
    /// Gives the listed records (and the chosen related ones) to `newOwnerUserId`.
    pub async fn transfer_records(
        &self,
        module: &'static Module,
        actor: &Actor,
        request: Transfer,
    ) -> Result<()> {
        let Transfer { ids, new_owner, plan } = request;
        let mut tx = self.db.begin().await?;
        require_active_user(&mut tx, new_owner, "新负责人").await?;
        require_existing(&mut tx, module, &ids).await?;
        self.require_reach(&mut tx, actor, module, &ids, Right::Transfer, Reach::Own)
            .await?;
        self.change_owner(&mut tx, actor, module, &ids, new_owner, &plan)
            .await?;
        for cascade in module
            .cascades
            .iter()
            .filter(|c| plan.change_types.contains(&c.change_type))
        {
            // Related records follow only where the caller may transfer them itself.
            let reach = match self.authorize(actor, cascade.module, Right::Transfer).await {
                Ok(owners) => self.reach_filter(actor, cascade.module, &owners, Reach::Own),
                Err(Error::Forbidden) => continue,
                Err(e) => return Err(e),
            };
            let related = column_in(cascade.foreign_key, &ids).and(reach);
            let related = owners(&mut tx, cascade.module, &related).await?;
            let related: Vec<i64> = related.iter().map(|(id, _)| *id).collect();
            self.change_owner(&mut tx, actor, cascade.module, &related, new_owner, &plan)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets the owner of `ids`, keeping or dropping the old owner as `plan` says.
    pub(crate) async fn change_owner(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        module: &Module,
        ids: &[i64],
        new_owner: i64,
        plan: &Plan,
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        if module.has_team {
            if let Some(power) = plan.keep_old_owner {
                for (id, old) in owners(&mut *tx, module, &column_in(module.id_column(), ids)).await? {
                    if let Some(old) = old.filter(|old| *old != new_owner) {
                        let member = team::Member {
                            user_id: old,
                            power,
                            expires: None,
                        };
                        team::upsert(&mut *tx, module.label, id, member, now).await?;
                    }
                }
            }
            // The owner is never also a team member.
            team::remove_user(&mut *tx, module.label, ids, new_owner).await?;
        }
        let mut assigns = vec![
            Assign {
                column: OWNER_COLUMN,
                kind: Kind::Int,
                value: Cell::Int(new_owner),
            },
            Assign {
                column: "update_time",
                kind: Kind::DateTime,
                value: Cell::DateTime(now),
            },
        ];
        assigns.extend(module.on_owner_change.iter().map(|(column, value)| Assign {
            column,
            kind: Kind::Int,
            value: Cell::Int(*value),
        }));
        records::update(&mut *tx, module.table, ids, &assigns).await?;
        let name = super::history::names_of(tx, &[new_owner]).await?;
        let sentence = format!("将{}转移给：{name}", module.title);
        self.log(tx, actor, module, ids, &[sentence]).await?;
        if let Some(after_owner_change) = module.after_owner_change {
            after_owner_change(self, tx, new_owner).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(v: serde_json::Value) -> Result<Plan> {
        Plan::parse(Input(v.as_object().unwrap()))
    }

    #[test]
    fn parses_transfer_options() {
        assert_eq!(
            plan(json!({})).unwrap(),
            Plan {
                keep_old_owner: None,
                change_types: vec![]
            }
        );
        assert_eq!(
            plan(json!({"transferType":"2","power":"2","changeType":"1,2"})).unwrap(),
            Plan {
                keep_old_owner: Some(2),
                change_types: vec![1, 2]
            }
        );
        assert!(plan(json!({"transferType":3})).is_err());
        assert!(plan(json!({"transferType":2,"power":9})).is_err());
        assert!(plan(json!({"changeType":"1,x"})).is_err());
        assert!(plan(json!({"changeType":"7"})).is_err());
    }
}
