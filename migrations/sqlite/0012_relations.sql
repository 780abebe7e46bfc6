-- Contacts and business related to each other (联系人 ↔ 商机), many to many.
CREATE TABLE crm_contacts_business (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contacts_id INTEGER NOT NULL,
    business_id INTEGER NOT NULL,
    UNIQUE (contacts_id, business_id)
);
CREATE INDEX crm_contacts_business_business ON crm_contacts_business (business_id);
