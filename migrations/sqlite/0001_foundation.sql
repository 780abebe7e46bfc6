-- wkcrm foundation schema (SQLite). Datetimes are UTC, stored as 'YYYY-MM-DD HH:MM:SS'
-- text; money is integer fen; custom-field values live in the JSON column `custom`.

CREATE TABLE admin_dept (
    dept_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    pid           INTEGER NOT NULL DEFAULT 0,
    name          TEXT    NOT NULL,
    num           INTEGER NOT NULL DEFAULT 0,
    remark        TEXT    NOT NULL DEFAULT '',
    owner_user_id INTEGER
);
INSERT INTO admin_dept (dept_id, pid, name) VALUES (1, 0, '全公司');

CREATE TABLE admin_user (
    user_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT    NOT NULL UNIQUE,
    password        TEXT    NOT NULL,
    realname        TEXT    NOT NULL DEFAULT '',
    mobile          TEXT    NOT NULL DEFAULT '',
    email           TEXT,
    sex             INTEGER,
    img             TEXT,
    num             TEXT,
    post            TEXT,
    dept_id         INTEGER,
    parent_id       INTEGER,
    status          INTEGER NOT NULL DEFAULT 1,
    is_admin        INTEGER NOT NULL DEFAULT 0,
    create_time     TEXT    NOT NULL,
    last_login_time TEXT,
    last_login_ip   TEXT
);
CREATE INDEX admin_user_dept ON admin_user (dept_id);
CREATE INDEX admin_user_parent ON admin_user (parent_id);

-- Login tokens, shared by every instance. Only the SHA-256 of a token is stored.
CREATE TABLE admin_session (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    create_time TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX admin_session_user ON admin_session (user_id);

CREATE TABLE admin_login_failure (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    username  TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX admin_login_failure_user ON admin_login_failure (username, failed_at);

-- Custom-field catalogue. Values are stored in each record's `custom` JSON column,
-- keyed by the field's Chinese name.
CREATE TABLE crm_field (
    field_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    label         INTEGER NOT NULL,
    field_name    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    form_type     TEXT    NOT NULL,
    options       TEXT    NOT NULL DEFAULT '',
    is_null       INTEGER NOT NULL DEFAULT 0,
    is_unique     INTEGER NOT NULL DEFAULT 0,
    default_value TEXT    NOT NULL DEFAULT '',
    input_tips    TEXT,
    max_length    INTEGER,
    sorting       INTEGER NOT NULL DEFAULT 1,
    is_hidden     INTEGER NOT NULL DEFAULT 0,
    field_type    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (label, name)
);

CREATE TABLE crm_leads (
    leads_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    leads_name     TEXT    NOT NULL,
    mobile         TEXT,
    telephone      TEXT,
    email          TEXT,
    address        TEXT,
    remark         TEXT,
    next_time      TEXT,
    is_transform   INTEGER NOT NULL DEFAULT 0,
    customer_id    INTEGER,
    followup       INTEGER,
    owner_user_id  INTEGER,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL,
    update_time    TEXT    NOT NULL,
    batch_id       TEXT    NOT NULL,
    last_time      TEXT,
    last_content   TEXT,
    custom         TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_leads_list ON crm_leads (is_transform, update_time, leads_id);
-- Narrow, so that counting the default list (unconverted leads) reads few pages.
CREATE INDEX crm_leads_transform ON crm_leads (is_transform);
CREATE INDEX crm_leads_update ON crm_leads (update_time, leads_id);
-- Date ranges with the default order: the index alone answers the page's ids.
CREATE INDEX crm_leads_create ON crm_leads (create_time, is_transform, owner_user_id, update_time);
CREATE INDEX crm_leads_owner ON crm_leads (owner_user_id, is_transform, update_time);
CREATE INDEX crm_leads_mobile ON crm_leads (mobile);
CREATE INDEX crm_leads_name ON crm_leads (leads_name);
CREATE INDEX crm_leads_next ON crm_leads (next_time, is_transform, owner_user_id, update_time);

CREATE TABLE crm_customer (
    customer_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_name     TEXT    NOT NULL,
    mobile            TEXT,
    telephone         TEXT,
    website           TEXT,
    email             TEXT,
    remark            TEXT,
    address           TEXT,
    detail_address    TEXT,
    location          TEXT,
    lng               TEXT,
    lat               TEXT,
    next_time         TEXT,
    deal_status       INTEGER NOT NULL DEFAULT 0,
    deal_time         TEXT,
    is_lock           INTEGER NOT NULL DEFAULT 0,
    status            INTEGER NOT NULL DEFAULT 1,
    contacts_id       INTEGER,
    followup          INTEGER,
    owner_user_id     INTEGER,
    create_user_id    INTEGER NOT NULL,
    create_time       TEXT    NOT NULL,
    update_time       TEXT    NOT NULL,
    batch_id          TEXT    NOT NULL,
    last_time         TEXT,
    last_content      TEXT,
    pool_time         TEXT,
    is_receive        INTEGER,
    receive_time      TEXT,
    pre_owner_user_id INTEGER,
    custom            TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_customer_update ON crm_customer (update_time, customer_id);
CREATE INDEX crm_customer_create ON crm_customer (create_time, owner_user_id, update_time);
CREATE INDEX crm_customer_next ON crm_customer (next_time, owner_user_id, update_time);
CREATE INDEX crm_customer_owner ON crm_customer (owner_user_id, update_time);
CREATE INDEX crm_customer_name ON crm_customer (customer_name);
CREATE INDEX crm_customer_mobile ON crm_customer (mobile);
CREATE INDEX crm_customer_deal ON crm_customer (deal_status);

CREATE TABLE crm_contacts (
    contacts_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL,
    customer_id    INTEGER,
    mobile         TEXT,
    telephone      TEXT,
    email          TEXT,
    post           TEXT,
    address        TEXT,
    remark         TEXT,
    next_time      TEXT,
    owner_user_id  INTEGER,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL,
    update_time    TEXT    NOT NULL,
    batch_id       TEXT    NOT NULL,
    last_time      TEXT,
    last_content   TEXT,
    custom         TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_contacts_update ON crm_contacts (update_time, contacts_id);
CREATE INDEX crm_contacts_create ON crm_contacts (create_time, owner_user_id, update_time);
CREATE INDEX crm_contacts_next ON crm_contacts (next_time, owner_user_id, update_time);
CREATE INDEX crm_contacts_owner ON crm_contacts (owner_user_id, update_time);
CREATE INDEX crm_contacts_customer ON crm_contacts (customer_id);
CREATE INDEX crm_contacts_name ON crm_contacts (name);
CREATE INDEX crm_contacts_mobile ON crm_contacts (mobile);

CREATE TABLE crm_business_type (
    type_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT    NOT NULL,
    status  INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE crm_business_status (
    status_id INTEGER PRIMARY KEY AUTOINCREMENT,
    type_id   INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    rate      TEXT,
    order_num INTEGER NOT NULL
);
INSERT INTO crm_business_type (type_id, name) VALUES (1, '销售流程商机组');
INSERT INTO crm_business_status (type_id, name, rate, order_num) VALUES
    (1, '验证客户', '20', 1), (1, '需求分析', '30', 2), (1, '方案/报价', '80', 3);

CREATE TABLE crm_business (
    business_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    business_name  TEXT    NOT NULL,
    customer_id    INTEGER,
    contacts_id    INTEGER,
    type_id        INTEGER,
    status_id      INTEGER,
    deal_date      TEXT,
    money          INTEGER,
    discount_rate  INTEGER NOT NULL DEFAULT 0,
    total_price    INTEGER NOT NULL DEFAULT 0,
    remark         TEXT,
    is_end         INTEGER NOT NULL DEFAULT 0,
    status_remark  TEXT,
    status         INTEGER NOT NULL DEFAULT 1,
    next_time      TEXT,
    followup       INTEGER,
    owner_user_id  INTEGER,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL,
    update_time    TEXT    NOT NULL,
    batch_id       TEXT    NOT NULL,
    last_time      TEXT,
    last_content   TEXT,
    custom         TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_business_update ON crm_business (update_time, business_id);
CREATE INDEX crm_business_create ON crm_business (create_time, owner_user_id, update_time);
CREATE INDEX crm_business_next ON crm_business (next_time, owner_user_id, update_time);
CREATE INDEX crm_business_owner ON crm_business (owner_user_id, update_time);
CREATE INDEX crm_business_customer ON crm_business (customer_id);
CREATE INDEX crm_business_name ON crm_business (business_name);

-- Team members (团队成员) of customers, contacts and business; power 1 read-only, 2 read-write.
CREATE TABLE crm_team_member (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    label        INTEGER NOT NULL,
    record_id    INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    power        INTEGER NOT NULL,
    expires_time TEXT,
    create_time  TEXT    NOT NULL,
    UNIQUE (label, record_id, user_id)
);
CREATE INDEX crm_team_member_user ON crm_team_member (user_id, label);

-- One version for all CRM data, moved on after every committed write; cached list counts
-- are valid only for the version they were counted at (src/store/counts.rs).
CREATE TABLE crm_data_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO crm_data_version (id, version) VALUES (1, 0);
