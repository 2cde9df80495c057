//! # ladder-core
//!
//! The rules of Ladder, free of I/O so the server, the CLI and tests share them:
//! - [`framework`]: roles, paths, skills, certifications, KRA metrics and templates, as data;
//! - [`validate`]: every check a framework file must pass;
//! - [`figures`]: what a metric's figures may be, for imports and hand entry alike;
//! - [`metric`] and [`scoring`]: ratio-of-sums values, attainment, weighted scores, gates,
//!   rating bands and incentives, each result able to explain itself;
//! - [`period`]: months, quarters, years, and plan shares within a period;
//! - [`dates`]: the range of dates Ladder keeps (1900–2100), checked wherever a date comes in;
//! - [`explore`]: the public career explorer: entry profiles, "which entry role fits me", the
//!   occupations outside BPO a role leads to, industries, the ladder's typical months;
//! - [`export`]: text cells of the CSV files Ladder writes, made safe for spreadsheets;
//! - [`planner`]: paths through the role graph as dated milestones;
//! - [`learning`]: the learning catalogue's starter list, its formats and costs in words;
//! - [`postings`]: outside job postings (schema.org JobPosting JSON-LD) read leniently;
//! - [`readiness`]: how ready someone is for a role, and when they will be;
//! - [`record`]: the record that goes with a person: its file format, checks and JSON Resume;
//! - [`settings`]: the organisation's reminder windows and colour bands, and the rules using them;
//! - [`wellbeing`]: fatigue and burnout signals from shift records;
//! - [`access`]: who may see and change what, in one function;
//! - [`throttle`] and [`passwords`]: how often someone may try to sign in, and what a password must be;
//! - [`ids`]: the ids of employees, teams and users, each its own type;
//! - [`limits`]: how much text each field may hold, and which characters.

pub mod access;
pub mod dates;
pub mod explore;
pub mod export;
pub mod figures;
pub mod framework;
pub mod headcount;
pub mod identity;
pub mod ids;
pub mod learning;
pub mod limits;
pub mod metric;
pub mod openings;
pub mod passwords;
pub mod period;
pub mod planner;
pub mod postings;
pub mod readiness;
pub mod record;
pub mod scoring;
pub mod settings;
pub mod throttle;
pub mod titles;
pub mod validate;
pub mod wellbeing;

pub use framework::Framework;
pub use ids::{EmployeeId, TeamId, UserId};
