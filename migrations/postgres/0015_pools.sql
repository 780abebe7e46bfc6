-- Several public pools (J11's 公海): each with administrators and members (users or
-- departments; none at all = open to everyone, as the seeded default pool is), receive
-- limits, a reminder, and recycling rules by type and customer level. A customer in a pool
-- has no owner and names its pool. The J9 protection rules kept in admin_config become the
-- default pool's.
CREATE TABLE crm_customer_pool (
    pool_id               BIGSERIAL PRIMARY KEY,
    pool_name             TEXT    NOT NULL,
    status                BIGINT NOT NULL DEFAULT 1,
    pre_owner_setting_day BIGINT,
    receive_num           BIGINT,
    remind_day            BIGINT,
    put_in_rule           BIGINT NOT NULL DEFAULT 0,
    create_user_id        BIGINT NOT NULL DEFAULT 0,
    create_time           TIMESTAMP   NOT NULL
);
-- role: 1 administrator (user), 2 member user, 3 member department.
CREATE TABLE crm_customer_pool_member (
    id        BIGSERIAL PRIMARY KEY,
    pool_id   BIGINT NOT NULL,
    role      BIGINT NOT NULL,
    target_id BIGINT NOT NULL
);
CREATE INDEX crm_customer_pool_member_pool ON crm_customer_pool_member (pool_id);
-- type: 1 no follow-up, 2 no new business, 3 not dealt; level NULL = every level.
CREATE TABLE crm_customer_pool_rule (
    rule_id         BIGSERIAL PRIMARY KEY,
    pool_id         BIGINT NOT NULL,
    type            BIGINT NOT NULL,
    deal_handle     BIGINT NOT NULL DEFAULT 0,
    business_handle BIGINT NOT NULL DEFAULT 1,
    level           TEXT,
    limit_day       BIGINT NOT NULL
);
CREATE INDEX crm_customer_pool_rule_pool ON crm_customer_pool_rule (pool_id);
-- The pool list's hidden columns.
CREATE TABLE crm_customer_pool_field (
    id         BIGSERIAL PRIMARY KEY,
    pool_id    BIGINT NOT NULL,
    field_name TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    is_hidden  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX crm_customer_pool_field_pool ON crm_customer_pool_field (pool_id);
-- How many customers a user received from a pool on a day (the daily quota).
CREATE TABLE crm_customer_pool_receipt (
    id      BIGSERIAL PRIMARY KEY,
    pool_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    day     TEXT    NOT NULL,
    num     BIGINT NOT NULL,
    UNIQUE (pool_id, user_id, day)
);
ALTER TABLE crm_customer ADD COLUMN pool_id BIGINT;
CREATE INDEX crm_customer_in_pool ON crm_customer (pool_id, customer_id);

INSERT INTO crm_customer_pool (pool_name, remind_day, put_in_rule, create_time) VALUES (
    '系统默认公海',
    CASE WHEN (SELECT value FROM admin_config WHERE name = 'putInPoolRemindConfig') = '1'
         THEN COALESCE((SELECT CAST(value AS BIGINT) FROM admin_config WHERE name = 'putInPoolRemindDays'), 3) END,
    COALESCE((SELECT CAST(value AS BIGINT) FROM admin_config WHERE name = 'customerPoolSetting'), 0),
    date_trunc('second', now() AT TIME ZONE 'UTC'));
INSERT INTO crm_customer_pool_rule (pool_id, type, deal_handle, business_handle, limit_day) VALUES
    (1, 1, 0, 1, COALESCE((SELECT CAST(value AS BIGINT) FROM admin_config WHERE name = 'customerPoolSettingFollowupDays'), 7)),
    (1, 3, 0, 1, COALESCE((SELECT CAST(value AS BIGINT) FROM admin_config WHERE name = 'customerPoolSettingDealDays'), 3));
UPDATE crm_customer SET pool_id = 1 WHERE owner_user_id IS NULL;
DELETE FROM admin_config WHERE name IN ('customerPoolSetting', 'customerPoolSettingFollowupDays',
    'customerPoolSettingDealDays', 'putInPoolRemindConfig', 'putInPoolRemindDays');
