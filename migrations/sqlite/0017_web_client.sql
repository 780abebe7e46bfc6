-- The WukongCRM 9 web client (issue 12).
-- Each user's list columns: order and hidden ones, one row per user, list label and
-- column (the key of the list rows); and the widths a user gave columns.
CREATE TABLE crm_user_column (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL,
    label      INTEGER NOT NULL,
    field_name TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    sort       INTEGER NOT NULL,
    is_hide    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX crm_user_column_key ON crm_user_column (user_id, label, field_name);
CREATE TABLE crm_user_column_width (
    user_id    INTEGER NOT NULL,
    label      INTEGER NOT NULL,
    field_name TEXT    NOT NULL,
    width      INTEGER NOT NULL,
    PRIMARY KEY (user_id, label, field_name)
);

-- J9's catalogue types 网址 as text (its client has no other input for it).
UPDATE crm_field SET form_type = 'text' WHERE label = 2 AND field_name = 'website' AND field_type = 1;

-- The dashboard counts follow-ups by author and period; the to-do page lists records not
-- yet followed up by owner.
CREATE INDEX crm_follow_record_author ON crm_follow_record (create_user_id, create_time);
CREATE INDEX crm_follow_record_time ON crm_follow_record (create_time, label);
CREATE INDEX crm_leads_followup ON crm_leads (followup, owner_user_id, create_time);
CREATE INDEX crm_customer_followup ON crm_customer (followup, owner_user_id, create_time);
