-- When a module's fields last changed: the client's 自定义字段设置 shows it per module
-- (`field/queryFields`'s `updateTime`, J9's latest change of the module's fields). Kept by
-- a trigger, so that every way a field is written counts; UTC, as every stored time.
ALTER TABLE crm_field ADD COLUMN update_time TIMESTAMP;
UPDATE crm_field SET update_time = date_trunc('second', now() AT TIME ZONE 'UTC');
CREATE FUNCTION crm_field_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.update_time := date_trunc('second', clock_timestamp() AT TIME ZONE 'UTC');
    RETURN NEW;
END;
$$;
CREATE TRIGGER crm_field_changed BEFORE INSERT OR UPDATE ON crm_field
    FOR EACH ROW EXECUTE FUNCTION crm_field_changed();
