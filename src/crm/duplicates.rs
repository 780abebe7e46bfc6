//! 数据查重 (the duplicate check): leads, customers and contacts found by name, mobile or
//! telephone — each given term must match — within what the caller may read, the public
//! pool included.

use serde_json::Value;

use super::error::{Error, Result};
use super::input::Input;
use super::module::{Module, camel_case};
use super::modules::CUSTOMER;
use super::records::{ListQuery, SceneChoice};
use super::rows::{column_in, rows};
use super::{Actor, Crm, Parse};
use crate::store::{Cell, Filter, Kind, Op, Target};

/// The most customers a contact search by customer name looks through.
const MAX_CUSTOMERS: usize = 1000;

/// What a duplicate check looks for: the record's name (`leadsName`, `customerName`,
/// `name`), `mobile`, `telephone`, and for contacts their customer's name (`customerName`).
#[derive(Clone, Debug)]
pub struct DuplicateQuery {
    pub name: Option<String>,
    pub mobile: Option<String>,
    pub telephone: Option<String>,
    pub customer_name: Option<String>,
    pub list: ListQuery,
}

impl DuplicateQuery {
    pub fn parse(module: &Module, input: Input<'_>) -> Result<Self> {
        let term = |key: &str| -> Result<Option<String>> {
            Ok(input
                .opt_bounded(key, key, 255)?
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()))
        };
        let name_key = module
            .name_field()
            .map(|f| camel_case(f.column))
            .unwrap_or_default();
        let customer_name = if module.field("customer_id").is_some() {
            term("customerName")?
        } else {
            None
        };
        let mut list = ListQuery::parse(input)?;
        list.scene = SceneChoice::NoScene;
        let query = DuplicateQuery {
            name: term(&name_key)?,
            mobile: term("mobile")?,
            telephone: term("telephone")?,
            customer_name,
            list,
        };
        if query.name.is_none()
            && query.mobile.is_none()
            && query.telephone.is_none()
            && query.customer_name.is_none()
        {
            return Err(Error::bad("查询条件不能为空"));
        }
        Ok(query)
    }
}

/// `column` holds `term` (or is it, when `exact`), found through the module's search index
/// where it covers the column.
fn matching(module: &Module, column: &str, term: &str, exact: bool) -> Filter {
    let test = if exact {
        Filter::Compare {
            target: Target::Column(column.into()),
            op: Op::Eq,
            kind: Kind::Text,
            value: Cell::Text(term.into()),
        }
    } else {
        Filter::Like {
            target: Target::Column(column.into()),
            needle: term.into(),
            before: true,
            after: true,
        }
    };
    if !module.search.contains(&column) {
        return test;
    }
    let indexed = Filter::Search {
        columns: module.search.iter().map(|c| (*c).to_owned()).collect(),
        term: term.into(),
    };
    indexed.and(test)
}

impl Crm {
    /// `CrmLeads/queryList`, `CrmCustomer/queryList`, `CrmContacts/queryList`.
    pub async fn duplicates(
        &self,
        module: &'static Module,
        actor: &Actor,
        query: DuplicateQuery,
    ) -> Result<Value> {
        let mut filter = Filter::True;
        if let (Some(name), Some(field)) = (&query.name, module.name_field()) {
            filter = filter.and(matching(module, field.column, name, false));
        }
        for (column, term) in [("mobile", &query.mobile), ("telephone", &query.telephone)] {
            if let Some(term) = term {
                filter = filter.and(matching(module, column, term, true));
            }
        }
        if let Some(name) = &query.customer_name {
            let found = rows(
                &self.db,
                CUSTOMER.table,
                &[(CUSTOMER.id_column(), Kind::Int)],
                &matching(&CUSTOMER, "customer_name", name, false),
            )
            .await?;
            let ids: Vec<i64> = found
                .iter()
                .filter_map(|r| r[0].as_i64())
                .take(MAX_CUSTOMERS)
                .collect();
            filter = filter.and(column_in("customer_id", &ids));
        }
        self.record_page_within(module, actor, query.list, filter).await
    }
}
