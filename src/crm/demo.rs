//! Generated demo data: realistic Chinese leads and customers owned by a set of sales
//! users, for trying wkcrm out and for the benchmarks. Deterministic for a given seed.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

use super::auth::hash_password;
use super::error::Result;
use super::modules::{BUSINESS, CONTACTS, CUSTOMER, LEADS};
use super::{Crm, module::Module};
use crate::store::records::{self, OWNER_COLUMN};
use crate::store::tables::{ACTION_RECORD, FOLLOW_LINK, FOLLOW_RECORD};
use crate::store::users::{self, NewUser};
use crate::store::{Cell, Kind};
use crate::store::{bulk, org};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "霞", "平", "刚", "桂英", "志超", "海燕", "建华", "晓东", "子涵", "雨萱", "浩然", "思远",
];
const CITIES: &[&str] = &[
    "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州", "天津", "重庆", "长沙",
    "郑州", "青岛",
];
const WORDS: &[&str] = &[
    "悟空", "华信", "远航", "创新", "金桥", "东方", "星辰", "海纳", "宏图", "瑞丰", "盛世", "启明", "博远",
    "恒通", "云帆", "卓越",
];
const TRADES: &[&str] = &[
    "科技", "软件", "贸易", "物流", "咨询", "电子", "医疗", "教育", "建材", "食品", "传媒", "制造",
];
const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "集团", "工作室"];
const SOURCES: &[&str] = &[
    "促销",
    "搜索引擎",
    "广告",
    "转介绍",
    "线上注册",
    "线上询价",
    "预约上门",
    "陌拜",
    "电话咨询",
    "邮件咨询",
];
const INDUSTRIES: &[&str] = &[
    "IT",
    "金融业",
    "房地产",
    "商业服务",
    "运输/物流",
    "生产",
    "政府",
    "文化传媒",
];
const LEVELS: &[&str] = &["A（重点客户）", "B（普通客户）", "C（非优先客户）"];

const STAGES: &[&str] = &["初步接洽", "需求确认", "方案报价", "谈判审核"];
const CONTACT_LEVELS: &[&str] = &["普通", "重要", "核心"];
const COMPETITION: &[&str] = &["低", "中", "高"];
const FOLLOW_TYPES: &[&str] = &["打电话", "发短信", "上门拜访"];
const FOLLOW_NOTES: &[&str] = &[
    "电话沟通了需求，客户表示下周给答复",
    "发送了产品资料和报价单",
    "上门拜访，见到了采购负责人",
    "客户对价格有顾虑，约定再谈",
    "确认了项目预算和时间表",
    "介绍了新版功能，客户很感兴趣",
];
const DEPTS: [&str; 5] = ["销售一部", "销售二部", "销售三部", "销售四部", "销售五部"];

/// The custom fields the generator fills for contacts and business, made when missing
/// (leads and customers have three seeded ones): module label, name, options.
const DEMO_FIELDS: [(i64, &str, &[&str]); 4] = [
    (3, "联系人级别", CONTACT_LEVELS),
    (5, "商机来源", SOURCES),
    (5, "客户行业", INDUSTRIES),
    (5, "竞争程度", COMPETITION),
];

/// The columns of one generated record, and its custom-field values.
type GeneratedRow = (Vec<(&'static str, Kind, Cell)>, Value);

/// The seeded roles 销售经理 (本人及下属) and 销售员 (本人).
const SALES_MANAGER_ROLE: i64 = 2;
const SALESPERSON_ROLE: i64 = 3;

/// Rows written per transaction: large, so the generator is bound by the database's insert
/// speed rather than by commits (statements are chunked under the bound-parameter limit).
const ROWS_PER_TX: u64 = 10_000;

/// What to generate.
#[derive(Clone, Debug, Default)]
pub struct DemoPlan {
    pub users: u64,
    pub leads: u64,
    pub customers: u64,
    pub contacts: u64,
    pub business: u64,
    pub followups: u64,
    pub history: u64,
    pub seed: u64,
}

impl DemoPlan {
    /// The rows the plan writes, for a progress bar.
    pub fn total(&self) -> u64 {
        self.leads + self.customers + self.contacts + self.business + self.followups + self.history
    }
}

/// The ids a module's generated records got.
#[derive(Clone, Copy, Debug)]
struct Generated {
    label: i64,
    first: i64,
    last: i64,
}

impl Generated {
    fn pick(&self, rng: &mut StdRng) -> i64 {
        rng.random_range(self.first..=self.last)
    }
}

/// Rows per transaction for `count` rows: full batches, then the rest.
fn batch_sizes(count: u64) -> impl Iterator<Item = u64> {
    (0..count.div_ceil(ROWS_PER_TX)).map(move |i| (count - i * ROWS_PER_TX).min(ROWS_PER_TX))
}

/// A random generated record: its module's ids and its id.
fn pick_record(rng: &mut StdRng, made: &[Generated]) -> (Generated, i64) {
    let on = made[rng.random_range(0..made.len())];
    let id = on.pick(rng);
    (on, id)
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn person(rng: &mut StdRng) -> String {
    format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN))
}

fn company(rng: &mut StdRng) -> String {
    format!(
        "{}{}{}{}",
        pick(rng, CITIES),
        pick(rng, WORDS),
        pick(rng, TRADES),
        pick(rng, SUFFIXES)
    )
}

fn mobile(rng: &mut StdRng) -> String {
    let prefix = [
        "130", "133", "135", "138", "139", "150", "158", "166", "177", "186", "189",
    ];
    format!(
        "{}{:08}",
        prefix[rng.random_range(0..prefix.len())],
        rng.random_range(0..100_000_000u32)
    )
}

impl Crm {
    /// The five sales departments (销售一部…销售五部) under the company, made when missing.
    async fn demo_depts(&self) -> Result<Vec<i64>> {
        let existing = org::depts(&self.db).await?;
        let root = existing.iter().map(|d| d.dept_id).min().unwrap_or(1);
        let mut ids = Vec::new();
        for (i, name) in DEPTS.iter().enumerate() {
            let id = match existing.iter().find(|d| d.name == *name) {
                Some(d) => d.dept_id,
                None => {
                    let fields = org::DeptFields {
                        pid: root,
                        name,
                        num: i as i64 + 1,
                        remark: "",
                        owner_user_id: None,
                    };
                    org::insert_dept(&self.db, &fields).await?
                }
            };
            ids.push(id);
        }
        Ok(ids)
    }

    /// Makes sure `count` demo sales users exist (`sales01`, … password `demo123456`),
    /// spread over the five departments: the first of each department is its 销售经理
    /// (本人及下属) over the others, 销售员 (本人). Answers the ids of all of them.
    async fn demo_users(&self, count: u64) -> Result<Vec<i64>> {
        let depts = self.demo_depts().await?;
        let hash = hash_password("demo123456".into()).await?;
        let mut ids: Vec<i64> = Vec::new();
        for i in 0..count.max(1) as usize {
            let username = format!("sales{:02}", i + 1);
            if let Some(u) = users::by_username(&self.db, &username).await? {
                ids.push(u.user_id);
                continue;
            }
            let realname = format!("销售{:02}", i + 1);
            let manager = i < depts.len();
            let new = NewUser {
                username: &username,
                password_hash: &hash,
                realname: &realname,
                mobile: "",
                email: None,
                dept_id: Some(depts[i % depts.len()]),
                parent_id: if manager {
                    None
                } else {
                    ids.get(i % depts.len()).copied()
                },
                post: Some(if manager { "销售经理" } else { "销售" }),
                is_admin: false,
                now: self.clock.now(),
            };
            let mut tx = self.db.begin().await?;
            let id = users::insert(&mut tx, &new).await?;
            let role = if manager {
                SALES_MANAGER_ROLE
            } else {
                SALESPERSON_ROLE
            };
            org::bind_role(&mut tx, id, role).await?;
            tx.commit().await?;
            ids.push(id);
        }
        Ok(ids)
    }

    /// The generator's custom fields of contacts and business, through the catalogue's
    /// own service (so each gets its index), when missing.
    async fn demo_fields(&self) -> Result<()> {
        for (label, name, options) in DEMO_FIELDS {
            let present = crate::store::fields::of_label(&self.db, label, true)
                .await?
                .iter()
                .any(|f| f.name == name);
            if !present {
                let input =
                    json!({"label": label, "name": name, "formType": "select", "options": options.join(",")});
                let map = input.as_object().cloned().unwrap_or_default();
                self.add_field(&super::Actor::system(), super::Input(&map).into())
                    .await?;
            }
        }
        Ok(())
    }

    /// Generates the plan's records; `progress` is told how many rows each batch added.
    pub async fn generate_demo(&self, plan: &DemoPlan, progress: &(dyn Fn(u64) + Sync)) -> Result<()> {
        let owners = self.demo_users(plan.users).await?;
        self.demo_fields().await?;
        let mut rng = StdRng::seed_from_u64(plan.seed);
        let mut made = Vec::new();
        made.extend(
            self.generate(&LEADS, plan.leads, &owners, &mut rng, progress, &lead_row)
                .await?,
        );
        let customers = self
            .generate(
                &CUSTOMER,
                plan.customers,
                &owners,
                &mut rng,
                progress,
                &customer_row,
            )
            .await?;
        made.extend(customers);
        if let Some(customers) = customers {
            let contact = |rng: &mut StdRng| {
                let customer = customers.pick(rng);
                contact_row(rng, customer)
            };
            made.extend(
                self.generate(&CONTACTS, plan.contacts, &owners, &mut rng, progress, &contact)
                    .await?,
            );
            let business = |rng: &mut StdRng| {
                let customer = customers.pick(rng);
                business_row(rng, customer)
            };
            made.extend(
                self.generate(&BUSINESS, plan.business, &owners, &mut rng, progress, &business)
                    .await?,
            );
        }
        self.generate_followups(plan.followups, &made, &owners, &mut rng, progress)
            .await?;
        self.generate_history(plan.history, &made, &owners, &mut rng, progress)
            .await?;
        Ok(self.db.optimize().await?)
    }

    /// `count` records of a module, owned by random `owners`, created over the last two
    /// years; answers the ids they got (none when `count` is 0).
    async fn generate(
        &self,
        module: &Module,
        count: u64,
        owners: &[i64],
        rng: &mut StdRng,
        progress: &(dyn Fn(u64) + Sync),
        row: &(dyn Fn(&mut StdRng) -> GeneratedRow + Sync),
    ) -> Result<Option<Generated>> {
        let first = records::max_id(&self.db, module.table).await? + 1;
        // A load that at least doubles the table builds its indexes once at the end, over
        // every row, rather than updating each of them row by row (`store::bulk`).
        let aside = count > 0 && count as i64 >= first - 1;
        if aside {
            bulk::set_indexes_aside(&self.db, module.table).await?;
        }
        let loaded = self.load(module, count, owners, rng, progress, row).await;
        if aside {
            bulk::restore_indexes(&self.db).await?;
        }
        loaded?;
        let last = records::max_id(&self.db, module.table).await?;
        Ok((count > 0).then_some(Generated {
            label: module.label,
            first,
            last,
        }))
    }

    /// The rows of `generate`, a batch a transaction.
    async fn load(
        &self,
        module: &Module,
        count: u64,
        owners: &[i64],
        rng: &mut StdRng,
        progress: &(dyn Fn(u64) + Sync),
        row: &(dyn Fn(&mut StdRng) -> GeneratedRow + Sync),
    ) -> Result<()> {
        // Values are stored under each field's key (a seeded field's is its name).
        let keys: std::collections::HashMap<String, String> =
            crate::store::fields::of_label(&self.db, module.label, true)
                .await?
                .into_iter()
                .map(|f| (f.name, f.field_name))
                .collect();
        let now = self.clock.now();
        for n in batch_sizes(count) {
            let mut columns: Vec<(&'static str, Kind)> = Vec::new();
            let mut rows = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let (mut cells, custom) = row(rng);
                let custom: serde_json::Map<String, Value> = custom
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, v)| (keys.get(name).unwrap_or(name).clone(), v.clone()))
                    .collect();
                let owner = owners[rng.random_range(0..owners.len())];
                let created = now - chrono::Duration::seconds(rng.random_range(0..63_072_000));
                let updated = created
                    + chrono::Duration::seconds(rng.random_range(0..(now - created).num_seconds().max(1)));
                let mut batch = [0u8; 16];
                rng.fill(&mut batch);
                cells.extend([
                    (OWNER_COLUMN, Kind::Int, Cell::Int(owner)),
                    ("create_user_id", Kind::Int, Cell::Int(owner)),
                    ("create_time", Kind::DateTime, Cell::DateTime(created)),
                    ("update_time", Kind::DateTime, Cell::DateTime(updated)),
                    ("batch_id", Kind::Text, Cell::Text(hex::encode(batch))),
                    ("custom", Kind::Json, Cell::Json(Value::Object(custom))),
                ]);
                columns = cells.iter().map(|(c, k, _)| (*c, *k)).collect();
                rows.push(cells.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>());
            }
            let mut tx = self.db.begin().await?;
            records::insert_many(&mut tx, module.table, &columns, &rows).await?;
            tx.commit().await?;
            progress(n);
        }
        Ok(())
    }

    /// `count` follow-ups on random generated records, each on its record's timeline.
    async fn generate_followups(
        &self,
        count: u64,
        made: &[Generated],
        owners: &[i64],
        rng: &mut StdRng,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<()> {
        if made.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        for n in batch_sizes(count) {
            let mut targets = Vec::with_capacity(n as usize);
            let rows: Vec<Vec<Cell>> = (0..n)
                .map(|_| {
                    let (on, target) = pick_record(rng, made);
                    targets.push((on.label, target));
                    let mut batch = [0u8; 16];
                    rng.fill(&mut batch);
                    vec![
                        Cell::Int(on.label),
                        Cell::Int(target),
                        Cell::Text(pick(rng, FOLLOW_NOTES).to_owned()),
                        Cell::Text(pick(rng, FOLLOW_TYPES).to_owned()),
                        Cell::Text(hex::encode(batch)),
                        Cell::Int(owners[rng.random_range(0..owners.len())]),
                        Cell::DateTime(now - chrono::Duration::seconds(rng.random_range(0..31_536_000))),
                    ]
                })
                .collect();
            let columns = [
                ("label", Kind::Int),
                ("target_id", Kind::Int),
                ("content", Kind::Text),
                ("category", Kind::Text),
                ("batch_id", Kind::Text),
                ("create_user_id", Kind::Int),
                ("create_time", Kind::DateTime),
            ];
            let mut tx = self.db.begin().await?;
            // The generator is the only writer: the new rows take the ids after the last.
            let first = records::max_id(&mut tx, FOLLOW_RECORD).await? + 1;
            records::insert_many(&mut tx, FOLLOW_RECORD, &columns, &rows).await?;
            let links: Vec<Vec<Cell>> = targets
                .iter()
                .zip(first..)
                .map(|((label, target), record)| {
                    vec![Cell::Int(*label), Cell::Int(*target), Cell::Int(record)]
                })
                .collect();
            let link_columns = [
                ("label", Kind::Int),
                ("target_id", Kind::Int),
                ("record_id", Kind::Int),
            ];
            records::insert_many(&mut tx, FOLLOW_LINK, &link_columns, &links).await?;
            tx.commit().await?;
            progress(n);
        }
        Ok(())
    }

    /// `count` history entries on random generated records.
    async fn generate_history(
        &self,
        count: u64,
        made: &[Generated],
        owners: &[i64],
        rng: &mut StdRng,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<()> {
        if made.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        for n in batch_sizes(count) {
            let rows: Vec<Vec<Cell>> = (0..n)
                .map(|_| {
                    let (on, target) = pick_record(rng, made);
                    let content = json!([format!(
                        "将负责人修改为：销售{:02}",
                        rng.random_range(1..=owners.len())
                    )]);
                    vec![
                        Cell::Int(on.label),
                        Cell::Int(target),
                        Cell::Int(owners[rng.random_range(0..owners.len())]),
                        Cell::DateTime(now - chrono::Duration::seconds(rng.random_range(0..31_536_000))),
                        Cell::Text(content.to_string()),
                    ]
                })
                .collect();
            let columns = [
                ("label", Kind::Int),
                ("action_id", Kind::Int),
                ("create_user_id", Kind::Int),
                ("create_time", Kind::DateTime),
                ("content", Kind::Text),
            ];
            let mut tx = self.db.begin().await?;
            records::insert_many(&mut tx, ACTION_RECORD, &columns, &rows).await?;
            tx.commit().await?;
            progress(n);
        }
        Ok(())
    }
}

fn lead_row(rng: &mut StdRng) -> GeneratedRow {
    let name = if rng.random_bool(0.5) {
        company(rng)
    } else {
        person(rng)
    };
    let cells = vec![
        ("leads_name", Kind::Text, Cell::Text(name)),
        ("mobile", Kind::Text, Cell::Text(mobile(rng))),
        (
            "telephone",
            Kind::Text,
            Cell::Text(format!(
                "0{}-{:08}",
                rng.random_range(10..999),
                rng.random_range(0..100_000_000u32)
            )),
        ),
        (
            "address",
            Kind::Text,
            Cell::Text(format!("{}市", pick(rng, CITIES))),
        ),
        ("remark", Kind::Text, Cell::Text(String::new())),
        (
            "is_transform",
            Kind::Int,
            Cell::Int(i64::from(rng.random_bool(0.1))),
        ),
    ];
    let custom = json!({"线索来源": pick(rng, SOURCES), "客户行业": pick(rng, INDUSTRIES), "客户级别": pick(rng, LEVELS)});
    (cells, custom)
}

fn customer_row(rng: &mut StdRng) -> GeneratedRow {
    let cells = vec![
        ("customer_name", Kind::Text, Cell::Text(company(rng))),
        ("mobile", Kind::Text, Cell::Text(mobile(rng))),
        (
            "address",
            Kind::Text,
            Cell::Text(format!("{0}市,{0}城区", pick(rng, CITIES))),
        ),
        (
            "deal_status",
            Kind::Int,
            Cell::Int(i64::from(rng.random_bool(0.3))),
        ),
    ];
    let custom = json!({"客户来源": pick(rng, SOURCES), "客户行业": pick(rng, INDUSTRIES), "客户级别": pick(rng, LEVELS)});
    (cells, custom)
}

fn contact_row(rng: &mut StdRng, customer: i64) -> GeneratedRow {
    let cells = vec![
        ("name", Kind::Text, Cell::Text(person(rng))),
        ("mobile", Kind::Text, Cell::Text(mobile(rng))),
        ("customer_id", Kind::Int, Cell::Int(customer)),
        (
            "post",
            Kind::Text,
            Cell::Text(pick(rng, &["经理", "总监", "采购", "工程师", "总经理"]).to_owned()),
        ),
        (
            "address",
            Kind::Text,
            Cell::Text(format!("{0}市,{0}城区", pick(rng, CITIES))),
        ),
    ];
    let custom = json!({"是否关键决策人": pick(rng, &["是", "否"]), "性别": pick(rng, &["男", "女"]), "联系人级别": pick(rng, CONTACT_LEVELS)});
    (cells, custom)
}

fn business_row(rng: &mut StdRng, customer: i64) -> GeneratedRow {
    let cells = vec![
        (
            "business_name",
            Kind::Text,
            Cell::Text(format!("{}{}项目", pick(rng, WORDS), pick(rng, STAGES))),
        ),
        ("customer_id", Kind::Int, Cell::Int(customer)),
        ("type_id", Kind::Int, Cell::Int(1)),
        ("status_id", Kind::Int, Cell::Int(rng.random_range(1..=3))),
        // Money is kept in fen.
        (
            "money",
            Kind::Int,
            Cell::Int(rng.random_range(100_000..500_000_000)),
        ),
    ];
    let custom = json!({"商机来源": pick(rng, SOURCES), "客户行业": pick(rng, INDUSTRIES), "竞争程度": pick(rng, COMPETITION)});
    (cells, custom)
}
