//! `/api/<module>/queryList`: the duplicate check (数据查重) of leads, customers and contacts.

use super::routes::{Route, data, handler};
use crate::crm::duplicates::DuplicateQuery;
use crate::crm::modules::{CONTACTS, CUSTOMER, LEADS};

pub fn routes() -> Vec<Route> {
    [&LEADS, &CUSTOMER, &CONTACTS]
        .into_iter()
        .map(|m| {
            Route::new(
                format!("/api/{}/queryList", m.route),
                format!(
                    "{}查重：名称、mobile、telephone（联系人另有 customerName）, page, limit",
                    m.title
                ),
                handler!(|crm, actor, input| data(
                    crm.duplicates(m, actor, DuplicateQuery::parse(m, input)?).await?
                )),
            )
        })
        .collect()
}
