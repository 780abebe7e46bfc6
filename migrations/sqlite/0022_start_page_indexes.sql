-- The start page's numbers at a million records. 销售简报 counts each module's records
-- created by the caller's users in a period, and the to-do page a customer owner's due,
-- overdue and contacted customers: by creator and date, and by owner and next contact, each
-- count reads an index only (without them, every record of the period or of the owner was
-- read from the table: 1.3 s and 0.7 s at 1,000,000 customers).
CREATE INDEX crm_leads_creator ON crm_leads (create_user_id, create_time);
CREATE INDEX crm_customer_creator ON crm_customer (create_user_id, create_time, owner_user_id);
CREATE INDEX crm_contacts_creator ON crm_contacts (create_user_id, create_time);
CREATE INDEX crm_business_creator ON crm_business (create_user_id, create_time);
CREATE INDEX crm_product_creator ON crm_product (create_user_id, create_time);
CREATE INDEX crm_customer_owner_next ON crm_customer (owner_user_id, next_time, last_time);
-- Statistics for the new indexes, without which the planner guessed them into plans that
-- sort a whole owner's customers.
ANALYZE crm_leads;
ANALYZE crm_customer;
ANALYZE crm_contacts;
ANALYZE crm_business;
ANALYZE crm_product;
-- Without the value samples, as `Db::optimize` leaves them (see there).
DELETE FROM sqlite_stat4;
ANALYZE sqlite_schema;
