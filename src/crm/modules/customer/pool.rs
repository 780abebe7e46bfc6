//! The public pool (公海): customers without an owner. Putting in (`updateCustomerByIds`)
//! clears the owner, keeping who had it and when, drops the team and frees the contacts;
//! the pool list has the customer list's search, filters and scenes; receiving
//! (`receiveByIds`) and distributing (`distributeByIds`) give customers an owner again.
//! Each customer row is locked while it changes hands, so of two users receiving the same
//! customer at once exactly one gets it, on any number of instances.

use super::CUSTOMER;
use super::deal::int;
use crate::crm::access::{Reach, Right};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse};
use crate::crm::modules::CONTACTS;
use crate::crm::records::ListQuery;
use crate::crm::rows::{column_in, owners, record_ids, require_active_user};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign, OWNER_COLUMN};
use crate::store::{Cell, Filter, Kind, Tx};

/// `updateCustomerByIds`: customers (`ids`) into the pool (`poolId`; one pool here, the
/// default, whatever is sent).
#[derive(Clone, Debug)]
pub struct PoolEntry {
    pub ids: Vec<i64>,
}

impl Parse for PoolEntry {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PoolEntry {
            ids: record_ids(&CUSTOMER, input)?,
        })
    }
}

/// `receiveByIds` / `distributeByIds`: customers (`ids`) and who gets them (`userId`,
/// the caller when absent).
#[derive(Clone, Debug)]
pub struct PoolTake {
    pub ids: Vec<i64>,
    pub user: Option<i64>,
}

impl Parse for PoolTake {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PoolTake {
            ids: record_ids(&CUSTOMER, input)?,
            user: input.opt_i64("userId")?,
        })
    }
}

impl Crm {
    /// `updateCustomerByIds`: the 放入公海 right over customers the caller may change; none
    /// locked (`选中的客户有被锁定的，不能放入公海！`). Customers already in the pool are left.
    pub async fn put_in_pool(&self, actor: &Actor, entry: PoolEntry) -> Result<()> {
        let mut tx = self.db.begin().await?;
        self.require_customers(&mut tx, actor, &entry.ids, Right::PutInPool, Reach::Write)
            .await?;
        if !self
            .customers_where(&mut tx, &entry.ids, "is_lock", |v| v == Some(1))
            .await?
            .is_empty()
        {
            return Err(Error::business("选中的客户有被锁定的，不能放入公海！"));
        }
        let owned: Vec<i64> = owners(&mut tx, &CUSTOMER, &column_in(CUSTOMER.id_column(), &entry.ids))
            .await?
            .into_iter()
            .filter_map(|(id, owner)| owner.map(|_| id))
            .collect();
        self.return_to_pool(&mut tx, &owned, self.clock.now()).await?;
        self.log(&mut tx, actor, &CUSTOMER, &owned, &["将客户放入公海".to_owned()])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `queryPoolPageList`: the pool's customers, for holders of the pool's list right.
    pub async fn pool_page(&self, actor: &Actor, query: ListQuery) -> Result<serde_json::Value> {
        require_pool_right(actor, "index")?;
        self.record_page_within(&CUSTOMER, actor, query, Filter::Unowned)
            .await
    }

    /// `receiveByIds` (the caller takes them) and `distributeByIds` (the pool's distribute
    /// right gives them to `userId`): every customer must still be in the pool.
    pub async fn take_from_pool(&self, actor: &Actor, take: PoolTake, distribute: bool) -> Result<()> {
        require_pool_right(actor, if distribute { "distribute" } else { "receive" })?;
        let user = take.user.unwrap_or(actor.id());
        if !distribute && user != actor.id() {
            return Err(Error::NoPermission);
        }
        let mut tx = self.db.begin().await?;
        require_active_user(&mut tx, user, "负责人").await?;
        // Locked in id order: a second taker waits, then finds them taken.
        crate::crm::rows::require_existing(&mut tx, &CUSTOMER, &take.ids).await?;
        let taken = owners(&mut tx, &CUSTOMER, &column_in(CUSTOMER.id_column(), &take.ids)).await?;
        if taken.iter().any(|(_, owner)| owner.is_some()) {
            return Err(Error::business("选中的客户已不在公海中"));
        }
        let now = Cell::DateTime(self.clock.now());
        let assigns = [
            int(OWNER_COLUMN, user),
            int("followup", 0),
            int("is_receive", if distribute { 1 } else { 2 }),
            Assign {
                column: "receive_time",
                kind: Kind::DateTime,
                value: now.clone(),
            },
            Assign {
                column: "update_time",
                kind: Kind::DateTime,
                value: now,
            },
        ];
        records::update(&mut tx, CUSTOMER.table, &take.ids, &assigns).await?;
        self.give_contacts(&mut tx, &take.ids, Some(user)).await?;
        self.check_limits(&mut tx, &[user], super::Limit::Owned, "该员工拥有客户数已达上限")
            .await?;
        let sentence = if distribute {
            format!(
                "将客户分配给：{}",
                crate::crm::history::names_of(&mut tx, &[user]).await?
            )
        } else {
            "领取了客户".to_owned()
        };
        self.log(&mut tx, actor, &CUSTOMER, &take.ids, &[sentence])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Customers' contacts follow them into and out of the pool.
    pub(super) async fn give_contacts(
        &self,
        tx: &mut Tx,
        customers: &[i64],
        owner: Option<i64>,
    ) -> Result<()> {
        let contacts: Vec<i64> = owners(&mut *tx, &CONTACTS, &column_in("customer_id", customers))
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let assign = [Assign {
            column: OWNER_COLUMN,
            kind: Kind::Int,
            value: owner.map_or(Cell::Null, Cell::Int),
        }];
        records::update(&mut *tx, CONTACTS.table, &contacts, &assign).await?;
        Ok(())
    }
}

/// The pool's rights are a realm of their own (`crm:pool:*`).
fn require_pool_right(actor: &Actor, op: &str) -> Result<()> {
    if actor.access.holds("pool", op) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
