-- Keyword search over Chinese text: an FTS5 trigram index per module, kept in step with
-- its table by triggers. Terms of three or more characters use MATCH; shorter ones fall
-- back to LIKE (trigrams need three characters).

CREATE VIRTUAL TABLE crm_leads_fts USING fts5(leads_name, telephone, mobile, content='crm_leads', content_rowid='leads_id', tokenize='trigram');
INSERT INTO crm_leads_fts (crm_leads_fts) VALUES ('rebuild');
CREATE TRIGGER crm_leads_fts_insert AFTER INSERT ON crm_leads BEGIN
    INSERT INTO crm_leads_fts (rowid, leads_name, telephone, mobile) VALUES (new.leads_id, new.leads_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_leads_fts_delete AFTER DELETE ON crm_leads BEGIN
    INSERT INTO crm_leads_fts (crm_leads_fts, rowid, leads_name, telephone, mobile) VALUES ('delete', old.leads_id, old.leads_name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_leads_fts_update AFTER UPDATE ON crm_leads WHEN old.leads_name IS NOT new.leads_name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_leads_fts (crm_leads_fts, rowid, leads_name, telephone, mobile) VALUES ('delete', old.leads_id, old.leads_name, old.telephone, old.mobile);
    INSERT INTO crm_leads_fts (rowid, leads_name, telephone, mobile) VALUES (new.leads_id, new.leads_name, new.telephone, new.mobile);
END;

CREATE VIRTUAL TABLE crm_customer_fts USING fts5(customer_name, telephone, mobile, content='crm_customer', content_rowid='customer_id', tokenize='trigram');
INSERT INTO crm_customer_fts (crm_customer_fts) VALUES ('rebuild');
CREATE TRIGGER crm_customer_fts_insert AFTER INSERT ON crm_customer BEGIN
    INSERT INTO crm_customer_fts (rowid, customer_name, telephone, mobile) VALUES (new.customer_id, new.customer_name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_customer_fts_delete AFTER DELETE ON crm_customer BEGIN
    INSERT INTO crm_customer_fts (crm_customer_fts, rowid, customer_name, telephone, mobile) VALUES ('delete', old.customer_id, old.customer_name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_customer_fts_update AFTER UPDATE ON crm_customer WHEN old.customer_name IS NOT new.customer_name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_customer_fts (crm_customer_fts, rowid, customer_name, telephone, mobile) VALUES ('delete', old.customer_id, old.customer_name, old.telephone, old.mobile);
    INSERT INTO crm_customer_fts (rowid, customer_name, telephone, mobile) VALUES (new.customer_id, new.customer_name, new.telephone, new.mobile);
END;

CREATE VIRTUAL TABLE crm_contacts_fts USING fts5(name, telephone, mobile, content='crm_contacts', content_rowid='contacts_id', tokenize='trigram');
INSERT INTO crm_contacts_fts (crm_contacts_fts) VALUES ('rebuild');
CREATE TRIGGER crm_contacts_fts_insert AFTER INSERT ON crm_contacts BEGIN
    INSERT INTO crm_contacts_fts (rowid, name, telephone, mobile) VALUES (new.contacts_id, new.name, new.telephone, new.mobile);
END;
CREATE TRIGGER crm_contacts_fts_delete AFTER DELETE ON crm_contacts BEGIN
    INSERT INTO crm_contacts_fts (crm_contacts_fts, rowid, name, telephone, mobile) VALUES ('delete', old.contacts_id, old.name, old.telephone, old.mobile);
END;
CREATE TRIGGER crm_contacts_fts_update AFTER UPDATE ON crm_contacts WHEN old.name IS NOT new.name OR old.telephone IS NOT new.telephone OR old.mobile IS NOT new.mobile BEGIN
    INSERT INTO crm_contacts_fts (crm_contacts_fts, rowid, name, telephone, mobile) VALUES ('delete', old.contacts_id, old.name, old.telephone, old.mobile);
    INSERT INTO crm_contacts_fts (rowid, name, telephone, mobile) VALUES (new.contacts_id, new.name, new.telephone, new.mobile);
END;

CREATE VIRTUAL TABLE crm_business_fts USING fts5(business_name, content='crm_business', content_rowid='business_id', tokenize='trigram');
INSERT INTO crm_business_fts (crm_business_fts) VALUES ('rebuild');
CREATE TRIGGER crm_business_fts_insert AFTER INSERT ON crm_business BEGIN
    INSERT INTO crm_business_fts (rowid, business_name) VALUES (new.business_id, new.business_name);
END;
CREATE TRIGGER crm_business_fts_delete AFTER DELETE ON crm_business BEGIN
    INSERT INTO crm_business_fts (crm_business_fts, rowid, business_name) VALUES ('delete', old.business_id, old.business_name);
END;
CREATE TRIGGER crm_business_fts_update AFTER UPDATE ON crm_business WHEN old.business_name IS NOT new.business_name BEGIN
    INSERT INTO crm_business_fts (crm_business_fts, rowid, business_name) VALUES ('delete', old.business_id, old.business_name);
    INSERT INTO crm_business_fts (rowid, business_name) VALUES (new.business_id, new.business_name);
END;
