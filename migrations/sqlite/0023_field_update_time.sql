-- When a module's fields last changed: the client's 自定义字段设置 shows it per module
-- (`field/queryFields`'s `updateTime`, J9's latest change of the module's fields). Kept by
-- triggers, so that every way a field is written counts; UTC, as every stored time.
ALTER TABLE crm_field ADD COLUMN update_time TEXT;
UPDATE crm_field SET update_time = strftime('%Y-%m-%d %H:%M:%S', 'now');
CREATE TRIGGER crm_field_changed_insert AFTER INSERT ON crm_field BEGIN
    UPDATE crm_field SET update_time = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE field_id = new.field_id;
END;
CREATE TRIGGER crm_field_changed_update AFTER UPDATE ON crm_field WHEN new.update_time IS old.update_time BEGIN
    UPDATE crm_field SET update_time = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE field_id = new.field_id;
END;
