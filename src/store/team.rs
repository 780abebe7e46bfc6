//! Team members (团队成员) of customers, contacts and business.

use chrono::NaiveDateTime;
use sea_query::ExprTrait;

use super::{Exec, StoreResult, on_exec};

/// Adds `user_id` to a record's team with `power`, or changes the power of an existing member.
pub async fn upsert<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_id: i64,
    user_id: i64,
    power: i64,
    now: NaiveDateTime,
) -> StoreResult<()> {
    on_exec!(exec.into(), |conn, _qb| {
        sqlx::query(
            "INSERT INTO crm_team_member (label, record_id, user_id, power, create_time) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (label, record_id, user_id) DO UPDATE SET power = excluded.power",
        )
        .bind(label)
        .bind(record_id)
        .bind(user_id)
        .bind(power)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Removes one user from the teams of the given records.
pub async fn remove_user<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_ids: &[i64],
    user_id: i64,
) -> StoreResult<()> {
    let mut q = sea_query::Query::delete();
    q.from_table("crm_team_member")
        .and_where(sea_query::Expr::col("label").eq(label))
        .and_where(sea_query::Expr::col("user_id").eq(user_id))
        .and_where(sea_query::Expr::col("record_id").is_in(record_ids.iter().copied()));
    super::execute(exec, &q).await?;
    Ok(())
}

/// Forgets the teams of deleted records.
pub async fn delete_for_records<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_ids: &[i64],
) -> StoreResult<()> {
    let mut q = sea_query::Query::delete();
    q.from_table("crm_team_member")
        .and_where(sea_query::Expr::col("label").eq(label))
        .and_where(sea_query::Expr::col("record_id").is_in(record_ids.iter().copied()));
    super::execute(exec, &q).await?;
    Ok(())
}

/// `(user_id, power)` of a record's team.
pub async fn members<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_id: i64,
) -> StoreResult<Vec<(i64, i64)>> {
    Ok(on_exec!(exec.into(), |conn, _qb| {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT user_id, power FROM crm_team_member WHERE label = $1 AND record_id = $2 ORDER BY id",
        )
        .bind(label)
        .bind(record_id)
        .fetch_all(conn)
        .await?
    }))
}
