//! The public pools (公海), as J11 has them: each with administrators and members (users,
//! or departments whose users belong), receive limits (a daily quota, and days before a
//! previous owner may take a customer back), a reminder before customers drop, recycling
//! rules by type and customer level, and hidden list columns. A pool with neither
//! administrators nor members is open to everyone: the seeded 系统默认公海 is, so a J9
//! team that never sees pools keeps one pool for all. The administrator's routes are
//! `/api/crmCustomerPool/*`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Value, json};

use super::limits::id_list;
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse, Unparsed};
use crate::crm::modules::USER_TABLE;
use crate::crm::rows::{column_in, int_is, rows};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign};
use crate::store::tables::{CUSTOMER_POOL, CUSTOMER_POOL_FIELD, CUSTOMER_POOL_MEMBER, CUSTOMER_POOL_RULE};
use crate::store::{Cell, Exec, Filter, Kind, Tx, org};

/// The most days a rule or limit may count.
pub(super) const MAX_DAYS: i64 = 3650;
/// The most levels one rule may list, and columns one pool may hide.
const MAX_LEVELS: usize = 100;
const MAX_FIELDS: usize = 300;

/// What a recycling rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// No follow-up (or receipt) for the rule's days.
    NoFollowUp = 1,
    /// No new business for the rule's days.
    NoBusiness = 2,
    /// Not dealt the rule's days after it was received.
    NotDealt = 3,
}

impl RuleKind {
    fn of(value: i64) -> Result<Self> {
        match value {
            1 => Ok(RuleKind::NoFollowUp),
            2 => Ok(RuleKind::NoBusiness),
            3 => Ok(RuleKind::NotDealt),
            _ => Err(Error::bad(
                "收回规则type只能为1（跟进记录）、2（商机）或3（成交状态）",
            )),
        }
    }

    /// The history's sentence for a customer it returned.
    pub fn sentence(self, days: i64) -> String {
        match self {
            RuleKind::NoFollowUp => format!("超过{days}天无新建跟进记录自动进入公海"),
            RuleKind::NoBusiness => format!("超过{days}天无新建商机自动进入公海"),
            RuleKind::NotDealt => format!("超过{days}天未成交自动进入公海"),
        }
    }
}

/// One recycling rule of a pool, for one customer level or (`level` none) all.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolRule {
    pub kind: RuleKind,
    /// Dealt customers are exempt (`dealHandle` 0).
    pub deal_exempt: bool,
    /// Customers with any business are exempt (`businessHandle` 0).
    pub business_exempt: bool,
    pub level: Option<String>,
    pub days: i64,
}

/// A column of the pool list and whether the pool hides it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolField {
    pub field_name: String,
    pub name: String,
    pub is_hidden: i64,
}

/// A pool as stored.
#[derive(Clone, Debug)]
pub struct Pool {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub admins: Vec<i64>,
    pub member_users: Vec<i64>,
    pub member_depts: Vec<i64>,
    pub pre_owner_days: Option<i64>,
    pub receive_num: Option<i64>,
    pub remind_days: Option<i64>,
    /// Whether the rules recycle at all (`putInRule`).
    pub put_in: bool,
    pub rules: Vec<PoolRule>,
    pub fields: Vec<PoolField>,
    pub create_time: Option<NaiveDateTime>,
}

impl Pool {
    fn open_to_all(&self) -> bool {
        self.admins.is_empty() && self.member_users.is_empty() && self.member_depts.is_empty()
    }

    pub fn is_admin(&self, actor: &Actor) -> bool {
        actor.is_admin() || self.admins.contains(&actor.id())
    }

    /// Whether the actor may see and receive from this pool.
    pub fn admits(&self, actor: &Actor) -> bool {
        self.open_to_all()
            || self.is_admin(actor)
            || self.member_users.contains(&actor.id())
            || actor.user.dept_id.is_some_and(|d| self.member_depts.contains(&d))
    }

    /// The owners whose customers the rules apply to: the members (users, and the users
    /// of member departments); `None` for every owner.
    pub async fn owners_in_scope<'a>(&self, exec: impl Into<Exec<'a>>) -> Result<Option<HashSet<i64>>> {
        if self.member_users.is_empty() && self.member_depts.is_empty() {
            return Ok(None);
        }
        let mut users: HashSet<i64> = self.member_users.iter().copied().collect();
        if !self.member_depts.is_empty() {
            let found = rows(
                exec,
                USER_TABLE,
                &[("user_id", Kind::Int)],
                &column_in("dept_id", &self.member_depts),
            )
            .await?;
            users.extend(found.iter().filter_map(|r| r[0].as_i64()));
        }
        Ok(Some(users))
    }
}

const POOL_COLUMNS: [(&str, Kind); 9] = [
    ("pool_id", Kind::Int),
    ("pool_name", Kind::Text),
    ("status", Kind::Int),
    ("pre_owner_setting_day", Kind::Int),
    ("receive_num", Kind::Int),
    ("remind_day", Kind::Int),
    ("put_in_rule", Kind::Int),
    ("create_time", Kind::DateTime),
    ("create_user_id", Kind::Int),
];
const RULE_COLUMNS: [(&str, Kind); 6] = [
    ("pool_id", Kind::Int),
    ("type", Kind::Int),
    ("deal_handle", Kind::Int),
    ("business_handle", Kind::Int),
    ("level", Kind::Text),
    ("limit_day", Kind::Int),
];
const FIELD_COLUMNS: [(&str, Kind); 4] = [
    ("pool_id", Kind::Int),
    ("field_name", Kind::Text),
    ("name", Kind::Text),
    ("is_hidden", Kind::Int),
];

/// Every pool matching `filter`, by id, with members, rules and columns (four statements).
pub(crate) async fn load_pools(mut exec: Exec<'_>, filter: &Filter) -> Result<Vec<Pool>> {
    let found = rows(exec.reborrow(), CUSTOMER_POOL, &POOL_COLUMNS, filter).await?;
    let ids: Vec<i64> = found.iter().filter_map(|r| r[0].as_i64()).collect();
    let of_pools = column_in("pool_id", &ids);
    let member_columns = [
        ("pool_id", Kind::Int),
        ("role", Kind::Int),
        ("target_id", Kind::Int),
    ];
    let members = rows(exec.reborrow(), CUSTOMER_POOL_MEMBER, &member_columns, &of_pools).await?;
    let rules = rows(exec.reborrow(), CUSTOMER_POOL_RULE, &RULE_COLUMNS, &of_pools).await?;
    let fields = rows(exec, CUSTOMER_POOL_FIELD, &FIELD_COLUMNS, &of_pools).await?;
    let mut pools: Vec<Pool> = found
        .iter()
        .map(|r| {
            let id = r[0].as_i64().unwrap_or_default();
            let of = |role: i64| -> Vec<i64> {
                members
                    .iter()
                    .filter(|m| m[0].as_i64() == Some(id) && m[1].as_i64() == Some(role))
                    .filter_map(|m| m[2].as_i64())
                    .collect()
            };
            Pool {
                id,
                name: r[1].as_str().unwrap_or_default().to_owned(),
                enabled: r[2].as_i64() == Some(1),
                admins: of(1),
                member_users: of(2),
                member_depts: of(3),
                pre_owner_days: r[3].as_i64(),
                receive_num: r[4].as_i64(),
                remind_days: r[5].as_i64(),
                put_in: r[6].as_i64() == Some(1),
                rules: rules
                    .iter()
                    .filter(|x| x[0].as_i64() == Some(id))
                    .filter_map(|x| rule_of(x))
                    .collect(),
                fields: fields
                    .iter()
                    .filter(|x| x[0].as_i64() == Some(id))
                    .map(|x| PoolField {
                        field_name: x[1].as_str().unwrap_or_default().to_owned(),
                        name: x[2].as_str().unwrap_or_default().to_owned(),
                        is_hidden: x[3].as_i64().unwrap_or_default(),
                    })
                    .collect(),
                create_time: r[7].as_datetime(),
            }
        })
        .collect();
    pools.sort_by_key(|p| p.id);
    Ok(pools)
}

fn rule_of(row: &[Cell]) -> Option<PoolRule> {
    Some(PoolRule {
        kind: RuleKind::of(row[1].as_i64()?).ok()?,
        deal_exempt: row[2].as_i64() == Some(0),
        business_exempt: row[3].as_i64() == Some(0),
        level: row[4].as_str().map(str::to_owned),
        days: row[5].as_i64()?,
    })
}

/// `setCustomerPool`: a pool, new or (with `poolId`) replacing one, as J11's dialog sends
/// it.
#[derive(Clone, Debug)]
pub struct PoolDraft {
    pub id: Option<i64>,
    pub name: String,
    pub enabled: bool,
    pub admins: Vec<i64>,
    pub member_users: Vec<i64>,
    pub member_depts: Vec<i64>,
    pub pre_owner_days: Option<i64>,
    pub receive_num: Option<i64>,
    pub remind_days: Option<i64>,
    pub put_in: bool,
    pub rules: Vec<PoolRule>,
    pub fields: Vec<PoolField>,
}

/// A number the switch `setting` turns on (1), within `range`; none when off.
fn switched(
    input: Input<'_>,
    setting: &str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>> {
    if input.opt_i64(setting)? != Some(1) {
        return Ok(None);
    }
    match input.opt_i64(value)? {
        Some(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(Error::bad(format!(
            "{setting}为1时{value}应为{}到{}之间的整数",
            range.start(),
            range.end()
        ))),
    }
}

fn days_in(value: Option<&Value>, what: &str) -> Result<i64> {
    value
        .and_then(crate::crm::input::to_i64)
        .filter(|n| (1..=MAX_DAYS).contains(n))
        .ok_or_else(|| Error::bad(format!("{what}应为1到{MAX_DAYS}之间的天数")))
}

/// J11's `rule`: `[{type, dealHandle, businessHandle, customerLevelSetting, level:[{level,
/// limitDay}]}]`, one stored rule per level.
fn parse_rules(items: &[Value]) -> Result<Vec<PoolRule>> {
    if items.len() > 3 {
        return Err(Error::bad("收回规则最多3条"));
    }
    let mut rules = Vec::new();
    for item in items {
        let int = |key: &str| item.get(key).and_then(crate::crm::input::to_i64);
        let kind = RuleKind::of(int("type").ok_or_else(|| Error::bad("收回规则type不能为空"))?)?;
        let by_level = int("customerLevelSetting") == Some(2);
        let levels = match item.get("level").or(item.get("levelSetting")) {
            Some(Value::Array(levels)) => levels.clone(),
            _ => Vec::new(),
        };
        if levels.is_empty() || levels.len() > MAX_LEVELS {
            return Err(Error::bad(format!("收回规则的level应为1到{MAX_LEVELS}项")));
        }
        for level in &levels {
            let name = match (by_level, level.get("level").and_then(crate::crm::input::to_text)) {
                (false, _) => None,
                (true, Some(name)) if !name.trim().is_empty() && name.chars().count() <= 100 => Some(name),
                (true, _) => return Err(Error::bad("按客户级别设置时每项的level不能为空")),
            };
            rules.push(PoolRule {
                kind,
                deal_exempt: int("dealHandle").unwrap_or(0) == 0,
                business_exempt: int("businessHandle").unwrap_or(1) == 0,
                level: name,
                days: days_in(level.get("limitDay"), "limitDay")?,
            });
            if !by_level {
                break;
            }
        }
    }
    Ok(rules)
}

fn parse_fields(items: &[Value]) -> Result<Vec<PoolField>> {
    if items.len() > MAX_FIELDS {
        return Err(Error::bad(format!("公海字段最多{MAX_FIELDS}个")));
    }
    items
        .iter()
        .map(|f| {
            let text = |key: &str| {
                f.get(key)
                    .and_then(crate::crm::input::to_text)
                    .filter(|t| t.chars().count() <= 100)
            };
            let field_name = text("fieldName").ok_or_else(|| Error::bad("公海字段的fieldName不能为空"))?;
            Ok(PoolField {
                name: text("name").unwrap_or_else(|| field_name.clone()),
                field_name,
                is_hidden: i64::from(f.get("isHidden").and_then(crate::crm::input::to_i64) == Some(1)),
            })
        })
        .collect()
}

impl Parse for PoolDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        let name = input
            .opt_text("poolName", "公海名称", 100)?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::bad("公海名称不能为空"))?;
        let admins = id_list(input, ["adminUserId", "adminUserIds"])?;
        let member_users = id_list(input, ["memberUserId", "memberUserIds"])?;
        let member_depts = id_list(input, ["memberDeptId", "memberDeptIds"])?;
        if admins.is_empty() || (member_users.is_empty() && member_depts.is_empty()) {
            return Err(Error::business("公海管理员或公海成员不能为空"));
        }
        Ok(PoolDraft {
            id: input.opt_i64("poolId")?,
            name,
            enabled: input.opt_i64("status")?.unwrap_or(1) == 1,
            admins,
            member_users,
            member_depts,
            pre_owner_days: switched(input, "preOwnerSetting", "preOwnerSettingDay", 1..=MAX_DAYS)?,
            receive_num: switched(input, "receiveSetting", "receiveNum", 1..=100_000)?,
            remind_days: switched(input, "remindSetting", "remindDay", 1..=MAX_DAYS)?,
            put_in: input.opt_i64("putInRule")? == Some(1),
            rules: parse_rules(&input.array("rule")?)?,
            fields: parse_fields(&input.array("field")?)?,
        })
    }
}

/// `changeStatus`, `deleteCustomerPool`, `queryPoolById`, `queryAuthByPoolId`: one pool.
#[derive(Clone, Copy, Debug)]
pub struct PoolRef(pub i64);

impl Parse for PoolRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PoolRef(input.i64("poolId", "公海id不能为空")?))
    }
}

/// `changeStatus`: a pool on (1) or off (0).
#[derive(Clone, Copy, Debug)]
pub struct PoolStatus {
    pub pool: i64,
    pub enabled: bool,
}

impl Parse for PoolStatus {
    fn parse(input: Input<'_>) -> Result<Self> {
        let status = input.i64("status", "状态不能为空")?;
        if !(0..=1).contains(&status) {
            return Err(Error::bad("status只能为0（停用）或1（启用）"));
        }
        Ok(PoolStatus {
            pool: PoolRef::parse(input)?.0,
            enabled: status == 1,
        })
    }
}

/// `transfer`: every customer of `prePoolId` into `postPoolId`.
#[derive(Clone, Copy, Debug)]
pub struct PoolMove {
    pub from: i64,
    pub to: i64,
}

impl Parse for PoolMove {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PoolMove {
            from: input.i64("prePoolId", "原公海id不能为空")?,
            to: input.i64("postPoolId", "目标公海id不能为空")?,
        })
    }
}

/// A pool as the settings list shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolSummary {
    pool_id: i64,
    pool_name: String,
    status: i64,
    customer_num: i64,
    admin_user: Vec<Value>,
    member_user: Vec<Value>,
    member_dept: Vec<Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolSummaryPage {
    list: Vec<PoolSummary>,
    total_row: usize,
}

/// `{poolId, poolName}` of `queryPoolNameList`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolName {
    pool_id: i64,
    pool_name: String,
}

/// A rule as J11's dialog reads it back: the levels grouped under their type.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleView {
    pool_id: i64,
    r#type: i64,
    deal_handle: i64,
    business_handle: i64,
    customer_level_setting: i64,
    level_setting: Vec<Value>,
}

/// `queryPoolById`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolDetail {
    #[serde(flatten)]
    summary: PoolSummary,
    admin_user_id: String,
    member_user_id: String,
    member_dept_id: String,
    pre_owner_setting: i64,
    pre_owner_setting_day: Option<i64>,
    receive_setting: i64,
    receive_num: Option<i64>,
    remind_setting: i64,
    remind_day: Option<i64>,
    put_in_rule: i64,
    create_time: Option<String>,
    rule: Vec<RuleView>,
    field: Vec<PoolField>,
}

fn joined(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn rule_views(pool: &Pool) -> Vec<RuleView> {
    let mut views: Vec<RuleView> = Vec::new();
    for rule in &pool.rules {
        let level = json!({"level": rule.level, "limitDay": rule.days});
        match views.iter_mut().find(|v| v.r#type == rule.kind as i64) {
            Some(view) => view.level_setting.push(level),
            None => views.push(RuleView {
                pool_id: pool.id,
                r#type: rule.kind as i64,
                deal_handle: i64::from(!rule.deal_exempt),
                business_handle: i64::from(!rule.business_exempt),
                customer_level_setting: if rule.level.is_some() { 2 } else { 1 },
                level_setting: vec![level],
            }),
        }
    }
    views
}

fn on(value: Option<i64>) -> i64 {
    i64::from(value.is_some())
}

impl Crm {
    /// Every pool, or the enabled ones.
    pub(crate) async fn pools<'a>(&self, exec: impl Into<Exec<'a>>, enabled_only: bool) -> Result<Vec<Pool>> {
        let filter = if enabled_only {
            int_is("status", 1)
        } else {
            Filter::True
        };
        load_pools(exec.into(), &filter).await
    }

    /// One pool, or `公海不存在`.
    pub(crate) async fn pool<'a>(&self, exec: impl Into<Exec<'a>>, id: i64) -> Result<Pool> {
        load_pools(exec.into(), &int_is("pool_id", id))
            .await?
            .pop()
            .ok_or_else(|| Error::business("公海不存在"))
    }

    /// The pool a J9 client means: the first enabled one (the seeded default).
    pub(crate) async fn default_pool<'a>(&self, exec: impl Into<Exec<'a>>) -> Result<Pool> {
        self.pools(exec, true)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::business("不存在启用的公海"))
    }

    /// `setCustomerPool`: the administrator's. Answers the pool's id.
    pub async fn save_pool(&self, actor: &Actor, request: Unparsed<'_, PoolDraft>) -> Result<i64> {
        actor.require_admin()?;
        let draft = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-pools".to_owned()]).await?;
        self.require_members_exist(&mut tx, &draft).await?;
        let settings = [
            ("pool_name", Kind::Text, Cell::Text(draft.name.clone())),
            ("status", Kind::Int, Cell::Int(i64::from(draft.enabled))),
            (
                "pre_owner_setting_day",
                Kind::Int,
                draft.pre_owner_days.map_or(Cell::Null, Cell::Int),
            ),
            (
                "receive_num",
                Kind::Int,
                draft.receive_num.map_or(Cell::Null, Cell::Int),
            ),
            (
                "remind_day",
                Kind::Int,
                draft.remind_days.map_or(Cell::Null, Cell::Int),
            ),
            ("put_in_rule", Kind::Int, Cell::Int(i64::from(draft.put_in))),
        ]
        .map(|(column, kind, value)| Assign { column, kind, value });
        let id = match draft.id {
            Some(id) => {
                let pool = self.lock_pool(&mut tx, id).await?;
                if pool.enabled && !draft.enabled {
                    self.require_may_close(&mut tx, &pool).await?;
                }
                records::update(&mut tx, CUSTOMER_POOL, &[id], &settings).await?;
                id
            }
            None => {
                let created = [
                    Assign {
                        column: "create_user_id",
                        kind: Kind::Int,
                        value: Cell::Int(actor.id()),
                    },
                    Assign {
                        column: "create_time",
                        kind: Kind::DateTime,
                        value: Cell::DateTime(self.clock.now()),
                    },
                ];
                let all: Vec<Assign> = settings.into_iter().chain(created).collect();
                records::insert(&mut tx, CUSTOMER_POOL, &all).await?
            }
        };
        write_members(&mut tx, id, &draft).await?;
        write_rules(&mut tx, id, &draft.rules).await?;
        write_fields(&mut tx, id, &draft.fields).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn require_members_exist(&self, tx: &mut Tx, draft: &PoolDraft) -> Result<()> {
        for user in draft.admins.iter().chain(&draft.member_users) {
            crate::crm::rows::require_active_user(&mut *tx, *user, "员工").await?;
        }
        for dept in &draft.member_depts {
            if !crate::store::users::dept_exists(&mut *tx, *dept).await? {
                return Err(Error::business(format!("部门不存在：{dept}")));
            }
        }
        Ok(())
    }

    /// The enabled pool customers are put into (`id`, else the default pool), its row
    /// locked: a pool cannot stop or go while customers are going in.
    pub(super) async fn target_pool(&self, tx: &mut Tx, id: Option<i64>) -> Result<Pool> {
        let id = match id {
            Some(id) => id,
            None => self.default_pool(&mut *tx).await?.id,
        };
        let pool = self.lock_pool(tx, id).await?;
        if !pool.enabled {
            return Err(Error::business("不能向停用公海转入客户"));
        }
        Ok(pool)
    }

    /// The pool, its row locked for the change.
    async fn lock_pool(&self, tx: &mut Tx, id: i64) -> Result<Pool> {
        if records::lock_existing(&mut *tx, CUSTOMER_POOL, &[id])
            .await?
            .is_empty()
        {
            return Err(Error::business("公海不存在"));
        }
        self.pool(tx, id).await
    }

    /// A pool stops or goes only while empty, and never the last enabled one.
    async fn require_may_close(&self, tx: &mut Tx, pool: &Pool) -> Result<()> {
        if self.pool_customers(&mut *tx, pool.id).await? > 0 {
            return Err(Error::business("公海内有客户，不能停用/删除"));
        }
        if pool.enabled && self.pools(&mut *tx, true).await?.len() <= 1 {
            return Err(Error::business("最后一个启用公海不能停用/删除"));
        }
        Ok(())
    }

    async fn pool_customers<'a>(&self, exec: impl Into<Exec<'a>>, pool: i64) -> Result<i64> {
        let filter = Filter::Unowned.and(int_is("pool_id", pool));
        Ok(records::count(exec, super::CUSTOMER.table, &filter).await?)
    }

    /// `changeStatus`: the administrator's.
    pub async fn set_pool_status(&self, actor: &Actor, request: Unparsed<'_, PoolStatus>) -> Result<()> {
        actor.require_admin()?;
        let change = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-pools".to_owned()]).await?;
        let pool = self.lock_pool(&mut tx, change.pool).await?;
        if pool.enabled && !change.enabled {
            self.require_may_close(&mut tx, &pool).await?;
        }
        let status = [Assign {
            column: "status",
            kind: Kind::Int,
            value: Cell::Int(i64::from(change.enabled)),
        }];
        records::update(&mut tx, CUSTOMER_POOL, &[pool.id], &status).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `deleteCustomerPool`: the administrator's; only an empty pool that is not the last
    /// enabled one.
    pub async fn delete_pool(&self, actor: &Actor, request: Unparsed<'_, PoolRef>) -> Result<()> {
        actor.require_admin()?;
        let PoolRef(id) = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &["customer-pools".to_owned()]).await?;
        let pool = self.lock_pool(&mut tx, id).await?;
        self.require_may_close(&mut tx, &pool).await?;
        let of_pool = int_is("pool_id", id);
        for table in [CUSTOMER_POOL_MEMBER, CUSTOMER_POOL_RULE, CUSTOMER_POOL_FIELD] {
            records::delete_where(&mut tx, table, &of_pool).await?;
        }
        records::delete(&mut tx, CUSTOMER_POOL, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `transfer`: the administrator's; moves every customer of one pool into another,
    /// enabled one.
    pub async fn move_pool(&self, actor: &Actor, request: Unparsed<'_, PoolMove>) -> Result<u64> {
        actor.require_admin()?;
        let PoolMove { from, to } = request.parse()?;
        let mut tx = self.db.begin().await?;
        self.lock_pool(&mut tx, from).await?;
        if !self.lock_pool(&mut tx, to).await?.enabled {
            return Err(Error::business("不能向停用公海转入客户"));
        }
        let assign = [Assign {
            column: "pool_id",
            kind: Kind::Int,
            value: Cell::Int(to),
        }];
        let filter = Filter::Unowned.and(int_is("pool_id", from));
        let moved = records::update_where(&mut tx, super::CUSTOMER.table, &filter, &assign).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// `queryPoolSettingList`: the administrator's, every pool with its customer count.
    pub async fn pool_settings(&self, actor: &Actor) -> Result<PoolSummaryPage> {
        actor.require_admin()?;
        let pools = self.pools(&self.db, false).await?;
        let mut list = Vec::with_capacity(pools.len());
        for pool in &pools {
            list.push(self.summary(pool).await?);
        }
        Ok(PoolSummaryPage {
            total_row: list.len(),
            list,
        })
    }

    async fn summary(&self, pool: &Pool) -> Result<PoolSummary> {
        let users: Vec<i64> = pool.admins.iter().chain(&pool.member_users).copied().collect();
        let names = self.user_names(&users).await?;
        let people = |ids: &[i64]| -> Vec<Value> {
            ids.iter()
                .map(|id| json!({"userId": id, "realname": names.get(id)}))
                .collect()
        };
        let depts: HashMap<i64, String> = org::depts(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.dept_id, d.name))
            .collect();
        Ok(PoolSummary {
            pool_id: pool.id,
            pool_name: pool.name.clone(),
            status: i64::from(pool.enabled),
            customer_num: self.pool_customers(&self.db, pool.id).await?,
            admin_user: people(&pool.admins),
            member_user: people(&pool.member_users),
            member_dept: pool
                .member_depts
                .iter()
                .map(|id| json!({"deptId": id, "name": depts.get(id)}))
                .collect(),
        })
    }

    async fn user_names(&self, users: &[i64]) -> Result<HashMap<i64, String>> {
        let columns = [("user_id", Kind::Int), ("realname", Kind::Text)];
        Ok(rows(&self.db, USER_TABLE, &columns, &column_in("user_id", users))
            .await?
            .into_iter()
            .filter_map(|r| Some((r[0].as_i64()?, r[1].as_str()?.to_owned())))
            .collect())
    }

    /// `queryPoolById`: the administrator's.
    pub async fn pool_detail(&self, actor: &Actor, request: Unparsed<'_, PoolRef>) -> Result<PoolDetail> {
        actor.require_admin()?;
        let pool = self.pool(&self.db, request.parse()?.0).await?;
        Ok(PoolDetail {
            summary: self.summary(&pool).await?,
            admin_user_id: joined(&pool.admins),
            member_user_id: joined(&pool.member_users),
            member_dept_id: joined(&pool.member_depts),
            pre_owner_setting: on(pool.pre_owner_days),
            pre_owner_setting_day: pool.pre_owner_days,
            receive_setting: on(pool.receive_num),
            receive_num: pool.receive_num,
            remind_setting: on(pool.remind_days),
            remind_day: pool.remind_days,
            put_in_rule: i64::from(pool.put_in),
            create_time: pool.create_time.map(|t| self.clock.render(t)),
            rule: rule_views(&pool),
            field: pool.fields.clone(),
        })
    }

    /// `queryPoolNameList`: the enabled pools the caller may use (all of them for the
    /// administrator).
    pub async fn pool_names(&self, actor: &Actor) -> Result<Vec<PoolName>> {
        Ok(self
            .pools(&self.db, true)
            .await?
            .into_iter()
            .filter(|p| p.admits(actor))
            .map(|p| PoolName {
                pool_id: p.id,
                pool_name: p.name,
            })
            .collect())
    }

    /// `queryAuthByPoolId`: what the caller may do in one pool.
    pub async fn pool_auth(&self, actor: &Actor, request: Unparsed<'_, PoolRef>) -> Result<Value> {
        let pool = self.pool(&self.db, request.parse()?.0).await?;
        let admits = pool.admits(actor);
        let admin = pool.is_admin(actor);
        let right = |op: &str| admits && actor.access.holds("pool", op);
        Ok(json!({
            "index": right("index"),
            "receive": right("receive"),
            "distribute": admin || right("distribute"),
            "delete": admin,
            "excelexport": admin || right("excelexport"),
        }))
    }
}

async fn write_members(tx: &mut Tx, pool: i64, draft: &PoolDraft) -> Result<()> {
    records::delete_where(&mut *tx, CUSTOMER_POOL_MEMBER, &int_is("pool_id", pool)).await?;
    let rows: Vec<Vec<Cell>> = [
        (1, &draft.admins),
        (2, &draft.member_users),
        (3, &draft.member_depts),
    ]
    .into_iter()
    .flat_map(|(role, ids)| {
        ids.iter()
            .map(move |id| vec![Cell::Int(pool), Cell::Int(role), Cell::Int(*id)])
    })
    .collect();
    let columns = [
        ("pool_id", Kind::Int),
        ("role", Kind::Int),
        ("target_id", Kind::Int),
    ];
    records::insert_many(&mut *tx, CUSTOMER_POOL_MEMBER, &columns, &rows).await?;
    Ok(())
}

/// Replaces a pool's rules.
pub(super) async fn write_rules(tx: &mut Tx, pool: i64, rules: &[PoolRule]) -> Result<()> {
    records::delete_where(&mut *tx, CUSTOMER_POOL_RULE, &int_is("pool_id", pool)).await?;
    let rows: Vec<Vec<Cell>> = rules
        .iter()
        .map(|r| {
            vec![
                Cell::Int(pool),
                Cell::Int(r.kind as i64),
                Cell::Int(i64::from(!r.deal_exempt)),
                Cell::Int(i64::from(!r.business_exempt)),
                r.level.clone().map_or(Cell::Null, Cell::Text),
                Cell::Int(r.days),
            ]
        })
        .collect();
    records::insert_many(&mut *tx, CUSTOMER_POOL_RULE, &RULE_COLUMNS, &rows).await?;
    Ok(())
}

async fn write_fields(tx: &mut Tx, pool: i64, fields: &[PoolField]) -> Result<()> {
    records::delete_where(&mut *tx, CUSTOMER_POOL_FIELD, &int_is("pool_id", pool)).await?;
    let rows: Vec<Vec<Cell>> = fields
        .iter()
        .map(|f| {
            vec![
                Cell::Int(pool),
                Cell::Text(f.field_name.clone()),
                Cell::Text(f.name.clone()),
                Cell::Int(f.is_hidden),
            ]
        })
        .collect();
    records::insert_many(&mut *tx, CUSTOMER_POOL_FIELD, &FIELD_COLUMNS, &rows).await?;
    Ok(())
}
