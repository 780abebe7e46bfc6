//! 待办事项 (the to-do page): customers to contact today or overdue, and leads and customers
//! handed to their owner but not followed up yet; each a list within the caller's reach,
//! of the caller's own records (`isSub` 1) or their subordinates' (`isSub` 2).

use chrono::{Duration, NaiveDateTime};
use serde_json::{Map, Value, json};

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, Parse};
use super::module::Module;
use super::modules::{CUSTOMER, LEADS};
use super::records::{ListQuery, SceneChoice};
use super::rows::{int_is, record_ids};
use super::{Actor, Crm};
use crate::store::{Cell, Filter, Kind, Op, Target, records};

/// Which of a to-do list's tabs (`type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// 今日需联系: the next contact time is today and nobody followed up today.
    Today,
    /// 已逾期: the next contact time has passed and nobody followed up since.
    Overdue,
    /// 已联系: the next contact time is today and someone followed up today.
    Contacted,
    /// 待跟进: not followed up since it was handed to its owner.
    NotFollowed,
    /// 已跟进.
    Followed,
}

/// A to-do list request: its tab, whose records (`isSub`), and the list parameters.
#[derive(Clone, Debug)]
pub struct BacklogQuery {
    pub tab: i64,
    pub subordinates: bool,
    pub list: ListQuery,
}

impl Parse for BacklogQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let tab = input.opt_i64("type")?.unwrap_or(1);
        let subordinates = match input.opt_i64("isSub")?.unwrap_or(1) {
            1 => false,
            2 => true,
            _ => return Err(Error::bad("isSub参数不正确")),
        };
        let mut list = ListQuery::parse(input)?;
        // The to-do tabs are their own filters: the caller's default scene does not apply.
        list.scene = SceneChoice::NoScene;
        Ok(BacklogQuery {
            tab,
            subordinates,
            list,
        })
    }
}

/// `setLeadsFollowup` / `setCustomerFollowup`: the records (`ids`) to mark as followed up.
#[derive(Clone, Debug)]
pub struct FollowupMark(pub Vec<i64>);

impl Parse for FollowupMark {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FollowupMark(input.ids("ids", "请选择要标记的数据")?))
    }
}

fn time_is(column: &str, op: Op, at: NaiveDateTime) -> Filter {
    Filter::Compare {
        target: Target::Column(column.into()),
        op,
        kind: Kind::DateTime,
        value: Cell::DateTime(at),
    }
}

fn null_or(column: &str, then: Filter) -> Filter {
    Filter::Any(vec![Filter::IsNull(Target::Column(column.into())), then])
}

/// Not followed up since being handed over: `followup` 0 (or never set).
fn not_followed() -> Filter {
    null_or("followup", int_is("followup", 0))
}

impl Crm {
    /// The start of today and of tomorrow (the configured zone), in UTC.
    fn today_bounds(&self) -> (NaiveDateTime, NaiveDateTime) {
        let today = self.clock.today();
        let start = self
            .clock
            .parse_local(&format!("{today} 00:00:00"))
            .unwrap_or_else(|| self.clock.now());
        (start, start + Duration::days(1))
    }

    /// The condition of a tab.
    fn tab_filter(&self, module: &Module, tab: Tab) -> Filter {
        let (today, tomorrow) = self.today_bounds();
        let due_today = time_is("next_time", Op::Ge, today).and(time_is("next_time", Op::Lt, tomorrow));
        let mut filter = match tab {
            Tab::Today => due_today.and(null_or("last_time", time_is("last_time", Op::Lt, today))),
            Tab::Overdue => time_is("next_time", Op::Lt, today).and(null_or(
                "last_time",
                Filter::ColumnsCompare {
                    left: "last_time".into(),
                    op: Op::Lt,
                    right: "next_time".into(),
                },
            )),
            Tab::Contacted => due_today.and(time_is("last_time", Op::Ge, today)),
            Tab::NotFollowed => not_followed(),
            Tab::Followed => int_is("followup", 1),
        };
        if module.field("is_transform").is_some() {
            filter = filter.and(int_is("is_transform", 0));
        }
        filter
    }

    /// The owners a to-do list shows: the caller, or the caller's subordinates.
    async fn backlog_owners(&self, actor: &Actor, subordinates: bool) -> Result<Vec<i64>> {
        if subordinates {
            self.subordinates(actor).await
        } else {
            Ok(vec![actor.id()])
        }
    }

    async fn backlog_page(
        &self,
        actor: &Actor,
        module: &'static Module,
        tab: Tab,
        query: BacklogQuery,
    ) -> Result<Value> {
        let owners = self.backlog_owners(actor, query.subordinates).await?;
        let scope = (module.scope)()
            .and(self.tab_filter(module, tab))
            .and(Filter::OwnedBy(owners));
        self.record_page_within(module, actor, query.list, scope).await
    }

    /// `CrmBackLog/todayCustomer`: `type` 1 今日需联系, 2 已逾期, 3 已联系.
    pub async fn today_customers(&self, actor: &Actor, mut query: BacklogQuery) -> Result<Value> {
        let tab = match query.tab {
            1 => Tab::Today,
            2 => Tab::Overdue,
            3 => Tab::Contacted,
            _ => return Err(Error::bad("type类型不正确")),
        };
        if query.list.sort_field.is_none() {
            // By next contact, latest first, unless the client sorts: the tabs are about
            // it, and the owner's index by next contact then gives the page without reading
            // the owner's other customers (by update time, a tab with few of them due read
            // all 100,000 of an owner's at a million customers).
            query.list.sort_field = Some("nextTime".into());
            query.list.ascending = false;
        }
        self.backlog_page(actor, &CUSTOMER, tab, query).await
    }

    /// `CrmBackLog/followLeads` and `followCustomer`: `type` 1 待跟进, 2 已跟进.
    pub async fn records_to_follow(
        &self,
        actor: &Actor,
        module: &'static Module,
        query: BacklogQuery,
    ) -> Result<Value> {
        let tab = match query.tab {
            1 => Tab::NotFollowed,
            2 => Tab::Followed,
            _ => return Err(Error::bad("type类型不正确")),
        };
        self.backlog_page(actor, module, tab, query).await
    }

    /// `CrmBackLog/putInPoolRemind` (待进入公海提醒): the customers that a pool with a
    /// reminder will take back within its reminder days.
    pub async fn pool_reminders(&self, actor: &Actor, query: BacklogQuery) -> Result<Value> {
        let owners = self.backlog_owners(actor, query.subordinates).await?;
        let scope = (CUSTOMER.scope)()
            .and(self.about_to_recycle().await?)
            .and(Filter::OwnedBy(owners));
        self.record_page_within(&CUSTOMER, actor, query.list, scope).await
    }

    /// `setLeadsFollowup` / `setCustomerFollowup`: marks records the caller may edit as
    /// followed up; any other id refuses the whole request.
    pub async fn mark_followed(&self, actor: &Actor, module: &'static Module, ids: Vec<i64>) -> Result<()> {
        let mut tx = self.db.begin().await?;
        super::rows::require_existing(&mut tx, module, &ids).await?;
        self.require_record(&mut tx, actor, module, &ids, Right::Update, Reach::Write)
            .await?;
        let assign = records::Assign {
            column: "followup",
            kind: Kind::Int,
            value: Cell::Int(1),
        };
        records::update(&mut tx, module.table, &ids, &[assign]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `CrmBackLog/num`: the caller's own counts of each to-do list it may see.
    pub async fn backlog_counts(&self, actor: &Actor) -> Result<Value> {
        let mut counts = Map::new();
        let mine = Filter::OwnedBy(vec![actor.id()]);
        let lists: [(&'static Module, &str, Filter); 4] = [
            (&CUSTOMER, "todayCustomer", self.tab_filter(&CUSTOMER, Tab::Today)),
            (
                &CUSTOMER,
                "followCustomer",
                self.tab_filter(&CUSTOMER, Tab::NotFollowed),
            ),
            (&LEADS, "followLeads", self.tab_filter(&LEADS, Tab::NotFollowed)),
            (&CUSTOMER, "putInPoolRemind", self.about_to_recycle().await?),
        ];
        for (module, key, condition) in lists {
            if actor.access.scope(module, Right::Index).is_none() {
                continue;
            }
            let filter = (module.scope)().and(condition).and(mine.clone());
            counts.insert(
                key.into(),
                json!(records::count(&self.db, module.table, &filter).await?),
            );
        }
        Ok(Value::Object(counts))
    }
}

/// The ids of a mark request, read as the record routes read them.
pub fn mark_ids(module: &Module, input: Input<'_>) -> Result<Vec<i64>> {
    match input.raw("ids") {
        Some(_) => Ok(FollowupMark::parse(input)?.0),
        None => record_ids(module, input),
    }
}
