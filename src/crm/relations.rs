//! Records related to a record: a customer's contacts and business, a contact's business and
//! a business's contacts (`Module::related`); relating contacts and business to each other;
//! and what a delete leaves behind (links, a customer's primary contact).

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, Parse};
use super::module::{FieldKind, Module, Related, Via};
use super::records::{ListQuery, SceneChoice};
use super::rows::{column_in, id_filter, require_existing, require_present, rows};
use super::{Actor, Crm};
use crate::store::records::{self, Assign};
use crate::store::{Cell, Filter, Kind, Tx};

/// A related list's request: the record (its id key, or `id`) and the list's paging,
/// search and conditions (never a scene: it lists one record's relations).
#[derive(Clone, Debug)]
pub struct RelatedQuery {
    pub id: i64,
    pub list: ListQuery,
}

impl RelatedQuery {
    pub fn parse(module: &Module, input: Input<'_>) -> Result<Self> {
        let id = input
            .first_i64(&[module.id_key, "id"])?
            .ok_or_else(|| Error::bad(format!("{}id不能为空", module.title)))?;
        let mut list = ListQuery::parse(input)?;
        list.scene = SceneChoice::NoScene;
        Ok(RelatedQuery { id, list })
    }
}

/// `relateBusiness` / `unrelateBusiness` (and the business's `…Contacts`): the record and
/// the related module's ids (`businessIds`).
#[derive(Clone, Debug)]
pub struct Relating {
    pub id: i64,
    pub others: Vec<i64>,
}

impl Relating {
    pub fn parse(module: &Module, related: &Module, input: Input<'_>) -> Result<Self> {
        let id = input.i64(module.id_key, &format!("{}id不能为空", module.title))?;
        let others = input.ids(related.ids_key, &format!("{}id不能为空", related.title))?;
        Ok(Relating { id, others })
    }
}

impl Crm {
    /// A page of the records related to one the caller can read, within the caller's reach.
    pub async fn related_page(
        &self,
        module: &'static Module,
        related: &Related,
        actor: &Actor,
        query: RelatedQuery,
    ) -> Result<serde_json::Value> {
        require_present(&self.db, module, &[query.id]).await?;
        self.require_record(&self.db, actor, module, &[query.id], Right::Read, Reach::Read)
            .await?;
        let within = match related.via {
            Via::Column(column) => column_in(column, &[query.id]),
            Via::Link {
                table, own, other, ..
            } => Filter::Referenced {
                table,
                column: other,
                filter: Box::new(column_in(own, &[query.id])),
            },
        };
        let scope = (related.module.scope)().and(within);
        self.record_page_within(related.module, actor, query.list, scope)
            .await
    }

    /// Adds (`relate`) or removes links between a record the caller may change and records
    /// of the related module it can read.
    pub async fn relate(
        &self,
        module: &'static Module,
        related: &Related,
        actor: &Actor,
        request: Relating,
        relate: bool,
    ) -> Result<()> {
        let Via::Link {
            table, own, other, ..
        } = related.via
        else {
            return Err(Error::bad("该关系不能关联"));
        };
        let Relating { id, others } = request;
        let mut tx = self.db.begin().await?;
        // Relating runs one at a time per link table, taken before any row lock: the two
        // sides lock their rows in opposite orders, and a pair related from both sides at
        // once is linked once.
        crate::store::serialize_on(&mut tx, &[format!("links:{}", table.name)]).await?;
        require_existing(&mut tx, module, &[id]).await?;
        self.require_record(&mut tx, actor, module, &[id], Right::Update, Reach::Write)
            .await?;
        for other_id in &others {
            self.require_readable(
                &mut tx,
                actor,
                related.module.table,
                related.module.title,
                *other_id,
            )
            .await?;
        }
        let mine = column_in(own, &[id]).and(column_in(other, &others));
        if relate {
            let linked: Vec<i64> = rows(&mut tx, table, &[(other, Kind::Int)], &mine)
                .await?
                .iter()
                .filter_map(|r| r[0].as_i64())
                .collect();
            let new: Vec<Vec<Cell>> = others
                .iter()
                .filter(|o| !linked.contains(o))
                .map(|o| vec![Cell::Int(id), Cell::Int(*o)])
                .collect();
            records::insert_many(&mut tx, table, &[(own, Kind::Int), (other, Kind::Int)], &new).await?;
        } else {
            records::delete_where(&mut tx, table, &mine).await?;
        }
        let names = self.names(&mut tx, related.module, &others).await?;
        let verb = if relate { "关联了" } else { "取消关联" };
        self.log(
            &mut tx,
            actor,
            module,
            &[id],
            &[format!("{verb}{}：{names}", related.module.title)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Names of records, joined with `、`.
    async fn names(&self, tx: &mut Tx, module: &Module, ids: &[i64]) -> Result<String> {
        let Some(name) = module.name_field() else {
            return Ok(String::new());
        };
        let found = rows(
            &mut *tx,
            module.table,
            &[(name.column, Kind::Text)],
            &id_filter(module, ids),
        )
        .await?;
        Ok(found
            .iter()
            .filter_map(|r| r[0].as_str())
            .collect::<Vec<_>>()
            .join("、"))
    }

    /// In a delete's transaction: the records' links go, and optional references to them
    /// from other modules (a customer's 首要联系人) are cleared.
    pub(crate) async fn forget_relations(&self, tx: &mut Tx, module: &Module, ids: &[i64]) -> Result<()> {
        for related in module.related {
            if let Via::Link { table, own, .. } = related.via {
                records::delete_where(&mut *tx, table, &column_in(own, ids)).await?;
            }
        }
        for other in super::modules::ALL {
            for field in other.fields.iter().filter(|f| !f.required) {
                if !matches!(field.kind, FieldKind::Ref(table, _) if table == module.table) {
                    continue;
                }
                let pointing: Vec<i64> = rows(
                    &mut *tx,
                    other.table,
                    &[(other.id_column(), Kind::Int)],
                    &column_in(field.column, ids),
                )
                .await?
                .iter()
                .filter_map(|r| r[0].as_i64())
                .collect();
                let clear = [Assign {
                    column: field.column,
                    kind: Kind::Int,
                    value: Cell::Null,
                }];
                records::update(&mut *tx, other.table, &pointing, &clear).await?;
            }
        }
        Ok(())
    }
}
