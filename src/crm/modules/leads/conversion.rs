//! Lead conversion (`CrmLeads/transfer`): each lead becomes a customer with its name,
//! contact data, next time, remark, owner and the custom values whose fields the customer
//! shares by name (线索来源 goes to 客户来源), and the customer takes over the lead's
//! follow-ups and history. The lead stays, marked converted (`isTransform` 1, `customerId`).
//! A batch is one transaction: one lead that cannot convert converts none.

use serde_json::{Map, Value};

use super::LEADS;
use crate::crm::access::{Reach, Right};
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse};
use crate::crm::modules::CUSTOMER;
use crate::crm::rows::{id_filter, record_ids, require_existing, rows};
use crate::crm::{Actor, Crm};
use crate::store::records::{self, Assign};
use crate::store::{Cell, Kind, Tx};

/// The lead columns a customer takes, and the customer column each goes to.
const CARRIED: [(&str, &str, Kind); 6] = [
    ("leads_name", "customer_name", Kind::Text),
    ("mobile", "mobile", Kind::Text),
    ("telephone", "telephone", Kind::Text),
    ("address", "detail_address", Kind::Text),
    ("remark", "remark", Kind::Text),
    ("next_time", "next_time", Kind::DateTime),
];

/// Lead custom fields whose values go to a customer field of another name; the others go
/// to the customer field of the same name, where there is one.
const RENAMED: [(&str, &str); 1] = [("线索来源", "客户来源")];

/// `CrmLeads/transfer`: the leads (`leadsIds`, or `ids`) to convert.
#[derive(Clone, Debug)]
pub struct Conversion(pub Vec<i64>);

impl Parse for Conversion {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(Conversion(record_ids(&LEADS, input)?))
    }
}

impl Crm {
    /// Converts the leads, all or none; answers the new customers' ids in the leads' order.
    pub async fn convert_leads(&self, actor: &Actor, Conversion(ids): Conversion) -> Result<Vec<i64>> {
        self.authorize(actor, &LEADS, Right::Transform).await?;
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, &LEADS, &ids).await?;
        self.require_reach(&mut tx, actor, &LEADS, &ids, Right::Transform, Reach::Write)
            .await?;
        let lead_fields = self.field_defs(&LEADS).await?;
        let mut customers = Vec::with_capacity(ids.len());
        for id in ids {
            customers.push(self.convert_lead(&mut tx, actor, &lead_fields, id).await?);
        }
        tx.commit().await?;
        Ok(customers)
    }

    async fn convert_lead(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        lead_fields: &[crate::store::fields::FieldRow],
        id: i64,
    ) -> Result<i64> {
        let mut columns: Vec<(&'static str, Kind)> = CARRIED.iter().map(|(c, _, k)| (*c, *k)).collect();
        columns.extend([
            ("owner_user_id", Kind::Int),
            ("is_transform", Kind::Int),
            ("custom", Kind::Json),
        ]);
        let lead = rows(&mut *tx, LEADS.table, &columns, &id_filter(&LEADS, &[id]))
            .await?
            .pop()
            .ok_or_else(|| Error::business(format!("线索不存在或已删除：{id}")))?;
        if lead[CARRIED.len() + 1].as_i64() == Some(1) {
            return Err(Error::business("已转化线索不能再次转化"));
        }
        let mut entity = Map::new();
        for ((_, to, _), cell) in CARRIED.iter().zip(&lead) {
            if let Some(value) = self.wire_value(cell) {
                entity.insert((*to).to_owned(), value);
            }
        }
        let owner = lead[CARRIED.len()].as_i64().unwrap_or(actor.id());
        entity.insert("owner_user_id".into(), owner.into());
        if let Cell::Json(Value::Object(custom)) = &lead[CARRIED.len() + 2] {
            self.carry_custom(lead_fields, custom, &mut entity).await?;
        }
        let name = lead[0].as_str().unwrap_or_default().to_owned();
        let customer = self.create_in(tx, &CUSTOMER, actor, &entity).await?;
        let now = Cell::DateTime(self.clock.now());
        let mark = [
            ("is_transform", Kind::Int, Cell::Int(1)),
            ("customer_id", Kind::Int, Cell::Int(customer)),
            ("update_time", Kind::DateTime, now),
        ]
        .map(|(column, kind, value)| Assign { column, kind, value });
        records::update(&mut *tx, LEADS.table, &[id], &mark).await?;
        self.copy_follow_ups(tx, (&LEADS, id), (&CUSTOMER, customer))
            .await?;
        self.copy_history(tx, (&LEADS, id), (&CUSTOMER, customer)).await?;
        let sentence = format!("将线索\"{name}\"转化为客户");
        self.log(tx, actor, &CUSTOMER, &[customer], std::slice::from_ref(&sentence))
            .await?;
        self.log(tx, actor, &LEADS, &[id], &[sentence]).await?;
        Ok(customer)
    }

    /// A stored value as a client would send it.
    fn wire_value(&self, cell: &Cell) -> Option<Value> {
        match cell {
            Cell::Text(t) if !t.is_empty() => Some(Value::String(t.clone())),
            Cell::DateTime(t) => Some(Value::String(self.clock.render(*t))),
            _ => None,
        }
    }

    /// The lead's custom values under the names of the customer fields that take them.
    async fn carry_custom(
        &self,
        lead_fields: &[crate::store::fields::FieldRow],
        custom: &Map<String, Value>,
        entity: &mut Map<String, Value>,
    ) -> Result<()> {
        let customer_fields = self.field_defs(&CUSTOMER).await?;
        for def in lead_fields.iter().filter(|d| !d.is_column()) {
            let Some(value) = custom.get(&def.field_name).filter(|v| !v.is_null()) else {
                continue;
            };
            let target = RENAMED
                .iter()
                .find(|(from, _)| *from == def.name)
                .map_or(def.name.as_str(), |(_, to)| to);
            if customer_fields.iter().any(|c| !c.is_column() && c.name == target) {
                entity.insert(target.to_owned(), value.clone());
            }
        }
        Ok(())
    }
}
