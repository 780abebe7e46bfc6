-- The settings version: moved on, inside the writing transaction, by every change to what
-- most requests read besides the records themselves (the organisation, roles and rights,
-- the field catalogue). Each instance caches those reads under the version it saw in the
-- request's session lookup, so a change made through any instance, the command line or by
-- hand in SQL retires every cached copy at once.
CREATE TABLE admin_settings_version (
    id      INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO admin_settings_version (id, version) VALUES (1, 0);

-- Logins update admin_user's last-login columns: only the columns the cached reads use count.
CREATE TRIGGER admin_user_settings_insert AFTER INSERT ON admin_user
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_user_settings_update AFTER UPDATE OF parent_id, dept_id, status, is_admin ON admin_user
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_user_settings_delete AFTER DELETE ON admin_user
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_dept_settings_insert AFTER INSERT ON admin_dept
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_dept_settings_update AFTER UPDATE ON admin_dept
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_dept_settings_delete AFTER DELETE ON admin_dept
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_settings_insert AFTER INSERT ON admin_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_settings_update AFTER UPDATE ON admin_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_settings_delete AFTER DELETE ON admin_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_user_role_settings_insert AFTER INSERT ON admin_user_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_user_role_settings_update AFTER UPDATE ON admin_user_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_user_role_settings_delete AFTER DELETE ON admin_user_role
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_menu_settings_insert AFTER INSERT ON admin_role_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_menu_settings_update AFTER UPDATE ON admin_role_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_role_menu_settings_delete AFTER DELETE ON admin_role_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_menu_settings_insert AFTER INSERT ON admin_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_menu_settings_update AFTER UPDATE ON admin_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER admin_menu_settings_delete AFTER DELETE ON admin_menu
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER crm_field_settings_insert AFTER INSERT ON crm_field
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER crm_field_settings_update AFTER UPDATE ON crm_field
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER crm_field_settings_delete AFTER DELETE ON crm_field
BEGIN
    UPDATE admin_settings_version SET version = version + 1 WHERE id = 1;
END;
