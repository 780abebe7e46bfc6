-- An import's uploaded file moves out of its job row: SQLite writes a row whole, so each
-- batch's progress update rewrote the file's megabytes with it, and reading the counters
-- after the file walked its overflow pages.
CREATE TABLE crm_import_file (
    import_id INTEGER PRIMARY KEY,
    content   BLOB NOT NULL
);
INSERT INTO crm_import_file (import_id, content)
    SELECT import_id, content FROM crm_import WHERE length(content) > 0;
ALTER TABLE crm_import DROP COLUMN content;
