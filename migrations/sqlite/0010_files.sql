-- Attachments (附件): the files of a batch. A record's files are the batch named by its
-- batch_id; the bytes live in the database, so every instance serves every file.
CREATE TABLE admin_file (
    file_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    size           INTEGER NOT NULL,
    file_type      TEXT    NOT NULL DEFAULT 'file',
    mime_type      TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL
);
CREATE INDEX admin_file_batch ON admin_file (batch_id, file_id);

-- Which record owns a batch is looked up by batch_id.
CREATE INDEX crm_leads_batch ON crm_leads (batch_id);
CREATE INDEX crm_customer_batch ON crm_customer (batch_id);
CREATE INDEX crm_contacts_batch ON crm_contacts (batch_id);
CREATE INDEX crm_business_batch ON crm_business (batch_id);
CREATE INDEX crm_product_batch ON crm_product (batch_id);
