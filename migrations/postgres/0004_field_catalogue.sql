-- The fixed (column) fields join the catalogue, so that `queryField` lists every field of
-- a module in form order; `field_type` 1 = a column of the record table, 2 = a default
-- field stored in the JSON column, 0 = a field an administrator added.
ALTER TABLE crm_field ADD COLUMN precisions BIGINT;

INSERT INTO crm_field (label, field_name, name, form_type, is_null, is_unique, sorting, field_type) VALUES
    (1, 'leads_name', '线索名称', 'text', 1, 0, 1, 1),
    (1, 'telephone', '电话', 'text', 0, 0, 3, 1),
    (1, 'mobile', '手机', 'mobile', 0, 0, 4, 1),
    (1, 'address', '地址', 'text', 0, 0, 7, 1),
    (1, 'next_time', '下次联系时间', 'datetime', 0, 0, 8, 1),
    (1, 'remark', '备注', 'textarea', 0, 0, 9, 1),
    (1, 'email', '邮箱', 'email', 0, 0, 10, 1),
    (2, 'customer_name', '客户名称', 'text', 1, 1, 1, 1),
    (2, 'mobile', '手机', 'mobile', 0, 0, 2, 1),
    (2, 'telephone', '电话', 'text', 0, 0, 3, 1),
    (2, 'website', '网址', 'website', 0, 0, 7, 1),
    (2, 'next_time', '下次联系时间', 'datetime', 0, 0, 8, 1),
    (2, 'remark', '备注', 'textarea', 0, 0, 9, 1),
    (2, 'email', '邮箱', 'email', 0, 0, 10, 1),
    (2, 'address', '地区定位', 'map_address', 0, 0, 11, 1),
    (2, 'detail_address', '详细地址', 'text', 0, 0, 12, 1),
    (3, 'name', '姓名', 'text', 1, 0, 1, 1),
    (3, 'customer_id', '客户名称', 'customer', 1, 0, 2, 1),
    (3, 'mobile', '手机', 'mobile', 0, 0, 3, 1),
    (3, 'telephone', '电话', 'text', 0, 0, 4, 1),
    (3, 'email', '电子邮箱', 'email', 0, 0, 5, 1),
    (3, 'post', '职务', 'text', 0, 0, 6, 1),
    (3, 'address', '地址', 'text', 0, 0, 7, 1),
    (3, 'next_time', '下次联系时间', 'datetime', 0, 0, 8, 1),
    (3, 'remark', '备注', 'textarea', 0, 0, 9, 1),
    (5, 'business_name', '商机名称', 'text', 1, 0, 1, 1),
    (5, 'customer_id', '客户名称', 'customer', 1, 0, 2, 1),
    (5, 'type_id', '商机状态组', 'business_type', 0, 0, 3, 1),
    (5, 'status_id', '商机阶段', 'business_status', 0, 0, 4, 1),
    (5, 'money', '商机金额', 'floatnumber', 0, 0, 5, 1),
    (5, 'deal_date', '预计成交日期', 'datetime', 0, 0, 6, 1),
    (5, 'remark', '备注', 'textarea', 0, 0, 7, 1);

-- The default JSON fields take their places between the columns (J9's form order).
UPDATE crm_field SET sorting = 2 WHERE label = 1 AND field_name = '线索来源';
UPDATE crm_field SET sorting = 5 WHERE label = 1 AND field_name = '客户行业';
UPDATE crm_field SET sorting = 6 WHERE label = 1 AND field_name = '客户级别';
UPDATE crm_field SET sorting = 4 WHERE label = 2 AND field_name = '客户来源';
UPDATE crm_field SET sorting = 5 WHERE label = 2 AND field_name = '客户行业';
UPDATE crm_field SET sorting = 6 WHERE label = 2 AND field_name = '客户级别';
UPDATE crm_field SET sorting = 10 WHERE label = 3 AND field_name = '是否关键决策人';
UPDATE crm_field SET sorting = 11 WHERE label = 3 AND field_name = '性别';
