-- Ownership limits (客户规则): how many customers a user may own (type 1) or keep locked
-- (type 2), for listed users or departments; each user or department in one rule per type.
CREATE TABLE crm_customer_setting (
    setting_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    setting_name  TEXT    NOT NULL,
    type          INTEGER NOT NULL,
    customer_num  INTEGER NOT NULL,
    customer_deal INTEGER NOT NULL DEFAULT 0,
    create_time   TEXT    NOT NULL
);
CREATE TABLE crm_customer_setting_user (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    setting_id INTEGER NOT NULL,
    type       INTEGER NOT NULL,
    user_id    INTEGER,
    dept_id    INTEGER
);
CREATE INDEX crm_customer_setting_user_setting ON crm_customer_setting_user (setting_id);
