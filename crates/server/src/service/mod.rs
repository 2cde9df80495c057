//! The service layer shared by the JSON API and the web pages: loads from the store, applies
//! the core's rules, returns view structs. Handlers and templates hold no logic of their own.

pub mod accounts;
pub mod attendance;
pub mod calendar;
pub mod career;
pub mod directory;
pub mod explore;
pub mod export;
pub mod headcount;
pub mod imports;
pub mod kept;
pub mod leaver;
pub mod limits;
pub mod listing;
pub mod mail;
pub mod openings;
pub mod people;
pub mod personal;
pub mod personal_plan;
pub mod pipeline;
pub mod plans;
pub mod postings;
pub mod record;
pub mod records;
pub mod reminders;
pub mod rollups;
pub mod score_state;
pub mod scorecards;
pub mod shift_entry;
pub mod shift_list;
pub mod shift_upload;
pub mod signup;
pub mod stored_scores;
pub mod supervisor;
pub mod wellbeing;
pub mod wellbeing_rollup;
