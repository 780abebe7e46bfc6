-- Spreadsheet imports (导入) as jobs in the database, so that any instance reports one and
-- a restarted instance finishes or fails it: the uploaded file, its header, the progress
-- committed with each batch of rows (next_row: data rows done), and the claim of the
-- instance working on it (worker, heartbeat).
CREATE TABLE crm_import (
    import_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    label          INTEGER NOT NULL,
    create_user_id INTEGER NOT NULL,
    owner_user_id  INTEGER,
    pool_id        INTEGER,
    repeat_handling INTEGER NOT NULL DEFAULT 1,
    file_name      TEXT    NOT NULL,
    content        BLOB   NOT NULL,
    header         TEXT    NOT NULL DEFAULT '[]',
    -- 0 running, 1 finished, 2 failed, 3 cancelled
    status         INTEGER NOT NULL DEFAULT 0,
    message        TEXT    NOT NULL DEFAULT '',
    total          INTEGER,
    next_row       INTEGER NOT NULL DEFAULT 0,
    done           INTEGER NOT NULL DEFAULT 0,
    errors         INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    skipped        INTEGER NOT NULL DEFAULT 0,
    worker         TEXT,
    heartbeat      TEXT,
    create_time    TEXT NOT NULL
);
CREATE INDEX crm_import_status ON crm_import (status);

-- The rows an import refused, as uploaded, with the reason.
CREATE TABLE crm_import_error (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    reason    TEXT    NOT NULL,
    cells     TEXT    NOT NULL
);
CREATE INDEX crm_import_error_import ON crm_import_error (import_id, row_no);

-- Import and export rights J9 has and the first seed lacked: products (导入, 导出) and the
-- pool (导出). 销售经理 gets them all, 销售员 the exports.
INSERT INTO admin_menu (menu_id, parent_id, menu_name, realm, menu_type, sort) VALUES
    (109, 15, '导入', 'excelimport', 3, 7), (110, 15, '导出', 'excelexport', 3, 8),
    (604, 600, '导出', 'excelexport', 3, 4);
INSERT INTO admin_role_menu (role_id, menu_id) VALUES
    (1, 109), (1, 110), (1, 604), (2, 109), (2, 110), (2, 604), (3, 110), (3, 604);
