-- The progress of `wkcrm migrate-from-wukong`: per source table, the highest source id
-- done (rows are read in id order), and the totals so far. Each batch commits its rows and
-- this row together, so a killed run resumes after the last committed batch.
CREATE TABLE wukong_migration (
    source_table TEXT      PRIMARY KEY,
    last_id      BIGINT    NOT NULL DEFAULT 0,
    read_rows    BIGINT    NOT NULL DEFAULT 0,
    written      BIGINT    NOT NULL DEFAULT 0,
    skipped      BIGINT    NOT NULL DEFAULT 0,
    update_time  TIMESTAMP NOT NULL
);
