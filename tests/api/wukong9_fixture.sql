-- A small WukongCRM 9 database for the migration tests: the tables and columns
-- `migrate-from-wukong` reads, with rows covering every mapped table, every custom field
-- type wkcrm takes, and rows that must be reported rather than migrated (orphans,
-- malformed values, unsupported field types, modules wkcrm does not have).

CREATE TABLE `72crm_admin_dept` (
  `dept_id` int(11) NOT NULL AUTO_INCREMENT, `pid` int(11) DEFAULT 0, `name` varchar(64) NOT NULL,
  `num` int(4) DEFAULT NULL, `remark` varchar(64) DEFAULT '', PRIMARY KEY (`dept_id`));
CREATE TABLE `72crm_admin_user` (
  `user_id` bigint(20) NOT NULL AUTO_INCREMENT, `username` varchar(50) DEFAULT NULL,
  `password` varchar(64) DEFAULT NULL, `salt` varchar(32) DEFAULT NULL, `img` varchar(200) DEFAULT NULL,
  `create_time` datetime DEFAULT NULL, `realname` varchar(100) DEFAULT NULL, `num` varchar(100) DEFAULT NULL,
  `mobile` varchar(20) NOT NULL, `email` varchar(50) DEFAULT NULL, `sex` int(1) DEFAULT NULL,
  `dept_id` int(11) DEFAULT NULL, `post` varchar(50) DEFAULT NULL, `status` int(3) DEFAULT 2,
  `parent_id` bigint(20) DEFAULT NULL, `last_login_time` datetime DEFAULT NULL,
  `last_login_ip` varchar(30) DEFAULT NULL, PRIMARY KEY (`user_id`));
CREATE TABLE `72crm_admin_role` (
  `role_id` int(11) NOT NULL AUTO_INCREMENT, `role_name` varchar(32) DEFAULT NULL, `role_type` int(11) DEFAULT NULL,
  `remark` varchar(100) DEFAULT NULL, `status` int(3) DEFAULT 1, `data_type` int(1) NOT NULL DEFAULT 5,
  PRIMARY KEY (`role_id`));
CREATE TABLE `72crm_admin_user_role` (
  `id` int(11) NOT NULL AUTO_INCREMENT, `user_id` bigint(20) NOT NULL, `role_id` int(11) NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `72crm_admin_role_menu` (
  `id` int(11) NOT NULL AUTO_INCREMENT, `role_id` int(11) NOT NULL, `menu_id` int(11) NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `72crm_admin_field` (
  `field_id` int(11) NOT NULL AUTO_INCREMENT, `field_name` varchar(30) DEFAULT NULL, `name` varchar(30) NOT NULL DEFAULT '',
  `type` int(2) NOT NULL DEFAULT 1, `label` int(2) NOT NULL, `input_tips` varchar(255) DEFAULT NULL,
  `max_length` int(12) DEFAULT NULL, `default_value` varchar(255) DEFAULT '', `is_unique` int(1) DEFAULT 0,
  `is_null` int(1) DEFAULT 0, `sorting` int(5) DEFAULT 1, `options` longtext, `field_type` int(2) NOT NULL DEFAULT 0,
  PRIMARY KEY (`field_id`));
CREATE TABLE `72crm_admin_fieldv` (
  `id` int(11) NOT NULL AUTO_INCREMENT, `field_id` int(11) DEFAULT NULL, `name` varchar(255) DEFAULT NULL,
  `value` longtext, `create_time` datetime DEFAULT NULL, `batch_id` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`id`), KEY `batch_id` (`batch_id`));
CREATE TABLE `72crm_crm_product_category` (
  `category_id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(200) DEFAULT '', `pid` int(11) DEFAULT 0,
  PRIMARY KEY (`category_id`));
CREATE TABLE `72crm_crm_product` (
  `product_id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(255) NOT NULL, `num` varchar(255) DEFAULT NULL,
  `unit` varchar(255) DEFAULT NULL, `price` decimal(18,2) DEFAULT NULL, `status` int(1) DEFAULT 0,
  `category_id` int(11) DEFAULT NULL, `description` text, `create_user_id` bigint(20) NOT NULL,
  `owner_user_id` bigint(20) DEFAULT NULL, `create_time` datetime NOT NULL, `update_time` datetime DEFAULT NULL,
  `batch_id` varchar(32) NOT NULL, PRIMARY KEY (`product_id`));
CREATE TABLE `72crm_crm_business_type` (
  `type_id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(50) NOT NULL, `dept_ids` varchar(255) NOT NULL,
  `create_user_id` bigint(20) NOT NULL, `create_time` datetime NOT NULL, `update_time` datetime DEFAULT NULL,
  `status` int(1) NOT NULL DEFAULT 1, PRIMARY KEY (`type_id`));
CREATE TABLE `72crm_crm_business_status` (
  `status_id` int(11) NOT NULL AUTO_INCREMENT, `type_id` int(11) NOT NULL, `name` varchar(50) NOT NULL,
  `rate` varchar(20) DEFAULT NULL, `order_num` int(4) DEFAULT NULL, PRIMARY KEY (`status_id`));
CREATE TABLE `72crm_crm_customer` (
  `customer_id` int(11) NOT NULL AUTO_INCREMENT, `customer_name` varchar(255) NOT NULL, `followup` int(11) DEFAULT NULL,
  `is_lock` int(1) NOT NULL DEFAULT 0, `next_time` datetime DEFAULT NULL, `deal_status` int(4) NOT NULL DEFAULT 0,
  `mobile` varchar(255) DEFAULT NULL, `telephone` varchar(255) DEFAULT '', `website` varchar(500) DEFAULT '',
  `remark` varchar(500) DEFAULT '', `create_user_id` bigint(20) DEFAULT NULL, `owner_user_id` bigint(20) DEFAULT NULL,
  `ro_user_id` longtext, `rw_user_id` longtext, `address` varchar(255) DEFAULT '', `location` varchar(255) DEFAULT '',
  `detail_address` varchar(255) DEFAULT '', `lng` varchar(255) DEFAULT '', `lat` varchar(255) DEFAULT '',
  `create_time` datetime NOT NULL, `update_time` datetime DEFAULT NULL, `batch_id` varchar(32) NOT NULL,
  `last_content` varchar(1024) DEFAULT NULL, PRIMARY KEY (`customer_id`));
CREATE TABLE `72crm_crm_leads` (
  `leads_id` int(11) NOT NULL AUTO_INCREMENT, `is_transform` int(1) DEFAULT 0, `followup` int(11) DEFAULT NULL,
  `leads_name` varchar(255) NOT NULL, `customer_id` int(11) DEFAULT NULL, `next_time` datetime DEFAULT NULL,
  `telephone` varchar(20) DEFAULT NULL, `mobile` varchar(50) DEFAULT NULL, `address` varchar(500) DEFAULT '',
  `remark` varchar(50) DEFAULT '', `create_user_id` bigint(20) NOT NULL, `owner_user_id` bigint(20) DEFAULT NULL,
  `create_time` datetime DEFAULT NULL, `update_time` datetime DEFAULT NULL, `batch_id` varchar(32) NOT NULL,
  `last_content` varchar(1024) DEFAULT NULL, PRIMARY KEY (`leads_id`));
CREATE TABLE `72crm_crm_contacts` (
  `contacts_id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(50) DEFAULT NULL, `next_time` datetime DEFAULT NULL,
  `mobile` varchar(255) DEFAULT '', `telephone` varchar(255) DEFAULT '', `email` varchar(255) DEFAULT NULL,
  `post` varchar(255) DEFAULT NULL, `customer_id` int(11) NOT NULL, `address` varchar(500) DEFAULT '',
  `remark` varchar(500) DEFAULT '', `create_user_id` bigint(20) DEFAULT NULL, `owner_user_id` bigint(20) DEFAULT NULL,
  `create_time` datetime DEFAULT NULL, `update_time` datetime DEFAULT NULL, `batch_id` varchar(32) NOT NULL,
  PRIMARY KEY (`contacts_id`));
CREATE TABLE `72crm_crm_business` (
  `business_id` int(11) NOT NULL AUTO_INCREMENT, `type_id` int(11) DEFAULT NULL, `status_id` int(11) DEFAULT NULL,
  `next_time` datetime DEFAULT NULL, `customer_id` int(11) NOT NULL, `deal_date` datetime DEFAULT NULL,
  `business_name` varchar(50) NOT NULL, `money` decimal(18,2) DEFAULT NULL, `discount_rate` decimal(10,2) DEFAULT NULL,
  `total_price` decimal(10,2) DEFAULT NULL, `remark` varchar(500) DEFAULT '', `create_user_id` bigint(20) NOT NULL,
  `owner_user_id` bigint(20) DEFAULT NULL, `create_time` datetime NOT NULL, `update_time` datetime DEFAULT NULL,
  `batch_id` varchar(32) DEFAULT NULL, `ro_user_id` longtext NOT NULL, `rw_user_id` longtext NOT NULL,
  `is_end` int(4) NOT NULL DEFAULT 0, `status_remark` varchar(500) DEFAULT '', PRIMARY KEY (`business_id`));
CREATE TABLE `72crm_crm_business_product` (
  `r_id` int(11) NOT NULL AUTO_INCREMENT, `business_id` int(11) NOT NULL, `product_id` int(11) NOT NULL,
  `price` decimal(18,2) NOT NULL, `sales_price` decimal(18,2) NOT NULL, `num` int(10) NOT NULL,
  `discount` decimal(10,2) NOT NULL, `subtotal` decimal(18,2) NOT NULL, `unit` varchar(50) DEFAULT '',
  PRIMARY KEY (`r_id`));
CREATE TABLE `72crm_crm_contacts_business` (
  `id` int(11) NOT NULL AUTO_INCREMENT, `business_id` int(11) NOT NULL, `contacts_id` int(11) NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `72crm_admin_record` (
  `record_id` int(11) NOT NULL AUTO_INCREMENT, `types` varchar(50) NOT NULL, `types_id` int(11) NOT NULL,
  `content` varchar(1000) NOT NULL, `category` varchar(255) NOT NULL, `next_time` datetime DEFAULT NULL,
  `business_ids` varchar(255) DEFAULT NULL, `contacts_ids` varchar(255) DEFAULT NULL, `create_time` datetime NOT NULL,
  `update_time` datetime DEFAULT NULL, `create_user_id` bigint(20) NOT NULL, `batch_id` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`record_id`));
CREATE TABLE `72crm_crm_action_record` (
  `id` int(11) NOT NULL AUTO_INCREMENT, `create_user_id` bigint(20) NOT NULL, `create_time` datetime NOT NULL,
  `types` varchar(20) NOT NULL, `action_id` int(11) NOT NULL, `content` text NOT NULL, PRIMARY KEY (`id`));
CREATE TABLE `72crm_admin_scene` (
  `scene_id` int(10) NOT NULL AUTO_INCREMENT, `type` int(5) NOT NULL, `name` varchar(50) NOT NULL,
  `user_id` bigint(20) NOT NULL, `sort` int(5) NOT NULL, `data` text NOT NULL, `is_hide` int(1) NOT NULL,
  `is_system` int(1) NOT NULL, `bydata` varchar(50) DEFAULT NULL, `create_time` datetime NOT NULL,
  `update_time` datetime DEFAULT NULL, PRIMARY KEY (`scene_id`));
CREATE TABLE `72crm_admin_scene_default` (
  `default_id` int(11) NOT NULL AUTO_INCREMENT, `type` int(5) NOT NULL, `user_id` bigint(20) NOT NULL,
  `scene_id` int(11) NOT NULL, PRIMARY KEY (`default_id`));
CREATE TABLE `72crm_admin_file` (
  `file_id` int(11) NOT NULL AUTO_INCREMENT, `name` varchar(255) NOT NULL, `size` int(10) NOT NULL,
  `create_user_id` bigint(20) NOT NULL, `create_time` datetime NOT NULL, `path` varchar(255) DEFAULT NULL,
  `file_path` varchar(200) NOT NULL, `file_type` varchar(10) DEFAULT 'file', `batch_id` varchar(50) DEFAULT NULL,
  PRIMARY KEY (`file_id`));

INSERT INTO `72crm_admin_dept` VALUES (1, 0, '全公司', 1, ''), (2, 1, '华东销售部', 2, '上海');
-- admin / 123456a and zhangsan / zs-pass-1, hashed as WukongCRM 9 does; lisi is disabled,
-- wangwu has no password; the nameless user is malformed.
INSERT INTO `72crm_admin_user` VALUES
  (1, 'admin', '79eec976c505d7c013bc9311a53a7a9e', 'salt-admin', NULL, '2019-05-01 09:00:00', '管理员', 'A001', '13900000001', 'admin@example.com', 1, 1, '总经理', 1, 0, '2020-01-02 08:00:00', '10.0.0.1'),
  (2, 'zhangsan', 'b54fabafaceff2c6b4bbc590b9aefc9c', 'salt-zs', NULL, '2019-06-01 09:00:00', '张三', 'S002', '13900000002', NULL, 1, 2, '销售', 2, 1, NULL, NULL),
  (3, 'lisi', 'ffffffffffffffffffffffffffffffff', 'salt-ls', NULL, '2019-06-02 09:00:00', '李四', 'S003', '13900000003', NULL, 2, 2, '销售', 0, 2, NULL, NULL),
  (4, 'wangwu', NULL, NULL, NULL, NULL, '王五', NULL, '13900000004', NULL, NULL, 2, NULL, 1, 2, NULL, NULL),
  (5, NULL, NULL, NULL, NULL, NULL, '无名', NULL, '', NULL, NULL, NULL, NULL, 1, NULL, NULL, NULL);
INSERT INTO `72crm_admin_role` VALUES (1, '超级管理员', 1, '', 1, 5), (7, '华东销售', 2, '本部门', 1, 3);
INSERT INTO `72crm_admin_user_role` VALUES (1, 1, 1), (2, 2, 7), (3, 3, 7), (4, 99, 7);
-- 9 线索管理, 17 新建 and 19 查看列表 exist in wkcrm; 9999 (an OA right) does not.
INSERT INTO `72crm_admin_role_menu` VALUES (1, 7, 9), (2, 7, 17), (3, 7, 19), (4, 7, 9999);

INSERT INTO `72crm_admin_field` VALUES
  (1, 'leads_name', '线索名称', 1, 1, NULL, 255, '', 0, 1, 1, NULL, 1),
  (100, '行业', '行业', 3, 1, NULL, NULL, '', 0, 0, 10, 'IT,金融,制造', 0),
  (101, '预算', '预算', 5, 1, NULL, NULL, '', 0, 0, 11, NULL, 0),
  (102, '签约日期', '签约日期', 4, 1, NULL, NULL, '', 0, 0, 12, NULL, 0),
  (103, '备注详情', '备注详情', 2, 2, NULL, 800, '', 0, 0, 10, NULL, 0),
  (104, '客户标签', '客户标签', 9, 2, NULL, NULL, '', 0, 0, 11, 'VIP,老客户,渠道', 0),
  (105, '年营收', '年营收', 6, 2, NULL, NULL, '', 0, 0, 12, NULL, 0),
  (106, '对接人', '对接人', 10, 2, NULL, NULL, '', 0, 0, 13, NULL, 0),
  (107, '首次拜访', '首次拜访', 13, 2, NULL, NULL, '', 0, 0, 14, NULL, 0),
  (108, '备用手机', '备用手机', 7, 3, NULL, NULL, '', 0, 0, 10, NULL, 0),
  (109, '私人邮箱', '私人邮箱', 14, 3, NULL, NULL, '', 0, 0, 11, NULL, 0),
  (110, '负责部门', '负责部门', 12, 5, NULL, NULL, '', 0, 0, 10, NULL, 0),
  (111, '产地', '产地', 1, 4, NULL, NULL, '', 0, 0, 10, NULL, 0),
  (112, '合同附件', '合同附件', 8, 1, NULL, NULL, '', 0, 0, 13, NULL, 0),
  (113, '合同类型', '合同类型', 1, 6, NULL, NULL, '', 0, 0, 10, NULL, 0);
INSERT INTO `72crm_admin_fieldv` (`id`, `field_id`, `name`, `value`, `create_time`, `batch_id`) VALUES
  (1, 100, '行业', 'IT', '2020-01-01 10:00:00', 'b-leads-927847'),
  (2, 101, '预算', '5000', '2020-01-01 10:00:00', 'b-leads-927847'),
  (3, 102, '签约日期', '2020-05-01', '2020-01-01 10:00:00', 'b-leads-927847'),
  (4, 101, '预算', 'abc', '2020-01-01 10:00:00', 'b-leads-927849'),
  (5, 112, '合同附件', 'f-1', '2020-01-01 10:00:00', 'b-leads-927847'),
  (6, 103, '备注详情', '长期合作伙伴', '2020-01-01 10:00:00', 'b-cust-100'),
  (7, 104, '客户标签', 'VIP,老客户', '2020-01-01 10:00:00', 'b-cust-100'),
  (8, 105, '年营收', '1234.56', '2020-01-01 10:00:00', 'b-cust-100'),
  (9, 106, '对接人', '2', '2020-01-01 10:00:00', 'b-cust-100'),
  (10, 107, '首次拜访', '2020-03-04 15:30:00', '2020-01-01 10:00:00', 'b-cust-100'),
  (11, 108, '备用手机', '13812345678', '2020-01-01 10:00:00', 'b-cont-500'),
  (12, 109, '私人邮箱', 'wang@example.com', '2020-01-01 10:00:00', 'b-cont-500'),
  (13, 110, '负责部门', '2', '2020-01-01 10:00:00', 'b-bus-300'),
  (14, 111, '产地', '苏州', '2020-01-01 10:00:00', 'b-prod-1'),
  (15, 104, '客户标签', '不存在的选项', '2020-01-01 10:00:00', 'b-cust-101'),
  (16, 100, '行业', 'IT', '2020-01-01 10:00:00', 'b-leads-927848');

INSERT INTO `72crm_crm_product_category` VALUES (1, '默认', 0), (20, '软件', 1);
INSERT INTO `72crm_crm_product` VALUES
  (1, 'CRM 标准版', 'P-001', '套', 12.50, 1, 20, '一年授权', 1, 1, '2020-01-01 10:00:00', '2020-01-02 10:00:00', 'b-prod-1'),
  (2, '实施服务', 'P-002', '天', 3000.00, 0, 20, NULL, 1, 1, '2020-01-01 10:00:00', NULL, 'b-prod-2');
INSERT INTO `72crm_crm_business_type` VALUES (5, '大客户流程', ',1,2,', 1, '2020-01-01 10:00:00', NULL, 1);
INSERT INTO `72crm_crm_business_status` VALUES (11, 5, '初步接触', '10', 1), (12, 5, '方案报价', '50', 2), (13, 77, '孤立阶段', '1', 1);

INSERT INTO `72crm_crm_customer` VALUES
  (100, '上海某某科技', 1, 0, '2020-02-01 10:00:00', 0, '13700000100', '021-100', 'https://a.example', '重点', 1, 2, ',1,', ',3,', '上海市', '', '张江', '121.6', '31.2', '2020-01-01 10:00:00', '2020-01-05 10:00:00', 'b-cust-100', '电话沟通'),
  (101, '公海里的客户', 0, 0, NULL, 0, NULL, '', '', '', 1, NULL, NULL, NULL, '', '', '', '', '', '2020-01-01 11:00:00', '2020-01-01 11:00:00', 'b-cust-101', NULL),
  (102, '已成交锁定客户', 1, 1, NULL, 1, '13700000102', '', '', '', 2, 2, '', '', '', '', '', '', '', '2020-01-01 12:00:00', NULL, 'b-cust-102', NULL);
INSERT INTO `72crm_crm_leads` VALUES
  (927847, 0, 1, '线索甲', NULL, '2020-02-02 09:30:00', '021-555', '13600000001', '北京', '展会', 1, 2, '2020-01-01 08:00:00', '2020-01-03 08:00:00', 'b-leads-927847', '已电话'),
  (927848, 1, 1, '已转化线索', 100, NULL, NULL, '13600000002', '', '', 2, 2, '2020-01-01 09:00:00', '2020-01-01 09:00:00', 'b-leads-927848', NULL),
  (927849, 0, 0, '预算写错的线索', NULL, '0000-00-00 00:00:00', NULL, NULL, '', '', 2, 2, '2020-01-01 10:00:00', NULL, 'b-leads-927849', NULL);
INSERT INTO `72crm_crm_contacts` VALUES
  (500, '王经理', NULL, '13500000500', '', 'w@example.com', '采购', 100, '', '', 2, 2, '2020-01-02 10:00:00', '2020-01-02 10:00:00', 'b-cont-500'),
  (501, '孤儿联系人', NULL, '', '', NULL, NULL, 999, '', '', 2, 2, '2020-01-02 10:00:00', NULL, 'b-cont-501'),
  (502, NULL, NULL, '', '', NULL, NULL, 100, '', '', 2, 2, '2020-01-02 10:00:00', NULL, 'b-cont-502');
INSERT INTO `72crm_crm_business` VALUES
  (300, 5, 11, NULL, 100, '2020-06-30 00:00:00', '年度采购', 10000.00, 0.00, 25.00, '', 2, 2, '2020-01-03 10:00:00', '2020-01-03 10:00:00', 'b-bus-300', ',1,', ',3,', 0, ''),
  (301, 5, 11, NULL, 999, NULL, '客户已删的商机', 1.00, 0.00, 0.00, '', 2, 2, '2020-01-03 10:00:00', NULL, 'b-bus-301', '', '', 0, '');
INSERT INTO `72crm_crm_business_product` VALUES
  (1, 300, 1, 12.50, 12.50, 2, 100.00, 25.00, '套'),
  (2, 300, 99, 1.00, 1.00, 1, 100.00, 1.00, '个');
INSERT INTO `72crm_crm_contacts_business` VALUES (1, 300, 500), (2, 301, 500);
INSERT INTO `72crm_admin_record` VALUES
  (1, 'crm_customer', 100, '拜访了客户', '上门拜访', '2020-02-01 10:00:00', '300', '500', '2020-01-04 10:00:00', NULL, 2, 'b-rec-1'),
  (2, 'crm_leads', 927847, '电话沟通', '打电话', NULL, NULL, NULL, '2020-01-04 11:00:00', NULL, 2, NULL),
  (3, 'crm_customer', 999, '客户已删', '打电话', NULL, NULL, NULL, '2020-01-04 12:00:00', NULL, 2, NULL),
  (4, 'crm_contract', 1, '合同跟进', '打电话', NULL, NULL, NULL, '2020-01-04 13:00:00', NULL, 2, NULL);
INSERT INTO `72crm_crm_action_record` VALUES
  (1, 2, '2020-01-01 08:00:00', 'crm_leads', 927847, '["新建了线索"]'),
  (2, 1, '2020-01-05 10:00:00', 'crm_customer', 100, '将客户等级由空改为A'),
  (3, 1, '2020-01-05 10:00:00', 'crm_receivables', 5, '新建了回款');

-- The administrator's scenes: J9's system scenes as its queryScene created them (their rules
-- frozen into `data` with the ids of that day), custom scenes, and scenes to be reported.
INSERT INTO `72crm_admin_scene` VALUES
  (1, 1, '全部线索', 1, 0, '{"is_transform":{"name":"is_transform","condition":"is","value":0}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (2, 1, '我负责的线索', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"is","value":1},"is_transform":{"name":"is_transform","condition":"is","value":0}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (3, 1, '下属负责的线索', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"in","value":"2,3,4"},"is_transform":{"name":"is_transform","condition":"is","value":0}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (4, 1, '已转化的线索', 1, 0, '{"is_transform":{"name":"is_transform","condition":"is","value":"1"}}', 0, 1, 'transform', '2020-01-01 08:00:00', NULL),
  (5, 2, '全部客户', 1, 0, '', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (6, 2, '我负责的客户', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"is","value":1}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (7, 2, '下属负责的客户', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"in","value":"2,3,4"}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (8, 2, '我参与的客户', 1, 0, '{"ro_user_id":{"name":"ro_user_id","condition":"takePart","value":1}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (9, 4, '全部产品', 1, 0, '', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (10, 4, '上架的产品', 1, 0, '{"是否上下架":{"name":"是否上下架","condition":"is","value":"上架"}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (11, 4, '下架的产品', 1, 0, '{"是否上下架":{"name":"是否上下架","condition":"is","value":"下架"}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (12, 5, '全部商机', 1, 0, '', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (13, 5, '我负责的商机', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"is","value":1}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (14, 5, '下属负责的商机', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"in","value":"2,3,4"}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (15, 5, '我参与的商机', 1, 0, '{"ro_user_id":{"name":"ro_user_id","condition":"takePart","value":1}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (16, 3, '全部联系人', 1, 0, '', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (17, 3, '我负责的联系人', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"is","value":1}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (18, 3, '下属负责的联系人', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"in","value":"2,3,4"}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL),
  (20, 1, 'IT 行业线索', 1, 99999, '{"行业":{"condition":"is","value":"IT","formType":"select","name":"行业"}}', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (21, 2, '手机尾号0100', 1, 99999, '{"mobile":{"condition":"contains","value":"0100","formType":"text","name":"mobile"}}', 1, 0, NULL, '2020-02-01 08:00:00', NULL),
  (22, 4, '在售', 1, 99999, '{"是否上下架":{"condition":"is","value":"上架","formType":"select","name":"是否上下架"}}', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (23, 3, '某客户的联系人', 1, 99999, '{"customer_name":{"condition":"contains","value":"科技","formType":"customer","name":"customer_name"}}', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (24, 5, '大客户初步接触', 1, 99999, '{"type_id":{"typeId":5,"statusId":11,"formType":"business_type","name":"type_id"}}', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (25, 1, '坏条件', 1, 99999, 'not json', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (26, 6, '我的合同', 1, 99999, '', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (27, 1, '离职员工的场景', 99, 99999, '', 0, 0, NULL, '2020-02-01 08:00:00', NULL),
  (28, 1, '张三的线索', 1, 0, '{"owner_user_id":{"name":"owner_user_id","condition":"is","value":2}}', 0, 1, NULL, '2020-01-01 08:00:00', NULL);
INSERT INTO `72crm_admin_scene_default` VALUES (1, 1, 1, 20), (2, 2, 1, 5), (3, 1, 1, 2), (4, 3, 1, 999);
-- Attachments: the tests put the first two files (and no others) into the upload directory.
INSERT INTO `72crm_admin_file` VALUES
  (1, '合同.pdf', 13, 2, '2020-01-06 10:00:00', '/usr/local/upload/20200106/合同.pdf', '/file/downFile?fileId=1', 'file', 'b-cust-100'),
  (2, '照片.png', 12, 2, '2020-01-07 10:00:00', 'D:\\upload\\20200107\\照片.png', '/file/downFile?fileId=2', 'img', 'b-leads-927847'),
  (3, '丢失.docx', 100, 2, '2020-01-08 10:00:00', '/usr/local/upload/20200108/丢失.docx', '/file/downFile?fileId=3', 'file', 'b-cust-100'),
  (4, 'passwd', 100, 2, '2020-01-08 10:00:00', '/usr/local/upload/../../../etc/passwd', '/file/downFile?fileId=4', 'file', 'b-cust-100'),
  (5, '无批次.txt', 5, 2, '2020-01-08 10:00:00', '/usr/local/upload/20200106/合同.pdf', '/file/downFile?fileId=5', 'file', NULL);
