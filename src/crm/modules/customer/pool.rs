//! The public pool (公海): customers without an owner. Putting in (`updateCustomerByIds`)
//! clears the owner, keeping who had it and when, drops the team and frees the contacts;
//! the pool list has the customer list's search, filters and scenes; receiving
//! (`receiveByIds`) and distributing (`distributeByIds`) give customers an owner again.
//! Each customer row is locked while it changes hands, so of two users receiving the same
//! customer at once exactly one gets it, on any number of instances. A customer is in one
//! pool (`pool_id`); which pools a user may use, and the limits on receiving, are the
//! pool's (`pools.rs`).

use super::CUSTOMER;
use super::deal::int;
use crate::crm::access::{Reach, Right};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse};
use crate::crm::modules::CONTACTS;
use crate::crm::records::{ListQuery, SceneChoice};
use std::collections::BTreeMap;

use super::pools::Pool;
use crate::crm::rows::{column_in, int_is, owners, record_ids, require_active_user, rows, text_is};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign, OWNER_COLUMN};
use crate::store::tables::CUSTOMER_POOL_RECEIPT;
use crate::store::{Cell, Filter, Kind, Tx};

/// `updateCustomerByIds`: customers (`ids`) into a pool (`poolId`; the default pool
/// when absent, as the J9 client sends it).
#[derive(Clone, Debug)]
pub struct PoolEntry {
    pub ids: Vec<i64>,
    pub pool: Option<i64>,
}

impl Parse for PoolEntry {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PoolEntry {
            ids: record_ids(&CUSTOMER, input)?,
            pool: input.opt_i64("poolId")?,
        })
    }
}

/// The pool lists: the customer list's query and, for J11's route, the pool (`poolId`;
/// every pool the caller may use when absent).
#[derive(Clone, Debug)]
pub struct PoolQuery {
    pub list: ListQuery,
    pub pool: Option<i64>,
}

impl Parse for PoolQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let mut list = ListQuery::parse(input)?;
        // The caller's default customer scene (我负责的客户, say) is for the customer list;
        // applied to the pool, whose customers have no owner, it would hide them all.
        if list.scene == SceneChoice::UserDefault {
            list.scene = SceneChoice::NoScene;
        }
        Ok(PoolQuery {
            list,
            pool: input.opt_i64("poolId")?,
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
        // The pool's row first, then the customers', in the order recycling locks them.
        let pool = self.target_pool(&mut tx, entry.pool).await?;
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
        self.return_to_pool(&mut tx, &owned, pool.id, self.clock.now())
            .await?;
        self.log(&mut tx, actor, &CUSTOMER, &owned, &["将客户放入公海".to_owned()])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `queryPoolPageList` and J11's `queryPageList`: the customers of one pool, or of
    /// every pool the caller may use, for holders of the pool's list right; without the
    /// columns the pool hides.
    pub async fn pool_page(&self, actor: &Actor, query: PoolQuery) -> Result<serde_json::Value> {
        require_pool_right(actor, "index")?;
        let (within, hidden) = self.pool_scope(actor, query.pool).await?;
        let mut page = self
            .record_page_within(&CUSTOMER, actor, query.list, within)
            .await?;
        if let Some(rows) = page.get_mut("list").and_then(serde_json::Value::as_array_mut) {
            for row in rows.iter_mut().filter_map(serde_json::Value::as_object_mut) {
                for key in &hidden {
                    row.remove(key);
                }
            }
        }
        Ok(page)
    }

    /// The customers of one pool the caller may use (`pool`), or of every pool it may use,
    /// and the columns that pool hides; `没有该公海权限，不能进行操作` for another pool.
    pub(crate) async fn pool_scope(&self, actor: &Actor, pool: Option<i64>) -> Result<(Filter, Vec<String>)> {
        let usable: Vec<Pool> = self
            .pools(&self.db, true)
            .await?
            .into_iter()
            .filter(|p| p.admits(actor))
            .collect();
        let (within, hidden) = match pool {
            Some(id) => {
                let pool = usable.iter().find(|p| p.id == id).ok_or_else(no_pool_right)?;
                let hidden = pool
                    .fields
                    .iter()
                    .filter(|f| f.is_hidden == 1)
                    .map(|f| f.field_name.clone())
                    .collect();
                (int_is("pool_id", id), hidden)
            }
            None if actor.is_admin() => (Filter::True, Vec::new()),
            None => (
                column_in("pool_id", &usable.iter().map(|p| p.id).collect::<Vec<_>>()),
                Vec::new(),
            ),
        };
        Ok((Filter::Unowned.and(within), hidden))
    }

    /// An enabled pool the caller may use, for putting customers in.
    pub(crate) async fn usable_pool(&self, actor: &Actor, id: i64) -> Result<Pool> {
        let pool = self.pool(&self.db, id).await?;
        if !pool.enabled {
            return Err(Error::business("不能向停用公海转入客户"));
        }
        if !pool.admits(actor) {
            return Err(no_pool_right());
        }
        Ok(pool)
    }

    /// New customers without an owner go into `pool` (the default pool when none), in
    /// the pool since now.
    pub(crate) async fn place_in_pool(&self, tx: &mut Tx, ids: &[i64], pool: Option<i64>) -> Result<()> {
        let pool = self.target_pool(tx, pool).await?;
        let assigns = [
            Assign {
                column: OWNER_COLUMN,
                kind: Kind::Int,
                value: Cell::Null,
            },
            Assign {
                column: "pool_time",
                kind: Kind::DateTime,
                value: Cell::DateTime(self.clock.now()),
            },
            int("pool_id", pool.id),
        ];
        records::update(&mut *tx, CUSTOMER.table, ids, &assigns).await?;
        Ok(())
    }

    /// `receiveByIds` (the caller takes them) and `distributeByIds` (the pool's distribute
    /// right gives them to `userId`): every customer must still be in the pool.
    pub async fn take_from_pool(&self, actor: &Actor, take: PoolTake, distribute: bool) -> Result<()> {
        if !distribute {
            require_pool_right(actor, "receive")?;
        }
        let user = take.user.unwrap_or(actor.id());
        if !distribute && user != actor.id() {
            return Err(Error::NoPermission);
        }
        let mut tx = self.db.begin().await?;
        require_active_user(&mut tx, user, "负责人").await?;
        // Locked in id order: a second taker waits, then finds them taken.
        crate::crm::rows::require_existing(&mut tx, &CUSTOMER, &take.ids).await?;
        let columns = [
            (OWNER_COLUMN, Kind::Int),
            ("pool_id", Kind::Int),
            ("pre_owner_user_id", Kind::Int),
            ("pool_time", Kind::DateTime),
        ];
        let taken = rows(
            &mut tx,
            CUSTOMER.table,
            &columns,
            &column_in(CUSTOMER.id_column(), &take.ids),
        )
        .await?;
        if taken.iter().any(|r| r[0].as_i64().is_some()) {
            return Err(Error::business("选中的客户已不在公海中"));
        }
        let default = self.default_pool(&mut tx).await?.id;
        let mut by_pool: BTreeMap<i64, Vec<&Vec<Cell>>> = BTreeMap::new();
        for row in &taken {
            by_pool
                .entry(row[1].as_i64().unwrap_or(default))
                .or_default()
                .push(row);
        }
        for (pool, customers) in by_pool {
            let pool = self.pool(&mut tx, pool).await?;
            if distribute {
                require_may_distribute(actor, &pool)?;
            } else {
                self.require_may_receive(&mut tx, actor, &pool, &customers)
                    .await?;
            }
        }
        let now = Cell::DateTime(self.clock.now());
        let assigns = [
            int(OWNER_COLUMN, user),
            int("followup", 0),
            int("is_receive", if distribute { 1 } else { 2 }),
            Assign {
                column: "pool_id",
                kind: Kind::Int,
                value: Cell::Null,
            },
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

fn no_pool_right() -> Error {
    Error::business("没有该公海权限，不能进行操作")
}

/// A pool's administrators distribute from it; so do its users who hold the distribute
/// right.
fn require_may_distribute(actor: &Actor, pool: &Pool) -> Result<()> {
    if pool.is_admin(actor) {
        return Ok(());
    }
    require_pool_right(actor, "distribute")?;
    if pool.admits(actor) {
        Ok(())
    } else {
        Err(no_pool_right())
    }
}

impl Crm {
    /// Receiving from a pool: the caller may use it, stays within its daily quota (counted
    /// under a lock per pool and user), and does not take back, too soon, a customer it
    /// owned before.
    async fn require_may_receive(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        pool: &Pool,
        customers: &[&Vec<Cell>],
    ) -> Result<()> {
        if !pool.admits(actor) {
            return Err(no_pool_right());
        }
        let now = self.clock.now();
        if let Some(days) = pool.pre_owner_days {
            let since = now - chrono::Duration::days(days);
            let too_soon = customers
                .iter()
                .any(|c| c[2].as_i64() == Some(actor.id()) && c[3].as_datetime().is_some_and(|t| t > since));
            if too_soon {
                return Err(Error::business("前负责人在限制时间内不能领取"));
            }
        }
        let Some(quota) = pool.receive_num else {
            return Ok(());
        };
        let n = customers.len() as i64;
        if n > quota {
            return Err(Error::business("领取客户数超过限制"));
        }
        crate::store::serialize_on(tx, &[format!("pool-receipt:{}:{}", pool.id, actor.id())]).await?;
        let today = self.clock.today().to_string();
        let key = int_is("pool_id", pool.id)
            .and(int_is("user_id", actor.id()))
            .and(text_is("day", &today));
        let before = records::sum(&mut *tx, CUSTOMER_POOL_RECEIPT, "num", &key).await?;
        if before + n > quota {
            return Err(Error::business("今日领取次数超过上限"));
        }
        let count = Assign {
            column: "num",
            kind: Kind::Int,
            value: Cell::Int(before + n),
        };
        if records::update_where(
            &mut *tx,
            CUSTOMER_POOL_RECEIPT,
            &key,
            std::slice::from_ref(&count),
        )
        .await?
            == 0
        {
            let receipt = [
                int("pool_id", pool.id),
                int("user_id", actor.id()),
                Assign {
                    column: "day",
                    kind: Kind::Text,
                    value: Cell::Text(today),
                },
                count,
            ];
            records::insert(&mut *tx, CUSTOMER_POOL_RECEIPT, &receipt).await?;
        }
        Ok(())
    }
}
