//! Lead routes beyond the generic ones: conversion to customers.

use super::routes::{Route, done, handler};
use crate::crm::Parse;
use crate::crm::modules::Conversion;

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        "/api/CrmLeads/transfer",
        "线索转化为客户：leadsIds（一个事务，全部成功或全部不变）",
        handler!(|crm, actor, input| done(
            crm.convert_leads(actor, Conversion::parse(input)?)
                .await
                .map(drop)?
        )),
    )]
}
