//! Automatic recycling (客户保护规则): each enabled pool whose rules recycle (`putInRule`)
//! takes back the customers of its members that are not locked and that one of its rules
//! finds due — no follow-up, no new business, or not dealt for the rule's days, for one
//! customer level or all, with dealt customers or customers with business exempt as the
//! rule says. A pass works in batches, each in one transaction under one lock shared by
//! every instance, and re-reads what is due inside it: two instances passing at once
//! recycle each customer once, and a pass cut short is finished by the next one.
//! `poolDay` in customer rows tells the days left. J9's `getRulesSetting` and
//! `updateRulesSetting` read and write the default pool's rules.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::{Map, Value};

use super::CUSTOMER;
use super::deal::int;
use super::pools::{MAX_DAYS, Pool, PoolRule, RuleKind, write_rules};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse, Unparsed};
use crate::crm::modules::business::BUSINESS_TABLE;
use crate::crm::rows::{column_in, int_is, owners};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign, ListSpec, OWNER_COLUMN, Select, Source};
use crate::store::tables::CUSTOMER_POOL;
use crate::store::{Cell, Filter, Kind, Op, Order, Target, Tx, team};

/// The customers one recycling transaction takes.
const BATCH: u64 = 1000;
/// The custom field a rule's customer level is read from.
const LEVEL_FIELD: &str = "客户级别";

/// J9's rules (`updateRulesSetting`): on or off, days without follow-up, days undealt,
/// and a reminder some days before. They are the default pool's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolRules {
    pub enabled: bool,
    pub followup_days: i64,
    pub deal_days: i64,
    pub remind: bool,
    pub remind_days: i64,
}

impl Parse for PoolRules {
    fn parse(input: Input<'_>) -> Result<Self> {
        let days = |key: &str, missing: &str| -> Result<i64> {
            let n = input.i64(key, missing)?;
            if !(1..=MAX_DAYS).contains(&n) {
                return Err(Error::bad(format!("{key}应为1到{MAX_DAYS}之间的天数")));
            }
            Ok(n)
        };
        let enabled = input.i64("type", "启用状态不能为空")? == 1;
        let remind = input
            .opt_i64("putInPoolRemindConfig")?
            .or(input.opt_i64("remindConfig")?)
            == Some(1);
        let remind_days = match input.first_i64(&["putInPoolRemindDays", "remindDay"])? {
            Some(n) if (1..=MAX_DAYS).contains(&n) => n,
            Some(_) => {
                return Err(Error::bad(format!(
                    "putInPoolRemindDays应为1到{MAX_DAYS}之间的天数"
                )));
            }
            None => 3,
        };
        Ok(PoolRules {
            enabled,
            followup_days: days("followupDay", "跟进天数不能为空")?,
            deal_days: days("dealDay", "成交天数不能为空")?,
            remind,
            remind_days,
        })
    }
}

/// `getRulesSetting` as the J9 client reads it (days as text, J9 keeps them so).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesView {
    deal_day: String,
    followup_day: String,
    customer_config: i64,
    contract_config: i64,
    contract_day: String,
    put_in_pool_remind_config: i64,
    put_in_pool_remind_days: String,
}

/// How many customers a pass returned to the pools, by kind of rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Recycled {
    pub no_followup: u64,
    pub no_business: u64,
    pub not_dealt: u64,
}

impl Recycled {
    fn add(&mut self, kind: RuleKind, n: u64) {
        match kind {
            RuleKind::NoFollowUp => self.no_followup += n,
            RuleKind::NoBusiness => self.no_business += n,
            RuleKind::NotDealt => self.not_dealt += n,
        }
    }

    pub fn total(&self) -> u64 {
        self.no_followup + self.no_business + self.not_dealt
    }
}

fn compare(column: &str, op: Op, at: NaiveDateTime) -> Filter {
    Filter::Compare {
        target: Target::Column(column.into()),
        op,
        kind: Kind::DateTime,
        value: Cell::DateTime(at),
    }
}

fn null_or_before(column: &str, at: NaiveDateTime) -> Filter {
    Filter::Any(vec![
        Filter::IsNull(Target::Column(column.into())),
        compare(column, Op::Lt, at),
    ])
}

fn not(filter: Filter) -> Filter {
    Filter::Not(Box::new(filter))
}

/// Customers with business matching `filter`.
fn with_business(filter: Filter) -> Filter {
    Filter::Referenced {
        table: BUSINESS_TABLE,
        column: "customer_id",
        filter: Box::new(filter),
    }
}

/// Customers created, and received if ever, before `cutoff`.
fn received_before(cutoff: NaiveDateTime) -> Filter {
    null_or_before("receive_time", cutoff).and(compare("create_time", Op::Lt, cutoff))
}

/// The customers a rule finds due as of `now`, among all customers.
fn due(rule: &PoolRule, now: NaiveDateTime) -> Filter {
    let cutoff = now - Duration::days(rule.days);
    let mut filter = not(Filter::Unowned).and(not(int_is("is_lock", 1)));
    if rule.deal_exempt || rule.kind == RuleKind::NotDealt {
        filter = filter.and(not(int_is("deal_status", 1)));
    }
    if rule.business_exempt {
        filter = filter.and(not(with_business(Filter::True)));
    }
    if let Some(level) = &rule.level {
        filter = filter.and(Filter::Compare {
            target: Target::Custom(LEVEL_FIELD.into()),
            op: Op::Eq,
            kind: Kind::Text,
            value: Cell::Text(level.clone()),
        });
    }
    filter.and(match rule.kind {
        RuleKind::NoFollowUp => null_or_before("last_time", cutoff).and(received_before(cutoff)),
        RuleKind::NoBusiness => {
            received_before(cutoff).and(not(with_business(compare("create_time", Op::Ge, cutoff))))
        }
        RuleKind::NotDealt => received_before(cutoff),
    })
}

/// The customers of a pool's members (every owned customer for a pool open to all).
fn in_scope(owners: &Option<HashSet<i64>>) -> Filter {
    match owners {
        None => Filter::True,
        Some(users) => Filter::OwnedBy(users.iter().copied().collect()),
    }
}

fn time_of(row: &Map<String, Value>, key: &str, crm: &Crm) -> Option<NaiveDateTime> {
    let text = row.get(key)?.as_str()?;
    crm.clock.parse_local(text)
}

/// A recycling pool with the owners its rules reach.
struct Reach {
    pool: Pool,
    owners: Option<HashSet<i64>>,
}

impl Reach {
    fn covers(&self, owner: i64) -> bool {
        self.owners.as_ref().is_none_or(|o| o.contains(&owner))
    }
}

/// What `poolDay` reads of one customer row.
struct Standing {
    received: Option<NaiveDateTime>,
    followed: Option<NaiveDateTime>,
    last_business: Option<NaiveDateTime>,
    dealt: bool,
    has_business: bool,
    level: Option<String>,
}

impl Standing {
    /// The whole days left before `rule` drops the customer; none when it never does.
    fn days_left(&self, rule: &PoolRule, now: NaiveDateTime) -> Option<i64> {
        let exempt = (self.dealt && (rule.deal_exempt || rule.kind == RuleKind::NotDealt))
            || (self.has_business && rule.business_exempt)
            || rule
                .level
                .as_ref()
                .is_some_and(|l| self.level.as_ref() != Some(l));
        if exempt {
            return None;
        }
        let since = match rule.kind {
            RuleKind::NoFollowUp => self.followed.max(self.received),
            RuleKind::NoBusiness => self.last_business.max(self.received),
            RuleKind::NotDealt => self.received,
        };
        Some(since.map_or(0, |t| rule.days - (now - t).num_days()))
    }
}

impl Crm {
    /// The enabled pools whose rules recycle, with the owners they reach.
    async fn recycling_pools(&self) -> Result<Vec<Reach>> {
        let mut reach = Vec::new();
        for pool in self.pools(&self.db, true).await? {
            if pool.put_in && !pool.rules.is_empty() {
                let owners = pool.owners_in_scope(&self.db).await?;
                reach.push(Reach { pool, owners });
            }
        }
        Ok(reach)
    }

    /// `getRulesSetting`: the default pool's rules as the J9 client reads them.
    pub async fn rules_setting(&self) -> Result<RulesView> {
        let pool = self.default_pool(&self.db).await?;
        let days = |kind: RuleKind, default: i64| {
            pool.rules
                .iter()
                .find(|r| r.kind == kind && r.level.is_none())
                .map_or(default, |r| r.days)
                .to_string()
        };
        Ok(RulesView {
            deal_day: days(RuleKind::NotDealt, 3),
            followup_day: days(RuleKind::NoFollowUp, 7),
            customer_config: i64::from(pool.put_in),
            contract_config: 0,
            contract_day: "3".into(),
            put_in_pool_remind_config: i64::from(pool.remind_days.is_some()),
            put_in_pool_remind_days: pool.remind_days.unwrap_or(3).to_string(),
        })
    }

    /// `updateRulesSetting`: the administrator's; J9's two rules become the default
    /// pool's rules (for every level, dealt customers exempt).
    pub async fn update_rules(&self, actor: &Actor, request: Unparsed<'_, PoolRules>) -> Result<()> {
        actor.require_admin()?;
        let r = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-pools".to_owned()]).await?;
        let pool = self.default_pool(&mut tx).await?;
        let assigns = [
            int("put_in_rule", i64::from(r.enabled)),
            Assign {
                column: "remind_day",
                kind: Kind::Int,
                value: if r.remind {
                    Cell::Int(r.remind_days)
                } else {
                    Cell::Null
                },
            },
        ];
        records::update(&mut tx, CUSTOMER_POOL, &[pool.id], &assigns).await?;
        let rule = |kind, days| PoolRule {
            kind,
            deal_exempt: true,
            business_exempt: false,
            level: None,
            days,
        };
        let rules = [
            rule(RuleKind::NoFollowUp, r.followup_days),
            rule(RuleKind::NotDealt, r.deal_days),
        ];
        write_rules(&mut tx, pool.id, &rules).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `poolDay` on rendered customers: the whole days left before a pool's rules return
    /// each to a pool, as of now; null when none applies (no owner, locked, exempt, or
    /// no recycling pool reaches its owner).
    pub(crate) async fn show_pool_days(&self, rows: &mut [Map<String, Value>]) -> Result<()> {
        let reach = self.recycling_pools().await?;
        let now = self.clock.now();
        let latest = self.latest_business(rows, &reach).await?;
        for row in rows.iter_mut() {
            let owner = row.get("ownerUserId").and_then(Value::as_i64);
            let id = row.get("customerId").and_then(Value::as_i64).unwrap_or_default();
            let locked = row.get("isLock").and_then(Value::as_i64) == Some(1);
            let standing = Standing {
                received: time_of(row, "receiveTime", self).max(time_of(row, "createTime", self)),
                followed: time_of(row, "lastTime", self),
                last_business: latest.get(&id).copied(),
                dealt: row.get("dealStatus").and_then(Value::as_i64) == Some(1),
                has_business: row.get("businessCount").and_then(Value::as_i64).unwrap_or(0) > 0,
                level: row.get(LEVEL_FIELD).and_then(Value::as_str).map(str::to_owned),
            };
            let days = owner
                .filter(|_| !locked)
                .and_then(|owner| {
                    reach
                        .iter()
                        .filter(|r| r.covers(owner))
                        .flat_map(|r| &r.pool.rules)
                        .filter_map(|rule| standing.days_left(rule, now))
                        .min()
                })
                .map(|d| d.max(0));
            row.insert("poolDay".into(), days.map_or(Value::Null, Value::from));
        }
        Ok(())
    }

    /// The latest business of each customer on the page, when a rule counts business.
    async fn latest_business(
        &self,
        rows: &[Map<String, Value>],
        reach: &[Reach],
    ) -> Result<HashMap<i64, NaiveDateTime>> {
        let counts_business = reach
            .iter()
            .flat_map(|r| &r.pool.rules)
            .any(|r| r.kind == RuleKind::NoBusiness);
        if !counts_business {
            return Ok(HashMap::new());
        }
        let ids = crate::crm::extras::record_ids(&CUSTOMER, rows);
        Ok(records::latest_by(
            &self.db,
            BUSINESS_TABLE,
            "customer_id",
            "create_time",
            &column_in("customer_id", &ids),
        )
        .await?
        .into_iter()
        .collect())
    }

    /// The customers in the caller's reach that a pool with a reminder will take back
    /// within its reminder days (待进入公海提醒), as a filter.
    pub(crate) async fn about_to_recycle(&self) -> Result<Filter> {
        let now = self.clock.now();
        let soon: Vec<Filter> = self
            .recycling_pools()
            .await?
            .iter()
            .filter_map(|r| {
                let days = r.pool.remind_days?;
                let due = r
                    .pool
                    .rules
                    .iter()
                    .map(|rule| due(rule, now + Duration::days(days)));
                Some(in_scope(&r.owners).and(Filter::Any(due.collect())))
            })
            .collect();
        Ok(Filter::Any(soon))
    }

    /// One recycling pass as of `now` (the scheduler passes the clock's time; tests pass
    /// their own). Answers how many customers went back, by kind of rule.
    pub async fn recycle(&self, now: NaiveDateTime) -> Result<Recycled> {
        let mut done = Recycled::default();
        for reach in self.recycling_pools().await? {
            for rule in &reach.pool.rules {
                let filter = in_scope(&reach.owners).and(due(rule, now));
                let sentence = rule.kind.sentence(rule.days);
                // Batches go up the ids, so a pass reads each customer once.
                let mut after = 0;
                while let Some((n, last)) = self
                    .recycle_batch(&filter, reach.pool.id, &sentence, now, after)
                    .await?
                {
                    done.add(rule.kind, n);
                    after = last;
                }
            }
        }
        Ok(done)
    }

    /// Returns up to one batch of the due customers above id `after` to `pool`, in one
    /// transaction under the recycling lock; answers how many went and the last id looked
    /// at, or `None` when none is left.
    async fn recycle_batch(
        &self,
        due: &Filter,
        pool: i64,
        sentence: &str,
        now: NaiveDateTime,
        after: i64,
    ) -> Result<Option<(u64, i64)>> {
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-recycling".to_owned()]).await?;
        // The pool stays while this batch goes in (a pool stopped or deleted meanwhile
        // ends the pass; the next one skips it).
        self.target_pool(&mut tx, Some(pool)).await?;
        let above = Filter::Compare {
            target: Target::Column("customer_id".into()),
            op: Op::Gt,
            kind: Kind::Int,
            value: Cell::Int(after),
        };
        let filter = due.clone().and(above);
        let columns = [Select {
            source: Source::Own("customer_id"),
            kind: Kind::Int,
        }];
        let spec = ListSpec {
            table: CUSTOMER.table,
            joins: &[],
            columns: &columns,
            filter: &filter,
            order: &[(Target::Column("customer_id".into()), Kind::Int, Order::Asc)],
            limit: BATCH,
            offset: 0,
        };
        let found: Vec<i64> = records::list(&mut tx, &spec)
            .await?
            .iter()
            .filter_map(|r| r[0].as_i64())
            .collect();
        let Some(&last) = found.last() else {
            return Ok(None);
        };
        // Locked, then read again: another pass or a user may have moved one meanwhile.
        records::lock_existing(&mut tx, CUSTOMER.table, &found).await?;
        let ids = records::matching_ids(&mut tx, CUSTOMER.table, &found, due).await?;
        self.return_to_pool(&mut tx, &ids, pool, now).await?;
        self.log(&mut tx, &Actor::system(), &CUSTOMER, &ids, &[sentence.to_owned()])
            .await?;
        tx.commit().await?;
        Ok(Some((ids.len() as u64, last)))
    }

    /// The pool's effects on customers: in `pool`, no owner (the previous one kept, with the time),
    /// no team, and their contacts without owner too. A few statements per batch.
    pub(super) async fn return_to_pool(
        &self,
        tx: &mut Tx,
        ids: &[i64],
        pool: i64,
        now: NaiveDateTime,
    ) -> Result<()> {
        let mut by_owner: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for (id, owner) in owners(&mut *tx, &CUSTOMER, &column_in(CUSTOMER.id_column(), ids)).await? {
            if let Some(owner) = owner {
                by_owner.entry(owner).or_default().push(id);
            }
        }
        let time = |column| Assign {
            column,
            kind: Kind::DateTime,
            value: Cell::DateTime(now),
        };
        let null = |column| Assign {
            column,
            kind: Kind::Int,
            value: Cell::Null,
        };
        for (owner, customers) in &by_owner {
            let assigns = [
                null(OWNER_COLUMN),
                int("pre_owner_user_id", *owner),
                time("pool_time"),
                int("pool_id", pool),
                null("is_receive"),
                time("update_time"),
            ];
            records::update(&mut *tx, CUSTOMER.table, customers, &assigns).await?;
        }
        let moved: Vec<i64> = by_owner.into_values().flatten().collect();
        team::delete_for_records(&mut *tx, CUSTOMER.label, &moved).await?;
        self.give_contacts(tx, &moved, None).await
    }
}
