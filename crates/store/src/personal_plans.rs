//! The plan of an account with no employee record (issue 30, a self sign-up): the role they
//! start from, the role they want and the horizon. Accounts with a record plan on it instead
//! (`records::career_plan`).

use chrono::{DateTime, Utc};
use ladder_core::UserId;

use crate::{on_db, Db, Result};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonalPlan {
    pub from_role: String,
    pub to_role: String,
    pub horizon_years: i32,
    pub updated_at: DateTime<Utc>,
}

pub async fn get(db: &Db, user: UserId) -> Result<Option<PersonalPlan>> {
    let sql = "SELECT from_role, to_role, horizon_years, updated_at FROM personal_plans WHERE user_id = $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(user).fetch_optional(p).await?))
}

/// Saves the user's plan, replacing the one before.
pub async fn save(db: &Db, user: UserId, from: &str, to: &str, horizon_years: i32, now: DateTime<Utc>) -> Result<()> {
    let sql = "INSERT INTO personal_plans (user_id, from_role, to_role, horizon_years, updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id) DO UPDATE SET from_role = excluded.from_role, to_role = excluded.to_role,
            horizon_years = excluded.horizon_years, updated_at = excluded.updated_at";
    on_db!(db, p => sqlx::query(sql).bind(user).bind(from).bind(to).bind(horizon_years).bind(now).execute(p).await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
