-- Login attempts are limited per client address as well as per username.
ALTER TABLE admin_login_failure ADD COLUMN ip TEXT;
CREATE INDEX admin_login_failure_ip ON admin_login_failure (ip, failed_at);
