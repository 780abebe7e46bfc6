-- Roles, their operation rights (menus) and data scope, and the users holding them.

CREATE TABLE admin_role (
    role_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    role_name TEXT    NOT NULL,
    -- 1 管理角色, 2 客户管理角色, 0 自定义
    role_type INTEGER NOT NULL DEFAULT 2,
    -- 1 本人, 2 本人及下属, 3 本部门, 4 本部门及下属部门, 5 全部
    data_type INTEGER NOT NULL DEFAULT 1,
    remark    TEXT    NOT NULL DEFAULT '',
    status    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE admin_user_role (
    user_id INTEGER NOT NULL,
    role_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX admin_user_role_role ON admin_user_role (role_id);

-- The rights tree (WukongCRM 9 menu ids): a module node (realm `leads`) under `crm`, and one
-- button node per operation (realm `index`, `read`, …) under each module.
CREATE TABLE admin_menu (
    menu_id   INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL DEFAULT 0,
    menu_name TEXT    NOT NULL,
    realm     TEXT    NOT NULL,
    menu_type INTEGER NOT NULL,
    sort      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE admin_role_menu (
    role_id INTEGER NOT NULL,
    menu_id INTEGER NOT NULL,
    PRIMARY KEY (role_id, menu_id)
);

INSERT INTO admin_menu (menu_id, parent_id, menu_name, realm, menu_type, sort) VALUES
    (1, 0, '客户管理', 'crm', 1, 1),
    (9, 1, '线索管理', 'leads', 1, 1),
    (17, 9, '新建', 'save', 3, 1), (18, 9, '编辑', 'update', 3, 2), (19, 9, '查看列表', 'index', 3, 3),
    (20, 9, '查看详情', 'read', 3, 4), (21, 9, '导入', 'excelimport', 3, 5), (22, 9, '导出', 'excelexport', 3, 6),
    (23, 9, '删除', 'delete', 3, 7), (24, 9, '转移', 'transfer', 3, 8), (25, 9, '转化', 'transform', 3, 9),
    (10, 1, '客户管理', 'customer', 1, 2),
    (26, 10, '新建', 'save', 3, 1), (27, 10, '编辑', 'update', 3, 2), (28, 10, '查看列表', 'index', 3, 3),
    (29, 10, '查看详情', 'read', 3, 4), (30, 10, '导入', 'excelimport', 3, 5), (31, 10, '导出', 'excelexport', 3, 6),
    (32, 10, '删除', 'delete', 3, 7), (33, 10, '转移', 'transfer', 3, 8), (34, 10, '放入公海', 'putinpool', 3, 9),
    (35, 10, '锁定/解锁', 'lock', 3, 10), (36, 10, '编辑团队成员', 'teamsave', 3, 11),
    (191, 10, '更改成交状态', 'dealStatus', 3, 12),
    (11, 1, '联系人管理', 'contacts', 1, 3),
    (40, 11, '新建', 'save', 3, 1), (41, 11, '编辑', 'update', 3, 2), (42, 11, '查看列表', 'index', 3, 3),
    (43, 11, '查看详情', 'read', 3, 4), (44, 11, '删除', 'delete', 3, 5), (45, 11, '转移', 'transfer', 3, 6),
    (107, 11, '导出', 'excelexport', 3, 7), (108, 11, '导入', 'excelimport', 3, 8),
    (933, 11, '编辑团队成员', 'teamsave', 3, 9),
    (12, 1, '商机管理', 'business', 1, 4),
    (46, 12, '新建', 'save', 3, 1), (47, 12, '编辑', 'update', 3, 2), (48, 12, '查看列表', 'index', 3, 3),
    (49, 12, '查看详情', 'read', 3, 4), (50, 12, '删除', 'delete', 3, 5), (51, 12, '转移', 'transfer', 3, 6),
    (52, 12, '编辑团队成员', 'teamsave', 3, 7), (209, 12, '导出', 'excelexport', 3, 8),
    (210, 12, '导入', 'excelimport', 3, 9);

INSERT INTO admin_role (role_id, role_name, role_type, data_type, remark) VALUES
    (1, '超级管理员', 1, 5, '拥有全部权限'),
    (2, '销售经理', 2, 2, '本人及下属的数据'),
    (3, '销售员', 2, 1, '本人的数据');

-- 超级管理员 and 销售经理: every CRM right; 销售员: everything but delete and import.
INSERT INTO admin_role_menu (role_id, menu_id) SELECT 1, menu_id FROM admin_menu;
INSERT INTO admin_role_menu (role_id, menu_id) SELECT 2, menu_id FROM admin_menu;
INSERT INTO admin_role_menu (role_id, menu_id)
    SELECT 3, menu_id FROM admin_menu WHERE realm NOT IN ('delete', 'excelimport');

-- Existing administrators hold 超级管理员.
INSERT INTO admin_user_role (user_id, role_id) SELECT user_id, 1 FROM admin_user WHERE is_admin = 1;
