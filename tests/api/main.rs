//! Black-box API tests through the real router, on SQLite or (with
//! `WKCRM_TEST_DATABASE_URL`) PostgreSQL.

mod bench;
mod conversion;
mod deals;
mod demo;
mod document;
mod excel;
mod fields;
mod files;
mod filters;
mod followups;
mod helpers;
mod instances;
mod integrity;
mod limits;
mod login;
mod migrate;
mod permissions;
mod pool;
mod pools;
mod products;
mod records;
mod recycling;
mod relations;
mod scenes;
mod security;
mod stages;
mod stars;
mod transfer;
mod transport;
mod users;
mod webclient;
mod writes;
