//! 仪表盘 (the dashboard): what a user or department did in a period — new records and
//! follow-ups, the business funnel — counted with one indexed query per number. Contracts,
//! receivables and targets are not kept by wkcrm: their numbers are 0.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use super::access::{Owners, Right};
use super::columns::wire_type;
use super::error::{Error, Result};
use super::input::{Input, Parse};
use super::module::Module;
use super::modules::{BUSINESS, CONTACTS, CUSTOMER, LEADS, PRODUCT};
use super::records::{ListQuery, Paging, SceneChoice};
use super::rows::{column_in, int_is, rows};
use super::time::keyword_range;
use super::{Actor, Crm, money};
use crate::store::records::{ListSpec, Select, Source};
use crate::store::tables::{BUSINESS_STATUS, FOLLOW_RECORD};
use crate::store::{Cell, Filter, Kind, Op, Order, Target, org, records};

/// Which days: a keyword of the list language (`today`, `week`, `month`, …) or given days.
#[derive(Clone, Debug)]
pub enum Days {
    Keyword(String),
    Given(NaiveDate, NaiveDate),
}

/// Whose work and which period (`userIds`/`deptIds`, `type` or `startTime`/`endTime`).
#[derive(Clone, Debug)]
pub struct Period {
    /// The users named (none: the caller), before the caller's reach applies.
    pub users: Vec<i64>,
    pub depts: Vec<i64>,
    pub days: Days,
}

impl Parse for Period {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = |key: &str| match input.raw(key) {
            Some(_) => input.ids(key, "id不能为空"),
            None => Ok(vec![]),
        };
        let day = |key: &str| -> Result<Option<NaiveDate>> {
            input
                .opt_str(key)?
                .map(|t| {
                    NaiveDate::parse_from_str(t.trim().get(..10).unwrap_or(""), "%Y-%m-%d")
                        .map_err(|_| Error::bad(format!("{key}日期格式错误，例:2020-01-01")))
                })
                .transpose()
        };
        let keyword = input.opt_str("type")?.map(|k| k.trim().to_owned());
        let days = match (keyword, day("startTime")?, day("endTime")?) {
            (None, Some(from), Some(to)) => Days::Given(from, to),
            (Some(k), Some(from), Some(to)) if k == "custom" => Days::Given(from, to),
            (keyword, _, _) => {
                let keyword = keyword.unwrap_or_else(|| "month".into());
                // Any day tells whether the keyword is one (they all resolve on any day).
                let probe = NaiveDate::from_ymd_opt(2000, 6, 15).unwrap_or_default();
                if keyword_range(&keyword, probe).is_none() {
                    return Err(Error::bad(format!("type不符合要求：{keyword}")));
                }
                Days::Keyword(keyword)
            }
        };
        if let Days::Given(from, to) = days
            && (to < from || (to - from).num_days() > MAX_DAYS)
        {
            return Err(Error::bad("时间范围不正确"));
        }
        Ok(Period {
            users: ids("userIds")?,
            depts: ids("deptIds")?.into_iter().chain(ids("deptId")?).collect(),
            days,
        })
    }
}

/// The longest period (ten years).
const MAX_DAYS: i64 = 3660;

/// `queryBulletinInfo`: the records behind one number of the briefing (`label`).
#[derive(Clone, Debug)]
pub struct BulletinInfo {
    pub period: Period,
    pub module: &'static Module,
    pub list: ListQuery,
}

impl Parse for BulletinInfo {
    fn parse(input: Input<'_>) -> Result<Self> {
        let label = input.i64("label", "label不能为空")?;
        let module =
            super::modules::by_label(label).ok_or_else(|| Error::bad(format!("label不符合要求：{label}")))?;
        let mut list = ListQuery::parse(input)?;
        list.scene = SceneChoice::NoScene;
        Ok(BulletinInfo {
            period: Period::parse(input)?,
            module,
            list,
        })
    }
}

/// `queryRecordList`: a page of the follow-ups behind `queryRecordConunt`, of one module
/// (`crmType`, J9's `crm_customer`…).
#[derive(Clone, Debug)]
pub struct FollowUpList {
    pub period: Period,
    pub module: &'static Module,
    pub paging: Paging,
}

impl Parse for FollowUpList {
    fn parse(input: Input<'_>) -> Result<Self> {
        let crm_type = input.opt_str("crmType")?.unwrap_or_default();
        let module = super::modules::ALL
            .iter()
            .copied()
            .find(|m| m.follow_ups && wire_type(m.realm) == crm_type.trim())
            .ok_or_else(|| Error::bad(format!("crmType不符合要求：{crm_type}")))?;
        Ok(FollowUpList {
            period: Period::parse(input)?,
            module,
            paging: Paging::parse(input)?,
        })
    }
}

/// `queryBusiness`: the funnel of one status group (`typeId`; the first group if none).
#[derive(Clone, Debug)]
pub struct FunnelQuery {
    pub period: Period,
    pub group: Option<i64>,
}

impl Parse for FunnelQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FunnelQuery {
            period: Period::parse(input)?,
            group: input.opt_i64("typeId")?,
        })
    }
}

fn time_in(column: &str, from: NaiveDateTime, to: NaiveDateTime) -> Filter {
    let bound = |op, at| Filter::Compare {
        target: Target::Column(column.into()),
        op,
        kind: Kind::DateTime,
        value: Cell::DateTime(at),
    };
    bound(Op::Ge, from).and(bound(Op::Lt, to))
}

impl Crm {
    /// The first and last day of a period (the configured zone's today for keywords).
    fn period_days(&self, period: &Period) -> (NaiveDate, NaiveDate) {
        let today = self.clock.today();
        match &period.days {
            Days::Given(from, to) => (*from, *to),
            Days::Keyword(k) => keyword_range(k, today).unwrap_or((today, today)),
        }
    }

    /// The period's bounds in UTC: from the first day's start to the day after the last.
    fn period_bounds(&self, period: &Period) -> (NaiveDateTime, NaiveDateTime) {
        let start = |d: NaiveDate| {
            self.clock
                .parse_local(&format!("{d} 00:00:00"))
                .unwrap_or_else(|| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        };
        let (from, to) = self.period_days(period);
        (start(from), start(to + Duration::days(1)))
    }

    /// The users a period names (the caller when none), their departments' members added,
    /// kept to those whose `module` records the caller may list; empty without the right.
    async fn period_users(&self, actor: &Actor, period: &Period, module: &Module) -> Result<Vec<i64>> {
        let Ok(owners) = self.authorize(actor, module, Right::Index).await else {
            return Ok(vec![]);
        };
        let mut users = period.users.clone();
        if !period.depts.is_empty() {
            let links = org::user_links(&self.db).await?;
            users.extend(
                links
                    .iter()
                    .filter(|u| u.dept_id.is_some_and(|d| period.depts.contains(&d)))
                    .map(|u| u.user_id),
            );
        }
        if users.is_empty() {
            users.push(actor.id());
        }
        if let Owners::Only(reached) = owners {
            users.retain(|u| reached.contains(u));
        }
        users.sort_unstable();
        users.dedup();
        Ok(users)
    }

    /// The records of `module` created by `users` in the period.
    fn created_in(&self, module: &Module, users: &[i64], bounds: (NaiveDateTime, NaiveDateTime)) -> Filter {
        (module.scope)()
            .and(time_in("create_time", bounds.0, bounds.1))
            .and(column_in("create_user_id", users))
    }

    async fn created_count(&self, actor: &Actor, period: &Period, module: &Module) -> Result<i64> {
        let users = self.period_users(actor, period, module).await?;
        if users.is_empty() {
            return Ok(0);
        }
        let filter = self.created_in(module, &users, self.period_bounds(period));
        Ok(records::count(&self.db, module.table, &filter).await?)
    }

    /// The follow-ups written by the period's users in it, by module label.
    async fn follow_up_counts(&self, actor: &Actor, period: &Period) -> Result<Vec<(i64, i64)>> {
        let users = self.period_users(actor, period, &CUSTOMER).await?;
        if users.is_empty() {
            return Ok(vec![]);
        }
        let (from, to) = self.period_bounds(period);
        let filter = time_in("create_time", from, to).and(column_in("create_user_id", &users));
        Ok(records::count_by(&self.db, FOLLOW_RECORD, "label", &filter).await?)
    }

    /// `Crm/Instrument/queryBulletin` (销售简报).
    pub async fn bulletin(&self, actor: &Actor, period: Period) -> Result<Value> {
        let records: i64 = self
            .follow_up_counts(actor, &period)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        Ok(json!({
            "customerCount": self.created_count(actor, &period, &CUSTOMER).await?,
            "contactsCount": self.created_count(actor, &period, &CONTACTS).await?,
            "businessCount": self.created_count(actor, &period, &BUSINESS).await?,
            "leadsCount": self.created_count(actor, &period, &LEADS).await?,
            "productCount": self.created_count(actor, &period, &PRODUCT).await?,
            "recordCount": records,
            "contractCount": 0, "receivablesCount": 0, "recordStatusCount": 0,
        }))
    }

    /// `Crm/Instrument/queryBulletinInfo`: the records behind a briefing number.
    pub async fn bulletin_info(&self, actor: &Actor, info: BulletinInfo) -> Result<Value> {
        let users = self.period_users(actor, &info.period, info.module).await?;
        let scope = self.created_in(info.module, &users, self.period_bounds(&info.period));
        self.record_page_within(info.module, actor, info.list, scope)
            .await
    }

    /// `Crm/Instrument/queryRecordConunt`: follow-ups per module (`crmType`).
    pub async fn follow_up_statistics(&self, actor: &Actor, period: Period) -> Result<Value> {
        let counts = self.follow_up_counts(actor, &period).await?;
        let mut list: Vec<Value> = [&LEADS, &CUSTOMER, &CONTACTS, &BUSINESS]
            .into_iter()
            .map(|m| {
                let count = counts.iter().find(|(l, _)| *l == m.label).map_or(0, |(_, n)| *n);
                json!({"crmType": wire_type(m.realm), "count": count})
            })
            .collect();
        list.push(json!({"crmType": wire_type("contract"), "count": 0}));
        Ok(Value::Array(list))
    }

    /// `Crm/Instrument/queryRecordList`: `{totalRow, list}` of follow-up views, newest first.
    pub async fn follow_up_page(&self, actor: &Actor, query: FollowUpList) -> Result<Value> {
        let users = self.period_users(actor, &query.period, query.module).await?;
        let (from, to) = self.period_bounds(&query.period);
        let filter = time_in("create_time", from, to)
            .and(column_in("create_user_id", &users))
            .and(int_is("label", query.module.label));
        let columns = [Select {
            source: Source::Own("record_id"),
            kind: Kind::Int,
        }];
        let spec = ListSpec {
            table: FOLLOW_RECORD,
            joins: &[],
            columns: &columns,
            filter: &filter,
            order: &[(Target::Column("record_id".into()), Kind::Int, Order::Desc)],
            limit: query.paging.limit,
            offset: query.paging.offset(),
        };
        let ids: Vec<i64> = records::list(&self.db, &spec)
            .await?
            .iter()
            .filter_map(|r| r[0].as_i64())
            .collect();
        let total = records::count(&self.db, FOLLOW_RECORD, &filter).await?;
        Ok(json!({"totalRow": total, "list": self.follow_up_views(&ids).await?}))
    }

    /// `Crm/Instrument/sellMonth` (销售趋势): contract and receivable money per month or day,
    /// all 0 (wkcrm has no contracts).
    pub fn sales_trend(&self, period: Period) -> Value {
        let (from, to) = self.period_days(&period);
        // A period longer than two months goes by month, as J9's years and quarters do.
        let by_month = (to - from).num_days() > 62;
        let mut list = Vec::new();
        let mut day = from;
        while day <= to {
            let (label, next) = if by_month {
                let next = day + Duration::days(1);
                (day.format("%Y%m").to_string(), next)
            } else {
                (day.format("%Y%m%d").to_string(), day + Duration::days(1))
            };
            if list.last().and_then(|v: &Value| v["type"].as_str()) != Some(label.as_str()) {
                list.push(json!({"type": label, "contractMoneys": 0, "receivablesMoneys": 0}));
            }
            day = next;
        }
        json!({"list": list, "totlaContractMoney": 0, "totlaReceivablesMoney": 0})
    }

    /// `Crm/Instrument/queryPerformance` (业绩指标): no contracts, receivables or targets.
    pub fn performance(&self) -> Value {
        json!({"contractMoneys": 0, "receivablesMoneys": 0, "achievementMoneys": 0, "proportion": 0})
    }

    /// `Crm/Instrument/queryBusiness` (销售漏斗): the open business of one status group
    /// owned by the period's users and created in it, per stage (count and money), and the
    /// money of the won and lost ones.
    pub async fn funnel(&self, actor: &Actor, query: FunnelQuery) -> Result<Value> {
        let users = self.period_users(actor, &query.period, &BUSINESS).await?;
        let stages = rows(
            &self.db,
            BUSINESS_STATUS,
            &[
                ("status_id", Kind::Int),
                ("type_id", Kind::Int),
                ("name", Kind::Text),
                ("order_num", Kind::Int),
            ],
            &query.group.map_or(Filter::True, |g| int_is("type_id", g)),
        )
        .await?;
        let group = query
            .group
            .or_else(|| stages.iter().filter_map(|s| s[1].as_i64()).min());
        let (from, to) = self.period_bounds(&query.period);
        let base = (BUSINESS.scope)()
            .and(time_in("create_time", from, to))
            .and(Filter::OwnedBy(users))
            .and(group.map_or(Filter::True, |g| int_is("type_id", g)));
        let table = BUSINESS.table;
        let open = base.clone().and(int_is("is_end", 0));
        let counts = records::count_by(&self.db, table, "status_id", &open).await?;
        let mut list = Vec::new();
        for stage in stages.iter().filter(|s| s[1].as_i64() == group) {
            let id = stage[0].as_i64().unwrap_or_default();
            let at_stage = open.clone().and(int_is("status_id", id));
            list.push(json!({
                "statusId": id, "name": stage[2].as_str(), "orderNum": stage[3].as_i64(), "typeId": group,
                "count": counts.iter().find(|(s, _)| *s == id).map_or(0, |(_, n)| *n),
                "money": money::render(records::sum(&self.db, table, "money", &at_stage).await?),
            }));
        }
        let won = base.clone().and(int_is("is_end", 1));
        let lost = base.and(int_is("is_end", 2));
        Ok(json!({
            "list": list,
            "sumMoney": money::render(records::sum(&self.db, table, "money", &open).await?),
            "sumYing": money::render(records::sum(&self.db, table, "money", &won).await?),
            "sumShu": money::render(records::sum(&self.db, table, "money", &lost).await?),
        }))
    }
}
