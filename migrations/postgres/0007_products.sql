-- Products (label 4) and their categories; products on a business with price, quantity,
-- discount and subtotal. Money in fen, quantities and percentages in hundredths.

CREATE TABLE crm_product_category (
    category_id BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL,
    pid         BIGINT NOT NULL DEFAULT 0
);
INSERT INTO crm_product_category (category_id, name, pid) VALUES (1, '默认分类', 0);
SELECT setval('crm_product_category_category_id_seq', 1);

CREATE TABLE crm_product (
    product_id     BIGSERIAL PRIMARY KEY,
    name           TEXT    NOT NULL,
    num            TEXT    NOT NULL,
    unit           TEXT,
    price          BIGINT NOT NULL DEFAULT 0,
    status         BIGINT NOT NULL DEFAULT 1,
    category_id    BIGINT NOT NULL,
    description    TEXT,
    owner_user_id  BIGINT,
    create_user_id BIGINT NOT NULL,
    create_time    TIMESTAMP    NOT NULL,
    update_time    TIMESTAMP    NOT NULL,
    batch_id       TEXT    NOT NULL,
    last_time      TIMESTAMP,
    last_content   TEXT,
    custom         JSONB   NOT NULL DEFAULT '{}'
);
CREATE INDEX crm_product_update ON crm_product (update_time, product_id);
CREATE INDEX crm_product_by_category ON crm_product (category_id);
CREATE INDEX crm_product_num ON crm_product (num);
CREATE INDEX crm_product_name ON crm_product (name);
CREATE INDEX crm_product_status ON crm_product (status);

CREATE TABLE crm_business_product (
    r_id        BIGSERIAL PRIMARY KEY,
    business_id BIGINT NOT NULL,
    product_id  BIGINT NOT NULL,
    price       BIGINT NOT NULL,
    sales_price BIGINT NOT NULL,
    num         BIGINT NOT NULL,
    discount    BIGINT NOT NULL,
    subtotal    BIGINT NOT NULL,
    unit        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX crm_business_product_business ON crm_business_product (business_id);
CREATE INDEX crm_business_product_product ON crm_business_product (product_id);

INSERT INTO crm_field (label, field_name, name, form_type, is_null, is_unique, sorting, field_type, options) VALUES
    (4, 'name', '产品名称', 'text', 1, 0, 1, 1, ''),
    (4, 'category_id', '产品类型', 'category', 1, 0, 2, 1, ''),
    (4, 'unit', '产品单位', 'select', 0, 0, 3, 1, '个,块,只,把,枚,瓶,盒,台,吨,千克,米,箱,套'),
    (4, 'num', '产品编码', 'text', 1, 1, 4, 1, ''),
    (4, 'price', '价格', 'floatnumber', 1, 0, 5, 1, ''),
    (4, 'description', '产品描述', 'textarea', 0, 0, 6, 1, '');

INSERT INTO admin_menu (menu_id, parent_id, menu_name, realm, menu_type, sort) VALUES
    (15, 1, '产品管理', 'product', 1, 5),
    (57, 15, '新建', 'save', 3, 1), (58, 15, '编辑', 'update', 3, 2), (59, 15, '查看列表', 'index', 3, 3),
    (60, 15, '查看详情', 'read', 3, 4), (63, 15, '删除', 'delete', 3, 5), (69, 15, '上架/下架', 'status', 3, 6);
INSERT INTO admin_role_menu (role_id, menu_id) SELECT r.role_id, m.menu_id FROM admin_role r, admin_menu m
    WHERE r.role_id IN (1, 2) AND m.menu_id IN (15, 57, 58, 59, 60, 63, 69);
INSERT INTO admin_role_menu (role_id, menu_id) VALUES (3, 15), (3, 59), (3, 60);

CREATE INDEX crm_product_name_trgm ON crm_product USING gin (name gin_trgm_ops);
