//! A customer's deal status (成交状态) and lock (锁定): `setDealStatus` and `lock`.
//! Marking a customer dealt also unlocks it (J9); a dealt customer needs no lock
//! (`已成交客户无需锁定`); locked customers never return to the pool.

use super::CUSTOMER;
use crate::crm::access::{Reach, Right};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse};
use crate::crm::rows::{id_filter, record_ids, require_existing, rows};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign};
use crate::store::{Cell, Kind, Tx};

/// `setDealStatus`: customers (`ids`) and 0 未成交 / 1 已成交 (`dealStatus`).
#[derive(Clone, Debug)]
pub struct DealChange {
    pub ids: Vec<i64>,
    pub dealt: bool,
}

impl Parse for DealChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = record_ids(&CUSTOMER, input)?;
        let dealt = match input.i64("dealStatus", "成交状态不能为空")? {
            0 => false,
            1 => true,
            _ => return Err(Error::bad("dealStatus只能为0（未成交）或1（已成交）")),
        };
        Ok(DealChange { ids, dealt })
    }
}

/// `lock`: customers (`ids`) to lock or unlock — J9's `isLock` (1 lock, 0 unlock) or the
/// document's `status` (2 lock, 1 unlock).
#[derive(Clone, Debug)]
pub struct LockChange {
    pub ids: Vec<i64>,
    pub lock: bool,
}

impl Parse for LockChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = record_ids(&CUSTOMER, input)?;
        let lock = match (input.opt_i64("isLock")?, input.opt_i64("status")?) {
            (Some(1), _) | (None, Some(2)) => true,
            (Some(0), _) | (None, Some(1)) => false,
            (Some(_), _) => return Err(Error::bad("isLock只能为1（锁定）或0（解锁）")),
            (None, Some(_)) => return Err(Error::bad("status只能为2（锁定）或1（解锁）")),
            (None, None) => return Err(Error::bad("锁定状态不能为空")),
        };
        Ok(LockChange { ids, lock })
    }
}

impl Crm {
    /// `setDealStatus`: needs the 更改成交状态 right over customers the caller may change
    /// (owner in scope or a read-write member). The time of the change is kept (`dealTime`) while dealt.
    pub async fn set_deal_status(&self, actor: &Actor, change: DealChange) -> Result<()> {
        let DealChange { ids, dealt } = change;
        let mut tx = self.db.begin().await?;
        self.require_customers(&mut tx, actor, &ids, Right::DealStatus, Reach::Write)
            .await?;
        let changed = self
            .customers_where(&mut tx, &ids, "deal_status", |v| (v == Some(1)) != dealt)
            .await?;
        let now = self.clock.now();
        let mut assigns = vec![
            int("deal_status", i64::from(dealt)),
            Assign {
                column: "deal_time",
                kind: Kind::DateTime,
                value: if dealt { Cell::DateTime(now) } else { Cell::Null },
            },
            Assign {
                column: "update_time",
                kind: Kind::DateTime,
                value: Cell::DateTime(now),
            },
        ];
        if dealt {
            assigns.push(int("is_lock", 0));
        }
        records::update(&mut tx, CUSTOMER.table, &changed, &assigns).await?;
        if !dealt {
            // Undealt customers count again against their owners' limits.
            self.check_owners_of(&mut tx, &changed, "所选客户中有负责人拥有客户数已达上限")
                .await?;
        }
        let state = if dealt { "已成交" } else { "未成交" };
        self.log(
            &mut tx,
            actor,
            &CUSTOMER,
            &changed,
            &[format!("将客户成交状态修改为{state}")],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `lock`: needs the lock right over customers the caller owns or supervises.
    pub async fn set_lock(&self, actor: &Actor, change: LockChange) -> Result<()> {
        let LockChange { ids, lock } = change;
        let mut tx = self.db.begin().await?;
        self.require_customers(&mut tx, actor, &ids, Right::Lock, Reach::Write)
            .await?;
        if lock
            && !self
                .customers_where(&mut tx, &ids, "deal_status", |v| v == Some(1))
                .await?
                .is_empty()
        {
            return Err(Error::business("已成交客户无需锁定"));
        }
        let changed = self
            .customers_where(&mut tx, &ids, "is_lock", |v| (v == Some(1)) != lock)
            .await?;
        let assigns = [
            int("is_lock", i64::from(lock)),
            Assign {
                column: "update_time",
                kind: Kind::DateTime,
                value: Cell::DateTime(self.clock.now()),
            },
        ];
        records::update(&mut tx, CUSTOMER.table, &changed, &assigns).await?;
        if lock {
            self.check_lock_limits(&mut tx, &changed).await?;
        }
        let sentence = if lock {
            "将客户锁定。"
        } else {
            "将客户解锁。"
        };
        self.log(&mut tx, actor, &CUSTOMER, &changed, &[sentence.to_owned()])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The lock limits of the owners of newly locked customers.
    async fn check_lock_limits(&self, tx: &mut Tx, locked: &[i64]) -> Result<()> {
        let filter = crate::crm::rows::column_in(CUSTOMER.id_column(), locked);
        let owners: Vec<i64> = crate::crm::rows::owners(&mut *tx, &CUSTOMER, &filter)
            .await?
            .into_iter()
            .filter_map(|(_, owner)| owner)
            .collect();
        self.check_limits(tx, &owners, super::Limit::Locked, "有员工可锁定客户数达到上限")
            .await
    }

    /// Locks the customers' rows after checking they exist and the caller's right.
    pub(super) async fn require_customers(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        ids: &[i64],
        right: Right,
        reach: Reach,
    ) -> Result<()> {
        require_existing(tx, &CUSTOMER, ids).await?;
        self.require_record(&mut *tx, actor, &CUSTOMER, ids, right, reach)
            .await
    }

    /// The customers among `ids` whose integer `column` satisfies `keep`.
    pub(super) async fn customers_where(
        &self,
        tx: &mut Tx,
        ids: &[i64],
        column: &'static str,
        keep: impl Fn(Option<i64>) -> bool,
    ) -> Result<Vec<i64>> {
        let columns = [(CUSTOMER.id_column(), Kind::Int), (column, Kind::Int)];
        Ok(
            rows(&mut *tx, CUSTOMER.table, &columns, &id_filter(&CUSTOMER, ids))
                .await?
                .into_iter()
                .filter(|r| keep(r[1].as_i64()))
                .filter_map(|r| r[0].as_i64())
                .collect(),
        )
    }
}

pub(super) fn int(column: &'static str, value: i64) -> Assign {
    Assign {
        column,
        kind: Kind::Int,
        value: Cell::Int(value),
    }
}
