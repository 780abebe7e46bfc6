//! The customer protection rules (客户保护规则) and automatic recycling: when enabled, a
//! customer that is neither locked nor dealt goes back to the pool once it has had no
//! follow-up for `followupDay` days, or has not been dealt `dealDay` days after it was
//! created or received. A pass works in batches, each in one transaction under one lock
//! shared by every instance, and re-reads what is due inside it: two instances passing at
//! once recycle each customer once, and a pass cut short is finished by the next one.
//! `poolDay` in customer rows tells the days left.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::{Map, Value};

use super::CUSTOMER;
use super::deal::int;
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse, Unparsed};
use crate::crm::rows::{column_in, int_is, owners};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign, ListSpec, OWNER_COLUMN, Select, Source};
use crate::store::{Cell, Filter, Kind, Op, Order, Target, Tx, team};

const ENABLED: &str = "customerPoolSetting";
const FOLLOWUP_DAYS: &str = "customerPoolSettingFollowupDays";
const DEAL_DAYS: &str = "customerPoolSettingDealDays";
const REMIND: &str = "putInPoolRemindConfig";
const REMIND_DAYS: &str = "putInPoolRemindDays";
const NAMES: [&str; 5] = [ENABLED, FOLLOWUP_DAYS, DEAL_DAYS, REMIND, REMIND_DAYS];
/// The most days a rule may count, and the customers one recycling transaction takes.
const MAX_DAYS: i64 = 3650;
const BATCH: u64 = 1000;

/// The rules: J9's defaults are off, 7 days without follow-up, 3 days undealt, and a
/// reminder 3 days before (off).
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

/// How many customers a pass returned to the pool, by rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Recycled {
    pub no_followup: u64,
    pub not_dealt: u64,
}

fn before(column: &str, at: NaiveDateTime) -> Filter {
    Filter::Compare {
        target: Target::Column(column.into()),
        op: Op::Lt,
        kind: Kind::DateTime,
        value: Cell::DateTime(at),
    }
}

fn null_or_before(column: &str, at: NaiveDateTime) -> Filter {
    Filter::Any(vec![
        Filter::IsNull(Target::Column(column.into())),
        before(column, at),
    ])
}

/// Owned customers the rules apply to: not locked, not dealt.
fn protected_scope() -> Filter {
    Filter::Not(Box::new(Filter::Unowned))
        .and(Filter::Not(Box::new(int_is("is_lock", 1))))
        .and(Filter::Not(Box::new(int_is("deal_status", 1))))
}

/// Customers with no follow-up, receipt or creation since `cutoff`.
fn no_followup_since(cutoff: NaiveDateTime) -> Filter {
    null_or_before("last_time", cutoff)
        .and(null_or_before("receive_time", cutoff))
        .and(before("create_time", cutoff))
}

/// Customers created or received before `cutoff` (and, in scope, not dealt).
fn undealt_since(cutoff: NaiveDateTime) -> Filter {
    null_or_before("receive_time", cutoff).and(before("create_time", cutoff))
}

fn later(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    a.max(b)
}

fn time_of(row: &Map<String, Value>, key: &str, crm: &Crm) -> Option<NaiveDateTime> {
    let text = row.get(key)?.as_str()?;
    crm.clock.parse_local(text)
}

impl Crm {
    /// The rules as stored (J9's defaults where unset).
    pub async fn pool_rules(&self) -> Result<PoolRules> {
        let set = self.settings(&self.db, &NAMES).await?;
        let number = |name: &str, default: i64| set.get(name).and_then(|v| v.parse().ok()).unwrap_or(default);
        Ok(PoolRules {
            enabled: number(ENABLED, 0) == 1,
            followup_days: number(FOLLOWUP_DAYS, 7),
            deal_days: number(DEAL_DAYS, 3),
            remind: number(REMIND, 0) == 1,
            remind_days: number(REMIND_DAYS, 3),
        })
    }

    /// `getRulesSetting`.
    pub async fn rules_setting(&self) -> Result<RulesView> {
        let r = self.pool_rules().await?;
        Ok(RulesView {
            deal_day: r.deal_days.to_string(),
            followup_day: r.followup_days.to_string(),
            customer_config: i64::from(r.enabled),
            contract_config: 0,
            contract_day: "3".into(),
            put_in_pool_remind_config: i64::from(r.remind),
            put_in_pool_remind_days: r.remind_days.to_string(),
        })
    }

    /// `updateRulesSetting`: the administrator's.
    pub async fn update_rules(&self, actor: &Actor, request: Unparsed<'_, PoolRules>) -> Result<()> {
        actor.require_admin()?;
        let r = request.parse()?;
        let mut tx = self.db.begin().await?;
        let values = [
            (ENABLED, i64::from(r.enabled).to_string()),
            (FOLLOWUP_DAYS, r.followup_days.to_string()),
            (DEAL_DAYS, r.deal_days.to_string()),
            (REMIND, i64::from(r.remind).to_string()),
            (REMIND_DAYS, r.remind_days.to_string()),
        ];
        self.set_settings(&mut tx, &values).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `poolDay` on rendered customers: the whole days left before the rules return each
    /// to the pool, as of `now`; null when the rules are off or do not apply (no owner,
    /// locked, dealt).
    pub(crate) async fn show_pool_days(&self, rows: &mut [Map<String, Value>]) -> Result<()> {
        let rules = self.pool_rules().await?;
        let now = self.clock.now();
        for row in rows.iter_mut() {
            let applies = rules.enabled
                && row.get("ownerUserId").is_some_and(Value::is_i64)
                && row.get("isLock").and_then(Value::as_i64) != Some(1)
                && row.get("dealStatus").and_then(Value::as_i64) != Some(1);
            let days = applies.then(|| {
                let received = later(
                    time_of(row, "receiveTime", self),
                    time_of(row, "createTime", self),
                );
                let followed = later(time_of(row, "lastTime", self), received);
                let left = |since: Option<NaiveDateTime>, limit: i64| {
                    since.map_or(0, |t| limit - (now - t).num_days())
                };
                left(followed, rules.followup_days)
                    .min(left(received, rules.deal_days))
                    .max(0)
            });
            row.insert("poolDay".into(), days.map_or(Value::Null, Value::from));
        }
        Ok(())
    }

    /// One recycling pass as of `now` (the scheduler passes the clock's time; tests pass
    /// their own). Answers how many customers went back, by rule.
    pub async fn recycle(&self, now: NaiveDateTime) -> Result<Recycled> {
        let rules = self.pool_rules().await?;
        let mut done = Recycled::default();
        if !rules.enabled {
            return Ok(done);
        }
        let rules_in_order = [
            (
                no_followup_since(now - Duration::days(rules.followup_days)),
                format!("超过{}天无新建跟进记录自动进入公海", rules.followup_days),
            ),
            (
                undealt_since(now - Duration::days(rules.deal_days)),
                format!("超过{}天未成交自动进入公海", rules.deal_days),
            ),
        ];
        for (i, (due, sentence)) in rules_in_order.iter().enumerate() {
            // Batches go up the ids, so a pass reads each customer once.
            let mut after = 0;
            while let Some((n, last)) = self.recycle_batch(due, sentence, now, after).await? {
                if i == 0 {
                    done.no_followup += n;
                } else {
                    done.not_dealt += n;
                }
                after = last;
            }
        }
        Ok(done)
    }

    /// Returns up to one batch of the due customers above id `after` to the pool, in one
    /// transaction under the recycling lock; answers how many went and the last id looked
    /// at, or `None` when none is left.
    async fn recycle_batch(
        &self,
        due: &Filter,
        sentence: &str,
        now: NaiveDateTime,
        after: i64,
    ) -> Result<Option<(u64, i64)>> {
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-recycling".to_owned()]).await?;
        let above = Filter::Compare {
            target: Target::Column("customer_id".into()),
            op: Op::Gt,
            kind: Kind::Int,
            value: Cell::Int(after),
        };
        let filter = protected_scope().and(due.clone()).and(above);
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
        let ids = records::matching_ids(
            &mut tx,
            CUSTOMER.table,
            &found,
            &protected_scope().and(due.clone()),
        )
        .await?;
        self.return_to_pool(&mut tx, &ids, now).await?;
        self.log(&mut tx, &Actor::system(), &CUSTOMER, &ids, &[sentence.to_owned()])
            .await?;
        tx.commit().await?;
        Ok(Some((ids.len() as u64, last)))
    }

    /// The pool's effects on customers: no owner (the previous one kept, with the time),
    /// no team, and their contacts without owner too. A few statements per batch.
    pub(super) async fn return_to_pool(&self, tx: &mut Tx, ids: &[i64], now: NaiveDateTime) -> Result<()> {
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
