-- Ownership limits (客户规则): how many customers a user may own (type 1) or keep locked
-- (type 2), for listed users or departments; each user or department in one rule per type.
CREATE TABLE crm_customer_setting (
    setting_id    BIGSERIAL PRIMARY KEY,
    setting_name  TEXT    NOT NULL,
    type          BIGINT  NOT NULL,
    customer_num  BIGINT  NOT NULL,
    customer_deal BIGINT  NOT NULL DEFAULT 0,
    create_time   TIMESTAMP    NOT NULL
);
CREATE TABLE crm_customer_setting_user (
    id         BIGSERIAL PRIMARY KEY,
    setting_id BIGINT  NOT NULL,
    type       BIGINT  NOT NULL,
    user_id    BIGINT,
    dept_id    BIGINT
);
CREATE INDEX crm_customer_setting_user_setting ON crm_customer_setting_user (setting_id);
