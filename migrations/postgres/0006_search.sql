-- Keyword search over Chinese text: trigram GIN indexes (pg_trgm) serve LIKE '%term%' for
-- terms of three or more characters in a UTF-8 database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX crm_leads_leads_name_trgm ON crm_leads USING gin (leads_name gin_trgm_ops);
CREATE INDEX crm_leads_telephone_trgm ON crm_leads USING gin (telephone gin_trgm_ops);
CREATE INDEX crm_leads_mobile_trgm ON crm_leads USING gin (mobile gin_trgm_ops);
CREATE INDEX crm_customer_customer_name_trgm ON crm_customer USING gin (customer_name gin_trgm_ops);
CREATE INDEX crm_customer_telephone_trgm ON crm_customer USING gin (telephone gin_trgm_ops);
CREATE INDEX crm_customer_mobile_trgm ON crm_customer USING gin (mobile gin_trgm_ops);
CREATE INDEX crm_contacts_name_trgm ON crm_contacts USING gin (name gin_trgm_ops);
CREATE INDEX crm_contacts_telephone_trgm ON crm_contacts USING gin (telephone gin_trgm_ops);
CREATE INDEX crm_contacts_mobile_trgm ON crm_contacts USING gin (mobile gin_trgm_ops);
CREATE INDEX crm_business_business_name_trgm ON crm_business USING gin (business_name gin_trgm_ops);
