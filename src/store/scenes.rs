//! Saved list filters (场景).

use chrono::NaiveDateTime;

use super::{Exec, StoreResult, on_exec};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SceneRow {
    pub scene_id: i64,
    pub r#type: i64,
    pub user_id: i64,
    pub name: String,
    pub sort: i64,
    pub data: String,
    pub is_hide: i64,
    pub is_system: i64,
    pub bydata: Option<String>,
}

/// A scene being created.
pub struct NewScene<'a> {
    pub r#type: i64,
    pub user_id: i64,
    pub name: &'a str,
    pub sort: i64,
    pub data: &'a str,
    pub is_system: bool,
    pub bydata: Option<&'a str>,
    pub now: NaiveDateTime,
}

const COLUMNS: &str = "scene_id, type, user_id, name, sort, data, is_hide, is_system, bydata";

/// A user's scenes of one type, hidden ones included, in display order.
pub async fn of_user<'a>(exec: impl Into<Exec<'a>>, user_id: i64, r#type: i64) -> StoreResult<Vec<SceneRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM crm_scene WHERE user_id = $1 AND type = $2 ORDER BY sort, scene_id");
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, SceneRow>(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(r#type)
            .fetch_all(conn)
            .await?
    }))
}

pub async fn by_id<'a>(exec: impl Into<Exec<'a>>, scene_id: i64) -> StoreResult<Option<SceneRow>> {
    let sql = format!("SELECT {COLUMNS} FROM crm_scene WHERE scene_id = $1");
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, SceneRow>(sqlx::AssertSqlSafe(sql))
            .bind(scene_id)
            .fetch_optional(conn)
            .await?
    }))
}

pub async fn insert<'a>(exec: impl Into<Exec<'a>>, s: &NewScene<'_>) -> StoreResult<i64> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO crm_scene (type, user_id, name, sort, data, is_system, bydata, create_time) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING scene_id",
        )
        .bind(s.r#type)
        .bind(s.user_id)
        .bind(s.name)
        .bind(s.sort)
        .bind(s.data)
        .bind(i64::from(s.is_system))
        .bind(s.bydata)
        .bind(s.now)
        .fetch_one(conn)
        .await?
    }))
}

pub async fn update<'a>(exec: impl Into<Exec<'a>>, scene_id: i64, name: &str, data: &str) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE crm_scene SET name = $1, data = $2 WHERE scene_id = $3")
            .bind(name)
            .bind(data)
            .bind(scene_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

pub async fn set_hidden<'a>(exec: impl Into<Exec<'a>>, scene_id: i64, hidden: bool) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query("UPDATE crm_scene SET is_hide = $1 WHERE scene_id = $2")
            .bind(i64::from(hidden))
            .bind(scene_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

pub async fn delete<'a>(exec: impl Into<Exec<'a>>, scene_id: i64) -> StoreResult<()> {
    let mut exec = exec.into();
    on_exec!(exec.reborrow(), |conn, _qb| {
        sqlx::query("DELETE FROM crm_scene_default WHERE scene_id = $1")
            .bind(scene_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    on_exec!(exec, |conn, _qb| {
        sqlx::query("DELETE FROM crm_scene WHERE scene_id = $1")
            .bind(scene_id)
            .execute(conn)
            .await
            .map(|_| ())?
    });
    Ok(())
}

/// The user's default scene of a type.
pub async fn default_of<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    r#type: i64,
) -> StoreResult<Option<i64>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_scalar::<_, i64>(
            "SELECT scene_id FROM crm_scene_default WHERE user_id = $1 AND type = $2",
        )
        .bind(user_id)
        .bind(r#type)
        .fetch_optional(conn)
        .await?
    }))
}

pub async fn set_default<'a>(
    exec: impl Into<Exec<'a>>,
    user_id: i64,
    r#type: i64,
    scene_id: i64,
) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query(
            "INSERT INTO crm_scene_default (type, user_id, scene_id) VALUES ($1, $2, $3) \
             ON CONFLICT (type, user_id) DO UPDATE SET scene_id = excluded.scene_id",
        )
        .bind(r#type)
        .bind(user_id)
        .bind(scene_id)
        .execute(conn)
        .await
        .map(|_| ())?
    });
    Ok(())
}
