//! The server's integration tests, in one binary (one link instead of one per file): each module
//! is a file beside this one; `common` starts the server over a seeded database.

mod attendance;
mod auth;
mod authz;
mod busy;
mod common;
mod enough_data;
mod evidence;
mod explore;
mod framework_reload;
mod identities;
mod imports;
mod job_tracker;
mod jobs;
mod journey;
mod kra_api;
mod learning;
mod listing;
mod mentoring;
mod notifications;
mod openings;
mod own_ladder;
mod pages;
mod person_lists;
mod personal;
mod pipeline;
mod probe;
mod probe27;
mod record;
mod shift_upload;
mod sign_in_limits;
mod stored_scores;
mod supervisor;
mod web;
mod wellbeing;
mod wellbeing_rollup;
