-- The public pool's rights (公海管理): list, receive, distribute. 销售经理 gets all three,
-- 销售员 list and receive.
INSERT INTO admin_menu (menu_id, parent_id, menu_name, realm, menu_type, sort) VALUES
    (600, 1, '公海管理', 'pool', 1, 5),
    (601, 600, '查看列表', 'index', 3, 1), (602, 600, '领取', 'receive', 3, 2),
    (603, 600, '分配', 'distribute', 3, 3);
INSERT INTO admin_role_menu (role_id, menu_id) VALUES
    (1, 600), (1, 601), (1, 602), (1, 603),
    (2, 600), (2, 601), (2, 602), (2, 603),
    (3, 600), (3, 601), (3, 602);
