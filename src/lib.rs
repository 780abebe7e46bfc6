//! wkcrm: a CRM server speaking the 72crm / WukongCRM open API.
//!
//! Layers, each depending only on the next: `http` (routes, parameters, envelope, auth)
//! → `crm` (module descriptors, rules, transactions) → `store` (SQL, migrations).

pub mod cli;
pub mod config;
pub mod crm;
pub mod http;
pub mod store;
