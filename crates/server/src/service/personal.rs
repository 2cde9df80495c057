//! A personal Ladder (issue 30): `ladder me` sets one up through here, so every value is
//! checked once, each error naming its field.

use chrono::{NaiveDate, Utc};
use ladder_core::Framework;
use ladder_store::org::personal::{self as store, Personal, PersonalSetup};
use ladder_store::Db;

use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::service::limits;

/// What the person gives; the defaults are for someone who presses Enter.
#[derive(Debug, Clone)]
pub struct SetUp {
    pub name: String,
    pub email: String,
    pub password: String,
    /// A framework role, by id or name.
    pub role: String,
    pub hire_date: NaiveDate,
    pub code: String,
    pub country: String,
    pub timezone: String,
    /// The employer's name; empty: the organisation is called "NAME's Ladder".
    pub employer: String,
}

/// Checks everything, then writes the organisation of one, the person and their admin account
/// in one transaction. A database that already holds an organisation is a conflict.
pub async fn set_up(db: &Db, framework: &Framework, s: &SetUp) -> ApiResult<Personal> {
    limits::check_line("name", &s.name, limits::NAME)?;
    if s.name.trim().is_empty() {
        return Err(ApiError::invalid("name", "is empty"));
    }
    limits::check_line("email", &s.email, limits::EMAIL)?;
    if !looks_like_email(s.email.trim()) {
        return Err(ApiError::invalid("email", "is not an email address (name@example.com)"));
    }
    limits::check_line("code", &s.code, limits::KEY)?;
    if s.code.trim().is_empty() || s.code.trim().contains(char::is_whitespace) {
        return Err(ApiError::invalid("code", "is one word, e.g. me or EMP-1042"));
    }
    let role = framework.find_role(&s.role).map_err(|why| ApiError::invalid("role", why))?;
    let today = Utc::now().date_naive();
    let earliest = NaiveDate::from_ymd_opt(1960, 1, 1).expect("a date");
    if s.hire_date > today || s.hire_date < earliest {
        return Err(ApiError::invalid("hire_date", format!("must be between {earliest} and today ({today})")));
    }
    limits::check_line("country", &s.country, limits::LINE)?;
    limits::check_line("employer", &s.employer, limits::NAME)?;
    ladder_core::wellbeing::zone::parse_zone(&s.timezone).map_err(|why| ApiError::invalid("timezone", why))?;
    limits::check_line("password", &s.password, limits::PASSWORD)?;
    auth::check_new_password(&s.password, Some(&s.email))?;
    let hash = auth::hash_password(&s.password)?;
    let setup = PersonalSetup {
        name: s.name.trim(),
        email: s.email.trim(),
        code: s.code.trim(),
        role_id: &role.id,
        hire_date: s.hire_date,
        country: s.country.trim(),
        timezone: s.timezone.trim(),
        employer: s.employer.trim(),
        password_hash: &hash,
    };
    Ok(store::create(db, &setup).await?)
}

/// One `@` between a non-empty local part and a domain with a dot inside it, no spaces: the
/// address is the sign-in, so a typo here locks the person out.
fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let dotted = domain.split('.').count() >= 2 && domain.split('.').all(|part| !part.is_empty());
    !local.is_empty() && !domain.contains('@') && dotted && !email.contains(char::is_whitespace)
}

/// Whether a database has nothing set up yet (no organisation, no user).
pub async fn is_empty(db: &Db) -> ApiResult<bool> {
    Ok(store::is_empty(db).await?)
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn an_email_has_a_local_part_one_at_and_a_dotted_domain() {
        assert!(looks_like_email("ana@example.com") && looks_like_email("a.b+c@mail.example.ph"));
        for bad in
            ["ana", "@example.com", "ana@", "ana@example", "a@b@example.com", "ana@example.", "ana@.com", "a na@x.com"]
        {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
