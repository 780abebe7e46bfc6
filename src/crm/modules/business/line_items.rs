//! A business's products (line items): price, sales price, quantity, discount, subtotal;
//! the business's `totalPrice` follows (the subtotals less the whole-order discount).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::crm::access::{Reach, Right};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, to_i64, to_text};
use crate::crm::modules::{BUSINESS, CATEGORY_NAME, PRODUCT, PRODUCT_TABLE};
use crate::crm::rows::{by_id, column_in, joined_rows, rows};
use crate::crm::{Actor, Crm, money};
use crate::store::records::{self, Assign, Select, Source, Table};
use crate::store::{Cell, Kind, Tx};

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
    match item.get(key).filter(|v| !crate::crm::input::is_blank(v)) {
        None => Ok(None),
        Some(v) => money::parse_fen(v)
            .map(Some)
            .ok_or_else(|| Error::bad(format!("{name}应为数字，最多两位小数"))),
    }
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
    pub(super) async fn save_line_items(
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
    pub(super) async fn delete_line_items(&self, tx: &mut Tx, business_ids: &[i64]) -> Result<()> {
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
}
