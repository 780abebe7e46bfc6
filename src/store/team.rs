//! Team members (团队成员) of customers, contacts and business.

use chrono::NaiveDateTime;
use sea_query::{Expr, ExprTrait, Func, Order, Query, TableRef};

use super::{Exec, StoreResult, fetch_as};

/// Adds `user_id` to a record's team with `power`, or changes the power of an existing member.
pub async fn upsert<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_id: i64,
    member: Member,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let mut q = sea_query::Query::insert();
    q.into_table("crm_team_member")
        .columns([
            "label",
            "record_id",
            "user_id",
            "power",
            "expires_time",
            "create_time",
        ])
        .values_panic([
            label.into(),
            record_id.into(),
            member.user_id.into(),
            member.power.into(),
            sea_query::Value::ChronoDateTime(member.expires).into(),
            now.into(),
        ])
        .on_conflict(
            sea_query::OnConflict::columns(["label", "record_id", "user_id"])
                .update_columns(["power", "expires_time"])
                .to_owned(),
        );
    super::write(exec, &q).await?;
    Ok(())
}

/// A team member: read-only (power 1) or read-write (2), until `expires` when set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    pub user_id: i64,
    pub power: i64,
    pub expires: Option<NaiveDateTime>,
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
    super::write(exec, &q).await?;
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
    super::write(exec, &q).await?;
    Ok(())
}

/// `(record, user, power)` of every unexpired member of the given records' teams, in one
/// query (the J9 `roUserId`/`rwUserId` of a list page).
pub async fn members_of_records<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_ids: &[i64],
    now: NaiveDateTime,
) -> StoreResult<Vec<(i64, i64, i64)>> {
    let mut q = sea_query::Query::select();
    q.columns(["record_id", "user_id", "power"])
        .from("crm_team_member")
        .and_where(sea_query::Expr::col("label").eq(label))
        .and_where(sea_query::Expr::col("record_id").is_in(record_ids.iter().copied()))
        .cond_where(
            sea_query::Cond::any()
                .add(sea_query::Expr::col("expires_time").is_null())
                .add(sea_query::Expr::col("expires_time").gt(now)),
        )
        .order_by("id", sea_query::Order::Asc);
    let rows = super::fetch_cells(exec, &q, &[super::Kind::Int, super::Kind::Int, super::Kind::Int]).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r[0].as_i64()?, r[1].as_i64()?, r[2].as_i64()?)))
        .collect())
}

/// A team member as listed, with its name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub realname: String,
    pub power: i64,
    pub expires_time: Option<NaiveDateTime>,
}

/// The members of one record's team, oldest first.
pub async fn members_of<'a>(
    exec: impl Into<Exec<'a>>,
    label: i64,
    record_id: i64,
) -> StoreResult<Vec<MemberRow>> {
    let mut q = Query::select();
    q.column(("t", "user_id"))
        .expr_as(
            Func::coalesce([Expr::col(("u", "realname")), Expr::val("")]),
            "realname",
        )
        .columns([("t", "power"), ("t", "expires_time")])
        .from_as("crm_team_member", "t")
        .left_join(
            TableRef::from("admin_user").alias("u"),
            Expr::col(("u", "user_id")).equals(("t", "user_id")),
        )
        .and_where(Expr::col(("t", "label")).eq(label))
        .and_where(Expr::col(("t", "record_id")).eq(record_id))
        .order_by(("t", "id"), Order::Asc);
    fetch_as(exec, &q).await
}
