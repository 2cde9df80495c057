//! The ids of the records that cross every layer — employees, teams, users — as types of their
//! own, so a team's id cannot be passed where an employee's is wanted. Each is the database's
//! `BIGINT` and reads and writes as a bare number (JSON, paths, query strings), so the API does
//! not change. With the `sql` feature (the store's), they bind and decode in sqlx and rusqlite
//! as the number does. Sites, accounts and organisations keep plain `i64`: fewer places hold them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "sql", derive(sqlx::Type), sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                s.parse().map($name)
            }
        }

        #[cfg(feature = "sql")]
        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.0.into())
            }
        }

        #[cfg(feature = "sql")]
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<$name> {
                i64::column_result(value).map($name)
            }
        }
    };
}

id_type!(
    /// An employee (`employees.id`).
    EmployeeId
);
id_type!(
    /// A team (`teams.id`).
    TeamId
);
id_type!(
    /// A user account (`users.id`).
    UserId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_bare_numbers() {
        assert_eq!(serde_json::to_string(&EmployeeId(42)).unwrap(), "42");
        assert_eq!(serde_json::to_string(&Some(TeamId(7))).unwrap(), "7");
        assert_eq!(serde_json::to_string(&vec![UserId(1), UserId(2)]).unwrap(), "[1,2]");
        assert_eq!(serde_json::from_str::<EmployeeId>("42").unwrap(), EmployeeId(42));
        assert!(serde_json::from_str::<EmployeeId>("\"42\"").is_err(), "a number, not a string");
    }

    #[test]
    fn ids_parse_from_a_path_segment_and_print_as_the_number() {
        assert_eq!("42".parse::<EmployeeId>(), Ok(EmployeeId(42)));
        assert_eq!("-1".parse::<TeamId>(), Ok(TeamId(-1)));
        assert!("4x".parse::<UserId>().is_err());
        assert!("".parse::<UserId>().is_err());
        assert_eq!(EmployeeId(42).to_string(), "42");
        assert_eq!(format!("/people/{}", TeamId(9)), "/people/9");
    }
}
