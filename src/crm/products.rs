//! Product rules: shelf status and categories.

use serde::Serialize;

use super::access::Right;
use super::error::{Error, Result};
use super::input::{Input, Parse, Unparsed};
use super::modules::{CATEGORY_TABLE, PRODUCT, PRODUCT_TABLE};
use super::rows::{column_in, record_ids, require_existing, rows};
use super::{Actor, Crm};
use crate::store::records::{self, Assign};
use crate::store::{Cell, Filter, Kind, Tx};

/// `updateStatus`: products (`ids` or `productIds`) to put on (1) or off (0) the shelf.
#[derive(Clone, Debug)]
pub struct ShelfChange {
    pub ids: Vec<i64>,
    pub status: i64,
}

impl Parse for ShelfChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = record_ids(&PRODUCT, input)?;
        let status = input.i64("status", "状态不能为空")?;
        if !matches!(status, 0 | 1) {
            return Err(Error::bad("状态只能为0（下架）或1（上架）"));
        }
        Ok(ShelfChange { ids, status })
    }
}

/// `saveAndUpdate`: a new category (no `categoryId`) or a renamed/moved one.
#[derive(Clone, Debug)]
pub struct CategoryDraft {
    pub id: Option<i64>,
    pub name: String,
    pub pid: i64,
}

impl Parse for CategoryDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        let name = input
            .opt_text("name", "分类名称", MAX_CATEGORY_NAME)?
            .ok_or_else(|| Error::bad("分类名称不能为空"))?;
        Ok(CategoryDraft {
            id: input.opt_i64("categoryId")?,
            name,
            pid: input.opt_i64("pid")?.unwrap_or(0),
        })
    }
}

/// The most characters of a category name.
const MAX_CATEGORY_NAME: usize = 200;

/// `deleteById`: the category (`categoryId`, or `id`).
#[derive(Clone, Copy, Debug)]
pub struct CategoryRef(pub i64);

impl Parse for CategoryRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        let key = if input.raw("categoryId").is_some() {
            "categoryId"
        } else {
            "id"
        };
        Ok(CategoryRef(input.i64(key, "分类id不能为空")?))
    }
}

impl Crm {
    /// `updateStatus`: puts products on (1) or off (0) the shelf.
    pub async fn set_product_status(&self, actor: &Actor, request: Unparsed<'_, ShelfChange>) -> Result<()> {
        self.authorize(actor, &PRODUCT, Right::Status).await?;
        let ShelfChange { ids, status } = request.parse()?;
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
    pub async fn category_tree(&self) -> Result<Vec<CategoryNode>> {
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
        Ok(category_level(&all, 0, 0))
    }

    /// `saveAndUpdate`: adds a category (no `categoryId`) or renames/moves one.
    pub async fn save_category(&self, actor: &Actor, request: Unparsed<'_, CategoryDraft>) -> Result<i64> {
        actor.require_admin()?;
        let CategoryDraft { id, name, pid } = request.parse()?;
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
        let id = match id {
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
    pub async fn delete_category(&self, actor: &Actor, request: Unparsed<'_, CategoryRef>) -> Result<()> {
        actor.require_admin()?;
        let CategoryRef(id) = request.parse()?;
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

/// A category tree node, with its sub-categories as `children`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryNode {
    category_id: i64,
    name: Option<String>,
    pid: i64,
    children: Vec<CategoryNode>,
}

/// The categories under `pid` (rows of id, name, pid); a damaged chain stops at depth 20.
fn category_level(all: &[Vec<Cell>], pid: i64, depth: usize) -> Vec<CategoryNode> {
    if depth > 20 {
        return Vec::new();
    }
    all.iter()
        .filter(|c| c[2].as_i64() == Some(pid))
        .map(|c| {
            let id = c[0].as_i64().unwrap_or_default();
            CategoryNode {
                category_id: id,
                name: c[1].as_str().map(str::to_owned),
                pid,
                children: category_level(all, id, depth + 1),
            }
        })
        .collect()
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
