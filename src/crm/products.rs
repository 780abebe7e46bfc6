//! Product rules: shelf status, categories, and products as line items of a business
//! (price, quantity, discount, subtotal; the business `totalPrice` follows).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, to_i64, to_text};
use super::modules::{BUSINESS, CATEGORY_NAME, CATEGORY_TABLE, PRODUCT, PRODUCT_TABLE};
use super::rows::{column_in, record_ids, require_existing};
use super::{Actor, Crm, money};
use crate::store::records::{self, Assign, Join, ListSpec, Select, Source, Table};
use crate::store::{Cell, Exec, Filter, Kind, Tx};

/// The most products one business may carry.
const MAX_LINE_ITEMS: usize = 1000;

const LINE_TABLE: Table = crate::store::tables::BUSINESS_PRODUCT;
const LINE_COLUMNS: [(&str, Kind); 8] = [
    ("business_id", Kind::Int),
    ("product_id", Kind::Int),
    ("price", Kind::Int),
    ("sales_price", Kind::Int),
    ("num", Kind::Int),
    ("discount", Kind::Int),
    ("subtotal", Kind::Int),
    ("unit", Kind::Text),
];

/// `a × b / scale`, rounded half away from zero, without overflow on the way.
fn scaled(a: i64, b: i64, scale: i64) -> i64 {
    let p = i128::from(a) * i128::from(b);
    let s = i128::from(scale);
    let q = (p.abs() + s / 2) / s;
    (if p < 0 { -q } else { q }) as i64
}

/// A two-decimal amount (money, quantity, percent) in hundredths.
fn hundredths(item: &Map<String, Value>, key: &str, name: &str) -> Result<Option<i64>> {
    match item.get(key).filter(|v| !super::input::is_blank(v)) {
        None => Ok(None),
        Some(v) => money::parse_fen(v)
            .map(Some)
            .ok_or_else(|| Error::bad(format!("{name}应为数字，最多两位小数"))),
    }
}

/// Every row of `table` matching `filter`, own columns only.
async fn rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    columns: &[(&'static str, Kind)],
    filter: &Filter,
) -> Result<Vec<Vec<Cell>>> {
    let selects: Vec<Select> = columns
        .iter()
        .map(|(c, k)| Select {
            source: Source::Own(c),
            kind: *k,
        })
        .collect();
    joined_rows(exec, table, &[], &selects, filter).await
}

/// Every row of `table` matching `filter`, unpaged.
async fn joined_rows<'a>(
    exec: impl Into<Exec<'a>>,
    table: Table,
    joins: &[Join],
    columns: &[Select],
    filter: &Filter,
) -> Result<Vec<Vec<Cell>>> {
    let spec = ListSpec {
        table,
        joins,
        columns,
        filter,
        order: &[],
        limit: u64::MAX >> 1,
        offset: 0,
    };
    Ok(records::list(exec, &spec).await?)
}

/// Rows keyed by their first cell, the id.
fn by_id(rows: Vec<Vec<Cell>>) -> HashMap<i64, Vec<Cell>> {
    rows.into_iter()
        .filter_map(|row| Some((row.first()?.as_i64()?, row)))
        .collect()
}

/// `(id, price, unit)` of every product the line items name, keyed by id, in one query.
/// The products stay locked until the transaction ends (all at once, in id order), so none
/// can be deleted before its line item is in.
async fn referenced_products(tx: &mut Tx, items: &[Value]) -> Result<HashMap<i64, Vec<Cell>>> {
    // Items without a usable `productId` are left to the caller, which refuses them in turn.
    let ids: Vec<i64> = items
        .iter()
        .filter_map(|item| item.get("productId").and_then(to_i64))
        .collect();
    records::lock_existing(tx, PRODUCT_TABLE, &ids).await?;
    let columns = [
        ("product_id", Kind::Int),
        ("price", Kind::Int),
        ("unit", Kind::Text),
    ];
    let found = rows(tx, PRODUCT_TABLE, &columns, &column_in("product_id", &ids)).await?;
    Ok(by_id(found))
}

/// The stored cells of one line item (`LINE_COLUMNS`): the item's own price, discount and
/// unit, else the product's (`(id, price, unit)`).
fn line_cells(business_id: i64, item: &Map<String, Value>, product: &[Cell]) -> Result<Vec<Cell>> {
    let price = hundredths(item, "price", "产品单价")?
        .or(product[1].as_i64())
        .unwrap_or(0);
    let discount = hundredths(item, "discount", "折扣")?.unwrap_or(10_000);
    if !(0..=10_000).contains(&discount) {
        return Err(Error::bad("折扣应在0到100之间"));
    }
    let num = hundredths(item, "num", "数量")?.ok_or_else(|| Error::bad("数量不能为空"))?;
    if num <= 0 {
        return Err(Error::bad("数量应大于0"));
    }
    let sales_price =
        hundredths(item, "salesPrice", "售价")?.unwrap_or_else(|| scaled(price, discount, 10_000));
    let subtotal = scaled(sales_price, num, 100);
    let unit = item
        .get("unit")
        .and_then(to_text)
        .or_else(|| product[2].as_str().map(str::to_owned))
        .unwrap_or_default();
    let product_id = product[0].as_i64().unwrap_or_default();
    let cells = [
        business_id,
        product_id,
        price,
        sales_price,
        num,
        discount,
        subtotal,
    ]
    .map(Cell::Int);
    Ok(cells.into_iter().chain([Cell::Text(unit)]).collect())
}

impl Crm {
    /// Replaces a business's line items with the request's `product` array (when given)
    /// and recomputes its `total_price`: the subtotals less the whole-order discount.
    pub(crate) async fn save_line_items(
        &self,
        tx: &mut Tx,
        business_id: i64,
        input: Input<'_>,
    ) -> Result<()> {
        if input.raw("product").is_none() {
            return Ok(());
        }
        let items = input.array("product")?;
        if items.len() > MAX_LINE_ITEMS {
            return Err(Error::bad(format!("一个商机最多{MAX_LINE_ITEMS}个产品")));
        }
        let products = referenced_products(tx, &items).await?;
        let mut lines = Vec::with_capacity(items.len());
        for item in &items {
            let item = item
                .as_object()
                .ok_or_else(|| Error::bad("product的每一项应为对象"))?;
            let product_id = item
                .get("productId")
                .and_then(to_i64)
                .ok_or_else(|| Error::bad("productId不能为空"))?;
            let product = products
                .get(&product_id)
                .ok_or_else(|| Error::business(format!("产品不存在：{product_id}")))?;
            lines.push(line_cells(business_id, item, product)?);
        }
        let business = column_in("business_id", &[business_id]);
        records::delete_where(&mut *tx, LINE_TABLE, &business).await?;
        records::insert_many(&mut *tx, LINE_TABLE, &LINE_COLUMNS, &lines).await?;
        let sum: i64 = lines.iter().filter_map(|l| l[6].as_i64()).sum();
        let rate = rows(
            &mut *tx,
            BUSINESS.table,
            &[("discount_rate", Kind::Int)],
            &column_in("business_id", &[business_id]),
        )
        .await?;
        let rate = rate.first().and_then(|r| r[0].as_i64()).unwrap_or(0);
        let total = scaled(sum, 10_000 - rate, 10_000);
        let assign = Assign {
            column: "total_price",
            kind: Kind::Int,
            value: Cell::Int(total),
        };
        records::update(&mut *tx, BUSINESS.table, &[business_id], &[assign]).await?;
        Ok(())
    }

    /// Deletes the line items of deleted businesses.
    pub(crate) async fn delete_line_items(&self, tx: &mut Tx, business_ids: &[i64]) -> Result<()> {
        records::delete_where(&mut *tx, LINE_TABLE, &column_in("business_id", business_ids)).await?;
        Ok(())
    }

    /// `queryProduct`: a business's line items with its totals.
    pub async fn line_items(&self, actor: &Actor, business_id: i64) -> Result<Value> {
        let detail = self.record_detail(&BUSINESS, actor, business_id).await?;
        if detail.get("dataAuth").is_some() {
            return Err(Error::NoPermission);
        }
        // The stored columns after `business_id`: product, price, sales price, num, discount, subtotal, unit.
        let columns = &LINE_COLUMNS[1..];
        let lines = rows(
            &self.db,
            LINE_TABLE,
            columns,
            &column_in("business_id", &[business_id]),
        )
        .await?;
        let ids: Vec<i64> = lines.iter().filter_map(|line| line[0].as_i64()).collect();
        let products = self.product_names(actor, &ids).await?;
        let list: Vec<Value> = lines
            .iter()
            .map(|line| {
                let id = line[0].as_i64().unwrap_or_default();
                let text = |i: usize| products.get(&id).and_then(|p| p[i].as_str());
                let amount = |i: usize| line[i].as_i64().map(money::render);
                json!({
                    "productId": id, "name": text(1), "categoryName": text(2), "num": amount(3),
                    "price": amount(1), "salesPrice": amount(2), "discount": amount(4), "subtotal": amount(5),
                    "unit": line[6].as_str(),
                })
            })
            .collect();
        Ok(json!({"list": list, "totalPrice": detail["totalPrice"], "discountRate": detail["discountRate"]}))
    }

    /// `(id, name, category name)` of the products among `ids` that the caller may read
    /// (by the predicate of their detail), keyed by id, in one query; none without the right.
    async fn product_names(&self, actor: &Actor, ids: &[i64]) -> Result<HashMap<i64, Vec<Cell>>> {
        let owners = match self.authorize(actor, &PRODUCT, Right::Read).await {
            Err(Error::Forbidden) => return Ok(HashMap::new()),
            other => other?,
        };
        let reach = self.reach_filter(actor, &PRODUCT, &owners, Reach::Read);
        let columns = [
            Select {
                source: Source::Own("product_id"),
                kind: Kind::Int,
            },
            Select {
                source: Source::Own("name"),
                kind: Kind::Text,
            },
            Select {
                source: Source::Joined {
                    alias: CATEGORY_NAME.join.alias,
                    column: CATEGORY_NAME.column,
                },
                kind: Kind::Text,
            },
        ];
        let filter = column_in("product_id", ids).and(reach);
        let found = joined_rows(&self.db, PRODUCT_TABLE, &[CATEGORY_NAME.join], &columns, &filter).await?;
        Ok(by_id(found))
    }

    /// `updateStatus`: puts products on (1) or off (0) the shelf.
    pub async fn set_product_status(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        self.authorize(actor, &PRODUCT, Right::Status).await?;
        let ids = record_ids(&PRODUCT, input)?;
        let status = input.i64("status", "状态不能为空")?;
        if !matches!(status, 0 | 1) {
            return Err(Error::bad("状态只能为0（下架）或1（上架）"));
        }
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, &PRODUCT, &ids).await?;
        let now = Cell::DateTime(self.clock.now());
        let assigns = [
            Assign {
                column: "status",
                kind: Kind::Int,
                value: Cell::Int(status),
            },
            Assign {
                column: "update_time",
                kind: Kind::DateTime,
                value: now,
            },
        ];
        records::update(&mut tx, PRODUCT_TABLE, &ids, &assigns).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `queryList`: the category tree.
    pub async fn category_tree(&self) -> Result<Value> {
        let all = rows(
            &self.db,
            CATEGORY_TABLE,
            &[
                ("category_id", Kind::Int),
                ("name", Kind::Text),
                ("pid", Kind::Int),
            ],
            &Filter::True,
        )
        .await?;
        fn level(all: &[Vec<Cell>], pid: i64, depth: usize) -> Vec<Value> {
            if depth > 20 {
                return Vec::new();
            }
            all.iter()
                .filter(|c| c[2].as_i64() == Some(pid))
                .map(|c| {
                    let id = c[0].as_i64().unwrap_or_default();
                    json!({"categoryId": id, "name": c[1].as_str(), "pid": pid, "children": level(all, id, depth + 1)})
                })
                .collect()
        }
        Ok(Value::Array(level(&all, 0, 0)))
    }

    /// `saveAndUpdate`: adds a category (no `categoryId`) or renames/moves one.
    pub async fn save_category(&self, actor: &Actor, input: Input<'_>) -> Result<i64> {
        actor.require_admin()?;
        let name = input
            .opt_str("name")?
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::bad("分类名称不能为空"))?;
        if name.chars().count() > 200 {
            return Err(Error::bad("分类名称长度不能超过200个字符"));
        }
        let pid = input.opt_i64("pid")?.unwrap_or(0);
        let mut tx = self.db.begin().await?;
        if pid != 0 {
            require_category(&mut tx, pid, "上级分类不存在").await?;
        }
        let fields = [
            Assign {
                column: "name",
                kind: Kind::Text,
                value: Cell::Text(name),
            },
            Assign {
                column: "pid",
                kind: Kind::Int,
                value: Cell::Int(pid),
            },
        ];
        let id = match input.opt_i64("categoryId")? {
            Some(id) => {
                require_category(&mut tx, id, "分类不存在").await?;
                if pid == id || self.category_below(&mut tx, id).await?.contains(&pid) {
                    return Err(Error::business("上级分类不能是本分类或其下级分类"));
                }
                records::update(&mut tx, CATEGORY_TABLE, &[id], &fields).await?;
                id
            }
            None => records::insert(&mut tx, CATEGORY_TABLE, &fields).await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    async fn category_below(&self, tx: &mut Tx, id: i64) -> Result<Vec<i64>> {
        let all = rows(
            tx,
            CATEGORY_TABLE,
            &[("category_id", Kind::Int), ("pid", Kind::Int)],
            &Filter::True,
        )
        .await?;
        let mut below = Vec::new();
        let mut frontier = vec![id];
        while let Some(p) = frontier.pop() {
            for c in all.iter().filter(|c| c[1].as_i64() == Some(p)) {
                let child = c[0].as_i64().unwrap_or_default();
                if !below.contains(&child) {
                    below.push(child);
                    frontier.push(child);
                }
            }
        }
        Ok(below)
    }

    /// `deleteById`: refused while products or sub-categories remain.
    pub async fn delete_category(&self, actor: &Actor, input: Input<'_>) -> Result<()> {
        actor.require_admin()?;
        let key = if input.raw("categoryId").is_some() {
            "categoryId"
        } else {
            "id"
        };
        let id = input.i64(key, "分类id不能为空")?;
        let mut tx = self.db.begin().await?;
        require_category(&mut tx, id, "分类不存在").await?;
        if records::count(&mut tx, PRODUCT_TABLE, &column_in("category_id", &[id])).await? > 0 {
            return Err(Error::business("该分类下有产品，不能删除"));
        }
        if records::count(&mut tx, CATEGORY_TABLE, &column_in("pid", &[id])).await? > 0 {
            return Err(Error::business("该分类下有子分类，不能删除"));
        }
        records::delete(&mut tx, CATEGORY_TABLE, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Fails unless the category exists; it stays locked for the transaction, so it cannot be
/// deleted while a sub-category is put under it (or gain one while it is deleted).
async fn require_category(tx: &mut Tx, id: i64, missing: &str) -> Result<()> {
    if records::lock_existing(tx, CATEGORY_TABLE, &[id])
        .await?
        .is_empty()
    {
        return Err(Error::business(format!("{missing}：{id}")));
    }
    Ok(())
}
