//! Generated demo data: realistic Chinese leads and customers owned by a set of sales
//! users, for trying wkcrm out and for the benchmarks. Deterministic for a given seed.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

use super::auth::hash_password;
use super::error::Result;
use super::modules::{CUSTOMER, LEADS};
use super::{Crm, module::Module};
use crate::store::org;
use crate::store::records::{self, OWNER_COLUMN};
use crate::store::users::{self, NewUser};
use crate::store::{Cell, Kind};

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

/// The columns of one generated record, and its custom-field values.
type GeneratedRow = (Vec<(&'static str, Kind, Cell)>, Value);

/// The seeded roles 销售经理 (本人及下属) and 销售员 (本人).
const SALES_MANAGER_ROLE: i64 = 2;
const SALESPERSON_ROLE: i64 = 3;

/// Rows inserted per statement (well under SQLite's bound-parameter limit).
const BATCH: usize = 500;

/// What to generate.
#[derive(Clone, Debug)]
pub struct DemoPlan {
    pub users: u64,
    pub leads: u64,
    pub customers: u64,
    pub seed: u64,
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
    /// Makes sure `count` demo sales users exist (`sales01`, … password `demo123456`):
    /// `sales01` is a 销售经理 (本人及下属) over `sales02`–`sales05`, the rest are 销售员
    /// (本人). Answers the ids of all of them.
    async fn demo_users(&self, count: u64) -> Result<Vec<i64>> {
        let hash = hash_password("demo123456".into()).await?;
        let mut ids: Vec<i64> = Vec::new();
        for i in 1..=count.max(1) {
            let username = format!("sales{i:02}");
            if let Some(u) = users::by_username(&self.db, &username).await? {
                ids.push(u.user_id);
                continue;
            }
            let realname = format!("销售{i:02}");
            let new = NewUser {
                username: &username,
                password_hash: &hash,
                realname: &realname,
                mobile: "",
                email: None,
                dept_id: Some(1),
                parent_id: if (2..=5).contains(&i) {
                    ids.first().copied()
                } else {
                    None
                },
                post: Some("销售"),
                is_admin: false,
                now: self.clock.now(),
            };
            let mut tx = self.db.begin().await?;
            let id = users::insert(&mut tx, &new).await?;
            org::bind_role(
                &mut tx,
                id,
                if i == 1 {
                    SALES_MANAGER_ROLE
                } else {
                    SALESPERSON_ROLE
                },
            )
            .await?;
            tx.commit().await?;
            ids.push(id);
        }
        Ok(ids)
    }

    /// Generates the plan's records; `progress` is told how many rows each batch added.
    pub async fn generate_demo(&self, plan: &DemoPlan, progress: &(dyn Fn(u64) + Sync)) -> Result<()> {
        let owners = self.demo_users(plan.users).await?;
        let mut rng = StdRng::seed_from_u64(plan.seed);
        self.generate(&LEADS, plan.leads, &owners, &mut rng, progress, lead_row)
            .await?;
        self.generate(
            &CUSTOMER,
            plan.customers,
            &owners,
            &mut rng,
            progress,
            customer_row,
        )
        .await?;
        Ok(self.db.optimize().await?)
    }

    async fn generate(
        &self,
        module: &Module,
        count: u64,
        owners: &[i64],
        rng: &mut StdRng,
        progress: &(dyn Fn(u64) + Sync),
        row: fn(&mut StdRng) -> GeneratedRow,
    ) -> Result<()> {
        let now = self.clock.now();
        let mut done = 0;
        while done < count {
            let n = (count - done).min(BATCH as u64);
            let mut columns: Vec<(&'static str, Kind)> = Vec::new();
            let mut rows = Vec::with_capacity(n as usize);
            for _ in 0..n {
                let (mut cells, custom) = row(rng);
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
                    ("custom", Kind::Json, Cell::Json(custom)),
                ]);
                columns = cells.iter().map(|(c, k, _)| (*c, *k)).collect();
                rows.push(cells.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>());
            }
            let mut tx = self.db.begin().await?;
            records::insert_many(&mut tx, module.table, &columns, &rows).await?;
            tx.commit().await?;
            done += n;
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
