//! Ownership limits (客户规则, J9's `customerSetting`): how many customers a user may own
//! (type 1, dealt ones counted only when `customerDeal` is 1) or keep locked (type 2), by
//! rules naming users or departments — a user's own rule first, else its department's.
//! Checked wherever a user's count grows: create, transfer, receive, distribute, lead
//! conversion, undealing, lock. The check counts after the write, under a lock per user
//! shared by every instance, so parallel changes cannot pass a limit together.

use std::collections::BTreeSet;

use serde::Serialize;

use super::CUSTOMER;
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse, Unparsed};
use crate::crm::rows::{column_in, int_is, rows};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign, ListSpec, Select, Source};
use crate::store::tables::{CUSTOMER_SETTING, CUSTOMER_SETTING_USER};
use crate::store::{Cell, Filter, Kind, Order, Target, Tx, users};

/// What a rule limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Owned = 1,
    Locked = 2,
}

/// `customerSetting`: a rule, new or (with `settingId`) replacing one.
#[derive(Clone, Debug)]
pub struct LimitRule {
    pub id: Option<i64>,
    pub name: String,
    pub limit: Limit,
    pub number: i64,
    pub dealt_count: bool,
    pub user_ids: Vec<i64>,
    pub dept_ids: Vec<i64>,
}

fn limit_of(value: i64) -> Result<Limit> {
    match value {
        1 => Ok(Limit::Owned),
        2 => Ok(Limit::Locked),
        _ => Err(Error::bad("type只能为1（拥有客户数）或2（锁定客户数）")),
    }
}

pub(super) fn id_list(input: Input<'_>, keys: [&str; 2]) -> Result<Vec<i64>> {
    let key = keys.into_iter().find(|k| input.raw(k).is_some());
    let Some(key) = key else { return Ok(Vec::new()) };
    let value = input.raw(key).cloned().unwrap_or_default();
    // J9's dialog sends `[{id,…}]` objects as well as plain ids.
    let ids: Option<Vec<i64>> = match &value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.get("id").or(i.get("userId")).or(i.get("deptId")).unwrap_or(i))
            .map(|v| crate::crm::input::to_i64(v).filter(|n| *n > 0))
            .collect(),
        other => crate::crm::input::parse_ids(other),
    };
    let ids = ids.ok_or_else(|| Error::bad(format!("参数{key}应为id列表")))?;
    if ids.len() > MAX_MEMBERS {
        return Err(Error::bad(format!("一条规则最多适用{MAX_MEMBERS}个员工或部门")));
    }
    Ok(ids)
}

/// The most users, and the most departments, one rule names.
const MAX_MEMBERS: usize = 1000;

impl Parse for LimitRule {
    fn parse(input: Input<'_>) -> Result<Self> {
        let number = input.i64("customerNum", "客户数不能为空")?;
        if !(0..=1_000_000).contains(&number) {
            return Err(Error::bad("客户数应为0到1000000之间的整数"));
        }
        let user_ids = id_list(input, ["userIds", "userList"])?;
        let dept_ids = id_list(input, ["deptIds", "deptList"])?;
        if user_ids.is_empty() && dept_ids.is_empty() {
            return Err(Error::bad("请选择适用的员工或部门"));
        }
        Ok(LimitRule {
            id: input.opt_i64("settingId")?,
            name: input
                .opt_text("settingName", "规则名称", 100)?
                .unwrap_or_else(|| "客户规则".to_owned()),
            limit: limit_of(input.i64("type", "type不能为空")?)?,
            number,
            dealt_count: input.opt_i64("customerDeal")? == Some(1),
            user_ids,
            dept_ids,
        })
    }
}

/// `queryCustomerSetting`: the rules of one kind (`type`), a page.
#[derive(Clone, Copy, Debug)]
pub struct LimitQuery {
    pub limit: Limit,
    pub page: u64,
    pub size: u64,
}

impl Parse for LimitQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let paging = crate::crm::records::Paging::parse(input)?;
        Ok(LimitQuery {
            limit: limit_of(input.i64("type", "type不能为空")?)?,
            page: paging.page,
            size: paging.limit,
        })
    }
}

/// `deleteCustomerSetting` / `editCustomerSetting`: the rule (`settingId`).
#[derive(Clone, Copy, Debug)]
pub struct LimitRef(pub i64);

impl Parse for LimitRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(LimitRef(input.i64("settingId", "settingId不能为空")?))
    }
}

/// A rule as J9 lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitView {
    setting_id: i64,
    setting_name: String,
    r#type: i64,
    customer_num: i64,
    customer_deal: i64,
    user_ids: String,
    dept_ids: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitPage {
    list: Vec<LimitView>,
    total_row: i64,
}

const RULE_COLUMNS: [(&str, Kind); 5] = [
    ("setting_id", Kind::Int),
    ("setting_name", Kind::Text),
    ("type", Kind::Int),
    ("customer_num", Kind::Int),
    ("customer_deal", Kind::Int),
];

impl Crm {
    /// `customerSetting`: the administrator's.
    pub async fn save_limit(&self, actor: &Actor, request: Unparsed<'_, LimitRule>) -> Result<i64> {
        actor.require_admin()?;
        let rule = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-settings".to_owned()]).await?;
        for dept in &rule.dept_ids {
            if !users::dept_exists(&mut tx, *dept).await? {
                return Err(Error::business(format!("部门不存在：{dept}")));
            }
        }
        for user in &rule.user_ids {
            crate::crm::rows::require_active_user(&mut tx, *user, "员工").await?;
        }
        let assigns = [
            ("setting_name", Kind::Text, Cell::Text(rule.name.clone())),
            ("type", Kind::Int, Cell::Int(rule.limit as i64)),
            ("customer_num", Kind::Int, Cell::Int(rule.number)),
            ("customer_deal", Kind::Int, Cell::Int(i64::from(rule.dealt_count))),
            ("create_time", Kind::DateTime, Cell::DateTime(self.clock.now())),
        ]
        .map(|(column, kind, value)| Assign { column, kind, value });
        let id = match rule.id {
            Some(id) => {
                if records::lock_existing(&mut tx, CUSTOMER_SETTING, &[id])
                    .await?
                    .is_empty()
                {
                    return Err(Error::business("规则不存在"));
                }
                records::update(&mut tx, CUSTOMER_SETTING, &[id], &assigns).await?;
                records::delete_where(&mut tx, CUSTOMER_SETTING_USER, &column_in("setting_id", &[id]))
                    .await?;
                id
            }
            None => records::insert(&mut tx, CUSTOMER_SETTING, &assigns).await?,
        };
        self.require_unclaimed(&mut tx, &rule).await?;
        let members: Vec<Vec<Cell>> = rule
            .user_ids
            .iter()
            .map(|u| vec![Cell::Int(id), Cell::Int(1), Cell::Int(*u), Cell::Null])
            .chain(
                rule.dept_ids
                    .iter()
                    .map(|d| vec![Cell::Int(id), Cell::Int(2), Cell::Null, Cell::Int(*d)]),
            )
            .collect();
        let columns = [
            ("setting_id", Kind::Int),
            ("type", Kind::Int),
            ("user_id", Kind::Int),
            ("dept_id", Kind::Int),
        ];
        records::insert_many(&mut tx, CUSTOMER_SETTING_USER, &columns, &members).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every user and department is in one rule of a kind at most (J9's message).
    async fn require_unclaimed(&self, tx: &mut Tx, rule: &LimitRule) -> Result<()> {
        let same_kind: Vec<i64> = rows(
            &mut *tx,
            CUSTOMER_SETTING,
            &[("setting_id", Kind::Int)],
            &int_is("type", rule.limit as i64),
        )
        .await?
        .iter()
        .filter_map(|r| r[0].as_i64())
        .collect();
        let claimed = column_in("setting_id", &same_kind).and(Filter::Any(vec![
            column_in("user_id", &rule.user_ids),
            column_in("dept_id", &rule.dept_ids),
        ]));
        if !same_kind.is_empty() && records::count(&mut *tx, CUSTOMER_SETTING_USER, &claimed).await? > 0 {
            return Err(Error::business("已经有员工或部门信息包含在别的规则里面"));
        }
        Ok(())
    }

    /// `queryCustomerSetting`: the administrator's.
    pub async fn limit_page(&self, actor: &Actor, request: Unparsed<'_, LimitQuery>) -> Result<LimitPage> {
        actor.require_admin()?;
        let query = request.parse()?;
        let filter = int_is("type", query.limit as i64);
        let selects: Vec<Select> = RULE_COLUMNS
            .iter()
            .map(|(c, k)| Select {
                source: Source::Own(c),
                kind: *k,
            })
            .collect();
        let spec = ListSpec {
            table: CUSTOMER_SETTING,
            joins: &[],
            columns: &selects,
            filter: &filter,
            order: &[(Target::Column("setting_id".into()), Kind::Int, Order::Asc)],
            limit: query.size,
            offset: (query.page - 1) * query.size,
        };
        let found = records::list(&self.db, &spec).await?;
        let ids: Vec<i64> = found.iter().filter_map(|r| r[0].as_i64()).collect();
        let members = rows(
            &self.db,
            CUSTOMER_SETTING_USER,
            &[
                ("setting_id", Kind::Int),
                ("user_id", Kind::Int),
                ("dept_id", Kind::Int),
            ],
            &column_in("setting_id", &ids),
        )
        .await?;
        let joined = |id: i64, at: usize| {
            members
                .iter()
                .filter(|m| m[0].as_i64() == Some(id))
                .filter_map(|m| m[at].as_i64())
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        let list = found
            .iter()
            .map(|r| {
                let id = r[0].as_i64().unwrap_or_default();
                LimitView {
                    setting_id: id,
                    setting_name: r[1].as_str().unwrap_or_default().to_owned(),
                    r#type: r[2].as_i64().unwrap_or_default(),
                    customer_num: r[3].as_i64().unwrap_or_default(),
                    customer_deal: r[4].as_i64().unwrap_or_default(),
                    user_ids: joined(id, 1),
                    dept_ids: joined(id, 2),
                }
            })
            .collect();
        Ok(LimitPage {
            list,
            total_row: records::count(&self.db, CUSTOMER_SETTING, &filter).await?,
        })
    }

    /// `deleteCustomerSetting`: the administrator's.
    pub async fn delete_limit(&self, actor: &Actor, request: Unparsed<'_, LimitRef>) -> Result<()> {
        actor.require_admin()?;
        let LimitRef(id) = request.parse()?;
        let mut tx = self.db.begin().await?;
        if records::lock_existing(&mut tx, CUSTOMER_SETTING, &[id])
            .await?
            .is_empty()
        {
            return Err(Error::business("规则不存在"));
        }
        records::delete_where(&mut tx, CUSTOMER_SETTING_USER, &column_in("setting_id", &[id])).await?;
        records::delete(&mut tx, CUSTOMER_SETTING, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Fails with `message` when one of `owners` is over its limit of this kind, counted
    /// inside `tx` after its writes.
    pub(crate) async fn check_limits(
        &self,
        tx: &mut Tx,
        owners: &[i64],
        limit: Limit,
        message: &str,
    ) -> Result<()> {
        let owners: BTreeSet<i64> = owners.iter().copied().collect();
        for owner in owners {
            crate::store::serialize_on(tx, &[format!("customer-limit:{}:{owner}", limit as i64)]).await?;
            let Some((number, dealt_count)) = self.limit_for(tx, owner, limit).await? else {
                continue;
            };
            let mut counted = Filter::OwnedBy(vec![owner]);
            counted = match limit {
                Limit::Locked => counted.and(int_is("is_lock", 1)),
                Limit::Owned if !dealt_count => counted.and(Filter::Not(Box::new(int_is("deal_status", 1)))),
                Limit::Owned => counted,
            };
            if records::count(&mut *tx, CUSTOMER.table, &counted).await? > number {
                return Err(Error::business(message));
            }
        }
        Ok(())
    }

    /// The limit that applies to a user: its own rule, else its department's.
    async fn limit_for(&self, tx: &mut Tx, user: i64, limit: Limit) -> Result<Option<(i64, bool)>> {
        let dept = users::by_id(&mut *tx, user).await?.and_then(|u| u.dept_id);
        let kind: Vec<Vec<Cell>> = rows(
            &mut *tx,
            CUSTOMER_SETTING,
            &RULE_COLUMNS,
            &int_is("type", limit as i64),
        )
        .await?;
        if kind.is_empty() {
            return Ok(None);
        }
        let ids: Vec<i64> = kind.iter().filter_map(|r| r[0].as_i64()).collect();
        let members = rows(
            &mut *tx,
            CUSTOMER_SETTING_USER,
            &[
                ("setting_id", Kind::Int),
                ("user_id", Kind::Int),
                ("dept_id", Kind::Int),
            ],
            &column_in("setting_id", &ids),
        )
        .await?;
        let by_user = members.iter().find(|m| m[1].as_i64() == Some(user));
        let by_dept = members.iter().find(|m| dept.is_some() && m[2].as_i64() == dept);
        let Some(setting) = by_user.or(by_dept).and_then(|m| m[0].as_i64()) else {
            return Ok(None);
        };
        Ok(kind
            .iter()
            .find(|r| r[0].as_i64() == Some(setting))
            .map(|r| (r[3].as_i64().unwrap_or_default(), r[4].as_i64() == Some(1))))
    }
}
