-- The settings version: moved on, inside the writing transaction, by every change to what
-- most requests read besides the records themselves (the organisation, roles and rights,
-- the field catalogue). Each instance caches those reads under the version it saw in the
-- request's session lookup, so a change made through any instance, the command line or by
-- hand in SQL retires every cached copy at once.
CREATE TABLE admin_settings_version (
    id      BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO admin_settings_version (id, version) VALUES (1, 0);

CREATE FUNCTION admin_settings_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

-- Logins update admin_user's last-login columns: only the columns the cached reads use count.
CREATE TRIGGER admin_user_settings AFTER INSERT OR UPDATE OF parent_id, dept_id, status, is_admin OR DELETE OR TRUNCATE ON admin_user
    FOR EACH STATEMENT EXECUTE FUNCTION admin_settings_bump();
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['admin_dept', 'admin_role', 'admin_user_role', 'admin_role_menu', 'admin_menu', 'crm_field'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION admin_settings_bump()', t || '_settings', t);
    END LOOP;
END;
$$;
