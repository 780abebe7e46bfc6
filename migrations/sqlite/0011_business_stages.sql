-- Business status groups (商机状态组) managed by the administrator: who made them and when,
-- and the departments each is limited to (none: every department).
ALTER TABLE crm_business_type ADD COLUMN create_user_id INTEGER;
ALTER TABLE crm_business_type ADD COLUMN create_time TEXT;
ALTER TABLE crm_business_type ADD COLUMN update_time TEXT;

CREATE TABLE crm_business_type_dept (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    type_id INTEGER NOT NULL,
    dept_id INTEGER NOT NULL,
    UNIQUE (type_id, dept_id)
);

-- A group's stages are read by group; businesses are counted by group and by stage.
CREATE INDEX crm_business_status_type ON crm_business_status (type_id, order_num);
CREATE INDEX crm_business_type_id ON crm_business (type_id);
CREATE INDEX crm_business_status_id ON crm_business (status_id);
