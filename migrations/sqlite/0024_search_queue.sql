-- Full-text maintenance moves out of the writing statement into a queue that each write
-- batch applies just before it commits (`store/writer.rs`). FTS5 flushes its pending terms
-- to disk at every savepoint and release, so with the index written by the triggers every
-- member of a group commit (each in a savepoint) paid a segment write and its merges; now
-- the full-text tables are written once per batch. The queue holds the exact FTS5 commands
-- the triggers used to run, in order (an external-content table's 'delete' needs the old
-- values). A write outside wkcrm (sqlite3 by hand) reaches search at the next write batch.
CREATE TABLE crm_search_queue (
    seq INTEGER PRIMARY KEY,
    search_table TEXT NOT NULL,
    command TEXT,
    rid INTEGER NOT NULL,
    c1 TEXT,
    c2 TEXT,
    c3 TEXT
);
-- Applying the queue is inserting it, in order, into this view: its triggers send each row
-- to its full-text table.
CREATE VIEW crm_search_apply AS SELECT search_table, command, rid, c1, c2, c3 FROM crm_search_queue;

-- crm_leads
-- A bulk load that died with this trigger set aside: its table is rebuilt now, as the
-- restore would have, and the new trigger replaces the one noted down.
INSERT INTO crm_leads_fts (crm_leads_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM crm_index_aside WHERE name = 'crm_leads_fts_insert');
DELETE FROM crm_index_aside WHERE name = 'crm_leads_fts_insert';
DROP TRIGGER IF EXISTS crm_leads_fts_insert;
DROP TRIGGER IF EXISTS crm_leads_fts_update;
DROP TRIGGER IF EXISTS crm_leads_fts_delete;
CREATE TRIGGER crm_leads_fts_insert AFTER INSERT ON crm_leads BEGIN
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_leads_fts', new.leads_id, new.leads_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_leads_fts_update AFTER UPDATE ON crm_leads WHEN old.leads_name IS NOT new.leads_name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_leads_fts', 'delete', old.leads_id, old.leads_name, old.telephone, old.mobile);
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_leads_fts', new.leads_id, new.leads_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_leads_fts_delete AFTER DELETE ON crm_leads BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_leads_fts', 'delete', old.leads_id, old.leads_name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_leads_fts_apply INSTEAD OF INSERT ON crm_search_apply WHEN new.search_table = 'crm_leads_fts' BEGIN
    INSERT INTO crm_leads_fts (crm_leads_fts, rowid, leads_name, telephone, mobile) VALUES (new.command, new.rid, new.c1, new.c2, new.c3);
END;

-- crm_customer
-- A bulk load that died with this trigger set aside: its table is rebuilt now, as the
-- restore would have, and the new trigger replaces the one noted down.
INSERT INTO crm_customer_fts (crm_customer_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM crm_index_aside WHERE name = 'crm_customer_fts_insert');
DELETE FROM crm_index_aside WHERE name = 'crm_customer_fts_insert';
DROP TRIGGER IF EXISTS crm_customer_fts_insert;
DROP TRIGGER IF EXISTS crm_customer_fts_update;
DROP TRIGGER IF EXISTS crm_customer_fts_delete;
CREATE TRIGGER crm_customer_fts_insert AFTER INSERT ON crm_customer BEGIN
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_customer_fts', new.customer_id, new.customer_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_customer_fts_update AFTER UPDATE ON crm_customer WHEN old.customer_name IS NOT new.customer_name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_customer_fts', 'delete', old.customer_id, old.customer_name, old.telephone, old.mobile);
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_customer_fts', new.customer_id, new.customer_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_customer_fts_delete AFTER DELETE ON crm_customer BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_customer_fts', 'delete', old.customer_id, old.customer_name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_customer_fts_apply INSTEAD OF INSERT ON crm_search_apply WHEN new.search_table = 'crm_customer_fts' BEGIN
    INSERT INTO crm_customer_fts (crm_customer_fts, rowid, customer_name, telephone, mobile) VALUES (new.command, new.rid, new.c1, new.c2, new.c3);
END;

-- crm_contacts
-- A bulk load that died with this trigger set aside: its table is rebuilt now, as the
-- restore would have, and the new trigger replaces the one noted down.
INSERT INTO crm_contacts_fts (crm_contacts_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM crm_index_aside WHERE name = 'crm_contacts_fts_insert');
DELETE FROM crm_index_aside WHERE name = 'crm_contacts_fts_insert';
DROP TRIGGER IF EXISTS crm_contacts_fts_insert;
DROP TRIGGER IF EXISTS crm_contacts_fts_update;
DROP TRIGGER IF EXISTS crm_contacts_fts_delete;
CREATE TRIGGER crm_contacts_fts_insert AFTER INSERT ON crm_contacts BEGIN
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_contacts_fts', new.contacts_id, new.name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_contacts_fts_update AFTER UPDATE ON crm_contacts WHEN old.name IS NOT new.name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_contacts_fts', 'delete', old.contacts_id, old.name, old.telephone, old.mobile);
    INSERT INTO crm_search_queue (search_table, rid, c1, c2, c3) VALUES ('crm_contacts_fts', new.contacts_id, new.name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_contacts_fts_delete AFTER DELETE ON crm_contacts BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1, c2, c3) VALUES ('crm_contacts_fts', 'delete', old.contacts_id, old.name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_contacts_fts_apply INSTEAD OF INSERT ON crm_search_apply WHEN new.search_table = 'crm_contacts_fts' BEGIN
    INSERT INTO crm_contacts_fts (crm_contacts_fts, rowid, name, telephone, mobile) VALUES (new.command, new.rid, new.c1, new.c2, new.c3);
END;

-- crm_business
-- A bulk load that died with this trigger set aside: its table is rebuilt now, as the
-- restore would have, and the new trigger replaces the one noted down.
INSERT INTO crm_business_fts (crm_business_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM crm_index_aside WHERE name = 'crm_business_fts_insert');
DELETE FROM crm_index_aside WHERE name = 'crm_business_fts_insert';
DROP TRIGGER IF EXISTS crm_business_fts_insert;
DROP TRIGGER IF EXISTS crm_business_fts_update;
DROP TRIGGER IF EXISTS crm_business_fts_delete;
CREATE TRIGGER crm_business_fts_insert AFTER INSERT ON crm_business BEGIN
    INSERT INTO crm_search_queue (search_table, rid, c1) VALUES ('crm_business_fts', new.business_id, new.business_name);
END;
CREATE TRIGGER crm_business_fts_update AFTER UPDATE ON crm_business WHEN old.business_name IS NOT new.business_name BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1) VALUES ('crm_business_fts', 'delete', old.business_id, old.business_name);
    INSERT INTO crm_search_queue (search_table, rid, c1) VALUES ('crm_business_fts', new.business_id, new.business_name);
END;
CREATE TRIGGER crm_business_fts_delete AFTER DELETE ON crm_business BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1) VALUES ('crm_business_fts', 'delete', old.business_id, old.business_name);
END;
CREATE TRIGGER crm_business_fts_apply INSTEAD OF INSERT ON crm_search_apply WHEN new.search_table = 'crm_business_fts' BEGIN
    INSERT INTO crm_business_fts (crm_business_fts, rowid, business_name) VALUES (new.command, new.rid, new.c1);
END;

-- crm_product
-- A bulk load that died with this trigger set aside: its table is rebuilt now, as the
-- restore would have, and the new trigger replaces the one noted down.
INSERT INTO crm_product_fts (crm_product_fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM crm_index_aside WHERE name = 'crm_product_fts_insert');
DELETE FROM crm_index_aside WHERE name = 'crm_product_fts_insert';
DROP TRIGGER IF EXISTS crm_product_fts_insert;
DROP TRIGGER IF EXISTS crm_product_fts_update;
DROP TRIGGER IF EXISTS crm_product_fts_delete;
CREATE TRIGGER crm_product_fts_insert AFTER INSERT ON crm_product BEGIN
    INSERT INTO crm_search_queue (search_table, rid, c1) VALUES ('crm_product_fts', new.product_id, new.name);
END;
CREATE TRIGGER crm_product_fts_update AFTER UPDATE ON crm_product WHEN old.name IS NOT new.name BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1) VALUES ('crm_product_fts', 'delete', old.product_id, old.name);
    INSERT INTO crm_search_queue (search_table, rid, c1) VALUES ('crm_product_fts', new.product_id, new.name);
END;
CREATE TRIGGER crm_product_fts_delete AFTER DELETE ON crm_product BEGIN
    INSERT INTO crm_search_queue (search_table, command, rid, c1) VALUES ('crm_product_fts', 'delete', old.product_id, old.name);
END;
CREATE TRIGGER crm_product_fts_apply INSTEAD OF INSERT ON crm_search_apply WHEN new.search_table = 'crm_product_fts' BEGIN
    INSERT INTO crm_product_fts (crm_product_fts, rowid, name) VALUES (new.command, new.rid, new.c1);
END;
