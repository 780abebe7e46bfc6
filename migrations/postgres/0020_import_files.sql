-- An import's uploaded file moves out of its job row, as on SQLite (where each batch's
-- progress update rewrote the file with the row): one layout for both backends.
CREATE TABLE crm_import_file (
    import_id BIGINT PRIMARY KEY,
    content   BYTEA NOT NULL
);
INSERT INTO crm_import_file (import_id, content)
    SELECT import_id, content FROM crm_import WHERE octet_length(content) > 0;
ALTER TABLE crm_import DROP COLUMN content;
