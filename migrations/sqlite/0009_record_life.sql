-- A record's life: follow-ups (跟进记录) with the records they also show on, the
-- append-only history (操作记录), stars (关注) and system settings (follow-up types).

CREATE TABLE crm_follow_record (
    record_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    label          INTEGER NOT NULL,
    target_id      INTEGER NOT NULL,
    content        TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    next_time      TEXT,
    business_ids   TEXT,
    contacts_ids   TEXT,
    batch_id       TEXT    NOT NULL,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL
);
CREATE INDEX crm_follow_record_target ON crm_follow_record (label, target_id);

-- Every timeline a follow-up shows on: its own record's, and for a customer's follow-up
-- those of the contacts and business it names. A timeline page is one index range.
CREATE TABLE crm_follow_link (
    link_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    label     INTEGER NOT NULL,
    target_id INTEGER NOT NULL,
    record_id INTEGER NOT NULL
);
CREATE INDEX crm_follow_link_timeline ON crm_follow_link (label, target_id, record_id);
CREATE INDEX crm_follow_link_record ON crm_follow_link (record_id);

CREATE TABLE crm_action_record (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    label          INTEGER NOT NULL,
    action_id      INTEGER NOT NULL,
    create_user_id INTEGER NOT NULL,
    create_time    TEXT    NOT NULL,
    content        TEXT    NOT NULL
);
CREATE INDEX crm_action_record_target ON crm_action_record (label, action_id, id);

CREATE TABLE crm_star (
    star_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL,
    label     INTEGER NOT NULL,
    record_id INTEGER NOT NULL,
    UNIQUE (user_id, label, record_id)
);
CREATE INDEX crm_star_record ON crm_star (label, record_id);

CREATE TABLE admin_config (
    config_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    sort      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX admin_config_name ON admin_config (name, sort);
INSERT INTO admin_config (name, value, sort) VALUES
    ('followRecordOption', '打电话', 1),
    ('followRecordOption', '发短信', 2),
    ('followRecordOption', '上门拜访', 3);
