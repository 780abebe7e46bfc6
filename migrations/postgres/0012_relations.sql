-- Contacts and business related to each other (联系人 ↔ 商机), many to many.
CREATE TABLE crm_contacts_business (
    id          BIGSERIAL PRIMARY KEY,
    contacts_id BIGINT NOT NULL,
    business_id BIGINT NOT NULL,
    UNIQUE (contacts_id, business_id)
);
CREATE INDEX crm_contacts_business_business ON crm_contacts_business (business_id);
