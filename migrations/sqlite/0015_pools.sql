-- Several public pools (J11's 公海): each with administrators and members (users or
-- departments; none at all = open to everyone, as the seeded default pool is), receive
-- limits, a reminder, and recycling rules by type and customer level. A customer in a pool
-- has no owner and names its pool. The J9 protection rules kept in admin_config become the
-- default pool's.
CREATE TABLE crm_customer_pool (
    pool_id               INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_name             TEXT    NOT NULL,
    status                INTEGER NOT NULL DEFAULT 1,
    pre_owner_setting_day INTEGER,
    receive_num           INTEGER,
    remind_day            INTEGER,
    put_in_rule           INTEGER NOT NULL DEFAULT 0,
    create_user_id        INTEGER NOT NULL DEFAULT 0,
    create_time           TEXT    NOT NULL
);
-- role: 1 administrator (user), 2 member user, 3 member department.
CREATE TABLE crm_customer_pool_member (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id   INTEGER NOT NULL,
    role      INTEGER NOT NULL,
    target_id INTEGER NOT NULL
);
CREATE INDEX crm_customer_pool_member_pool ON crm_customer_pool_member (pool_id);
-- type: 1 no follow-up, 2 no new business, 3 not dealt; level NULL = every level.
CREATE TABLE crm_customer_pool_rule (
    rule_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id         INTEGER NOT NULL,
    type            INTEGER NOT NULL,
    deal_handle     INTEGER NOT NULL DEFAULT 0,
    business_handle INTEGER NOT NULL DEFAULT 1,
    level           TEXT,
    limit_day       INTEGER NOT NULL
);
CREATE INDEX crm_customer_pool_rule_pool ON crm_customer_pool_rule (pool_id);
-- The pool list's hidden columns.
CREATE TABLE crm_customer_pool_field (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id    INTEGER NOT NULL,
    field_name TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    is_hidden  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX crm_customer_pool_field_pool ON crm_customer_pool_field (pool_id);
-- How many customers a user received from a pool on a day (the daily quota).
CREATE TABLE crm_customer_pool_receipt (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    day     TEXT    NOT NULL,
    num     INTEGER NOT NULL,
    UNIQUE (pool_id, user_id, day)
);
ALTER TABLE crm_customer ADD COLUMN pool_id INTEGER;
CREATE INDEX crm_customer_in_pool ON crm_customer (pool_id, customer_id);

INSERT INTO crm_customer_pool (pool_name, remind_day, put_in_rule, create_time) VALUES (
    '系统默认公海',
    CASE WHEN (SELECT value FROM admin_config WHERE name = 'putInPoolRemindConfig') = '1'
         THEN COALESCE((SELECT CAST(value AS INTEGER) FROM admin_config WHERE name = 'putInPoolRemindDays'), 3) END,
    COALESCE((SELECT CAST(value AS INTEGER) FROM admin_config WHERE name = 'customerPoolSetting'), 0),
    strftime('%Y-%m-%d %H:%M:%S', 'now'));
INSERT INTO crm_customer_pool_rule (pool_id, type, deal_handle, business_handle, limit_day) VALUES
    (1, 1, 0, 1, COALESCE((SELECT CAST(value AS INTEGER) FROM admin_config WHERE name = 'customerPoolSettingFollowupDays'), 7)),
    (1, 3, 0, 1, COALESCE((SELECT CAST(value AS INTEGER) FROM admin_config WHERE name = 'customerPoolSettingDealDays'), 3));
UPDATE crm_customer SET pool_id = 1 WHERE owner_user_id IS NULL;
DELETE FROM admin_config WHERE name IN ('customerPoolSetting', 'customerPoolSettingFollowupDays',
    'customerPoolSettingDealDays', 'putInPoolRemindConfig', 'putInPoolRemindDays');
