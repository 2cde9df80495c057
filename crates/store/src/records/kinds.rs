//! The closed sets a record's status or kind is one of. Each is stored, serialised and parsed
//! as the same kebab-case text (`in-progress`, `on-the-job`), so files, the API and the
//! database read exactly as they did when these were strings.

use std::fmt;
use std::str::FromStr;

/// A text that names no member of a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not one of {expected}")]
pub struct NotInSet {
    pub value: String,
    /// The members, comma-separated, as a message lists them.
    pub expected: String,
}

/// A closed set stored as text: its members, their text, and the conversions every such set needs.
macro_rules! text_set {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The members as a message lists them: `planned, in-progress, earned`.
            pub fn listed() -> String {
                Self::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl FromStr for $name {
            type Err = NotInSet;
            fn from_str(s: &str) -> Result<$name, NotInSet> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(NotInSet { value: s.to_string(), expected: Self::listed() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = std::borrow::Cow::<str>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode(self.as_str(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(value: <DB as sqlx::Database>::ValueRef<'r>) -> Result<$name, sqlx::error::BoxDynError> {
                Ok(<&'r str as sqlx::Decode<'r, DB>>::decode(value)?.parse()?)
            }
        }
    };
}

text_set! {
    /// Where a person stands with a certification.
    pub enum CertificationStatus {
        Planned = "planned",
        InProgress = "in-progress",
        Earned = "earned",
    }
}

text_set! {
    /// What a verifier decided about an earned certification's evidence (none while it waits).
    pub enum Verification {
        Verified = "verified",
        Rejected = "rejected",
    }
}

text_set! {
    /// What sort of learning a training item is.
    pub enum TrainingKind {
        Course = "course",
        Bootcamp = "bootcamp",
        Mentoring = "mentoring",
        OnTheJob = "on-the-job",
        Other = "other",
    }
}

text_set! {
    /// How far a training item has got.
    pub enum TrainingStatus {
        Planned = "planned",
        InProgress = "in-progress",
        Done = "done",
    }
}

text_set! {
    /// Who assessed a skill: the person themselves or someone above them.
    pub enum Assessor {
        /// The person's own view (`self`).
        Own = "self",
        Leader = "leader",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_member_reads_back_as_the_text_it_is_stored_as() {
        for s in CertificationStatus::ALL {
            assert_eq!(s.as_str().parse::<CertificationStatus>(), Ok(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(TrainingKind::OnTheJob.as_str(), "on-the-job");
        assert_eq!("self".parse::<Assessor>(), Ok(Assessor::Own));
        assert_eq!(serde_json::from_str::<TrainingStatus>("\"in-progress\"").unwrap(), TrainingStatus::InProgress);
    }

    #[test]
    fn a_stranger_is_refused_with_the_members_listed() {
        let e = "expired".parse::<CertificationStatus>().unwrap_err();
        assert_eq!(e.to_string(), "'expired' is not one of planned, in-progress, earned");
        assert!(serde_json::from_str::<TrainingKind>("\"webinar\"").is_err());
        assert_eq!(TrainingKind::listed(), "course, bootcamp, mentoring, on-the-job, other");
    }
}
