-- Saved list filters (场景), per user and module type; system scenes are created for each
-- user on first use. `data` holds J9 conditions; `bydata` names a live rule of a system
-- scene (self, child, takePart, transform, win, lose).
CREATE TABLE crm_scene (
    scene_id    BIGSERIAL PRIMARY KEY,
    type        BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    name        TEXT    NOT NULL,
    sort        BIGINT NOT NULL,
    data        TEXT    NOT NULL DEFAULT '{}',
    is_hide     BIGINT NOT NULL DEFAULT 0,
    is_system   BIGINT NOT NULL DEFAULT 0,
    bydata      TEXT,
    create_time TIMESTAMP NOT NULL
);
CREATE INDEX crm_scene_user ON crm_scene (user_id, type, sort);

CREATE TABLE crm_scene_default (
    type     BIGINT NOT NULL,
    user_id  BIGINT NOT NULL,
    scene_id BIGINT NOT NULL,
    PRIMARY KEY (type, user_id)
);
