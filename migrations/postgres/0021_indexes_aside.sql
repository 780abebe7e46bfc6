-- Indexes (and on SQLite the search triggers) that a bulk load has put aside, with what
-- makes them again: a load that dies half-way has them rebuilt at the next start.
CREATE TABLE crm_index_aside (
    name         TEXT PRIMARY KEY,
    table_name   TEXT NOT NULL,
    definition   TEXT NOT NULL,
    search_table TEXT
);
