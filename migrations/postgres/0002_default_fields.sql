-- The default select fields of each module (J9 seeds them as custom fields named in Chinese).
INSERT INTO crm_field (label, field_name, name, form_type, options, sorting, field_type) VALUES
    (1, '线索来源', '线索来源', 'select', '促销,搜索引擎,广告,转介绍,线上注册,线上询价,预约上门,陌拜,电话咨询,邮件咨询', 1, 2),
    (1, '客户行业', '客户行业', 'select', 'IT,金融业,房地产,商业服务,运输/物流,生产,政府,文化传媒', 2, 2),
    (1, '客户级别', '客户级别', 'select', 'A（重点客户）,B（普通客户）,C（非优先客户）', 3, 2),
    (2, '客户来源', '客户来源', 'select', '促销,搜索引擎,广告,转介绍,线上注册,线上询价,预约上门,陌拜,电话咨询,邮件咨询', 1, 2),
    (2, '客户行业', '客户行业', 'select', 'IT,金融业,房地产,商业服务,运输/物流,生产,政府,文化传媒', 2, 2),
    (2, '客户级别', '客户级别', 'select', 'A（重点客户）,B（普通客户）,C（非优先客户）', 3, 2),
    (3, '是否关键决策人', '是否关键决策人', 'select', '是,否', 1, 2),
    (3, '性别', '性别', 'select', '男,女', 2, 2);
