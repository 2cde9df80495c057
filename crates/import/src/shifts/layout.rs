//! The layouts a shift file may come in: Ladder's own columns and presets for the schedule
//! exports of workforce-management tools, each from its documented layout in
//! `shared/domain/exports.md` §2 (where the layout is not documented, the preset says so).

/// How a row's end is given.
#[derive(Debug, Clone, Copy)]
pub enum End {
    /// A column with the end (a date-time, or a time of day with [`Layout::date`]).
    At(&'static [&'static str]),
    /// A column with the length in minutes from the start.
    Minutes(&'static [&'static str]),
}

/// One layout: which columns hold what. Each list holds alternative header names.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub name: &'static str,
    /// Where the layout comes from, and what in it is not confirmed.
    pub about: &'static str,
    /// `false`: the vendor's layout is not documented; the preset refuses with `about`.
    pub documented: bool,
    pub employee: &'static [&'static str],
    pub start: &'static [&'static str],
    pub end: End,
    /// A date column, when start and end are times of day; an end before the start is then on
    /// the next day (a shift across midnight).
    pub date: Option<&'static [&'static str]>,
    /// Times are UTC instants, not the site's local time.
    pub utc: bool,
    /// Rows are activity segments (merged into shifts); activities whose name holds one of
    /// [`BREAK_WORDS`] are breaks.
    pub activity: Option<&'static [&'static str]>,
    pub kind: Option<&'static [&'static str]>,
    pub breaks: Option<&'static [&'static str]>,
    pub record: Option<&'static [&'static str]>,
    /// Rows are worked time (a time clock), not the schedule, unless a `record` column says.
    pub worked: bool,
    /// Date-time formats tried before ISO (chrono patterns).
    pub formats: &'static [&'static str],
}

/// Activity names that are breaks rather than work (Genesys categories Break and Meal; IEX and
/// Calabrio name their break and lunch activities).
pub const BREAK_WORDS: &[&str] = &["break", "lunch", "meal"];

const ISO: &[&str] = &["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];

/// Ladder's own columns: the `employee,start,end` that `ladder wellbeing --shifts` reads, plus
/// optional `kind` (day, night, rotating), `breaks` (minutes) and `record` (scheduled, worked).
pub const LADDER: Layout = Layout {
    name: "ladder",
    about: "Ladder's own shift file: employee,start,end[,kind,breaks,record], local site times \
            (YYYY-MM-DDTHH:MM) or instants with an offset (…Z, …+08:00)",
    documented: true,
    employee: &["employee"],
    start: &["start"],
    end: End::At(&["end"]),
    date: None,
    utc: false,
    activity: None,
    kind: Some(&["kind"]),
    breaks: Some(&["breaks"]),
    record: Some(&["record"]),
    worked: false,
    formats: ISO,
};

/// NICE IEX WFM "Schedule Detail" (agentScheduleDetail_*.txt): pipe-delimited, one activity
/// segment a row, `excdate` the segment's date in the management unit's zone (`schedDate`, the
/// schedule's, differs after midnight), default date
/// format mmddyyyy (exports.md §2.2). The start and stop field keys are **not confirmed** by
/// the documentation we have: this preset reads `start`/`stop` (or `startTime`/`stopTime`) as
/// times of day, a stop before the start being the next day as IEX's schedule-change import
/// documents. The agent is `tvID` (IEX's agent ID); map IEX IDs to Ladder codes with
/// platform identifiers if they differ.
pub const NICE_IEX: Layout = Layout {
    name: "nice-iex",
    about: "NICE IEX WFM Schedule Detail (pipe-delimited, exports.md §2.2); the start/stop field keys \
            are not confirmed by the documentation: start|stop or startTime|stopTime are read",
    documented: true,
    employee: &["tvID", "agentId"],
    start: &["start", "startTime"],
    end: End::At(&["stop", "stopTime"]),
    date: Some(&["excdate"]),
    utc: false,
    activity: Some(&["activity", "actName", "activityCode"]),
    kind: None,
    breaks: None,
    record: None,
    worked: false,
    formats: &["%m%d%Y", "%m/%d/%Y"],
};

/// Calabrio WFM (SDK, ex-Teleopti) projected layers flattened to a table: `PersonId`,
/// `Description`, `UtcStartTime`, `UtcEndTime` (the `ProjectedLayerDto` and period fields,
/// exports.md §2.4). Calabrio documents the DTOs, not a file: the flattening is our inference,
/// and a plain Calabrio ONE schedule CSV export is not documented.
pub const CALABRIO: Layout = Layout {
    name: "calabrio",
    about: "Calabrio WFM SDK projected layers as a table (PersonId, Description, UtcStartTime, UtcEndTime; \
            exports.md §2.4); Calabrio ONE's own schedule CSV is not documented",
    documented: true,
    employee: &["PersonId"],
    start: &["UtcStartTime"],
    end: End::At(&["UtcEndTime"]),
    date: None,
    utc: true,
    activity: Some(&["Description"]),
    kind: None,
    breaks: None,
    record: None,
    worked: false,
    formats: &["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%.fZ", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p"],
};

/// Deputy "Timesheet CSV with History Audit" (exports.md §3): one timesheet a row. The
/// `Original Start Time` / `Original End Time` columns are the actual clock-on and clock-off
/// (`Start Time`/`End Time` are the approved, possibly rounded times, which we do not read);
/// `Total Meal break` is in minutes; the person is the `Employee Code` (payroll export code).
/// Deputy documents day-first dates (`DD/MM/YYYY`) and 24-h `HH:MM:SS` times in its exports;
/// that the audit export writes date and time in one cell is our reading of the column names.
pub const DEPUTY: Layout = Layout {
    name: "deputy",
    about: "Deputy Timesheet CSV with History Audit (exports.md §3): Employee Code, Original Start Time, Original End Time (actual clock-on/off), Total Meal break (minutes); dates day first",
    documented: true,
    employee: &["Employee Code"],
    start: &["Original Start Time"],
    end: End::At(&["Original End Time"]),
    date: None,
    utc: false,
    activity: None,
    kind: None,
    breaks: Some(&["Total Meal break", "Total Mealbreak"]),
    record: None,
    worked: true,
    formats: &[
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %I:%M:%S %p",
        "%d/%m/%Y %I:%M %p",
        "%d/%m/%Y %I:%M%p",
    ],
};

/// Verint WFM: its "Agent Schedule Export" layout is not documented (exports.md §2.6).
pub const VERINT: Layout = Layout {
    name: "verint",
    about: "Verint WFM's schedule export layout is not documented (shared/domain/exports.md §2.6 marks it \
            unconfirmed), so Ladder cannot read it yet: export the schedule in Ladder's own columns \
            (employee,start,end,kind,breaks) instead",
    documented: false,
    ..LADDER
};

/// The presets a file's layout is chosen from (`genesys-wfm` is JSON: see `genesys`; the
/// punch-per-row time clocks are in `timeclock`).
pub const PRESETS: &[&Layout] = &[&LADDER, &NICE_IEX, &CALABRIO, &DEPUTY, &VERINT];

/// The layout called `name`.
pub fn preset(name: &str) -> Option<&'static Layout> {
    PRESETS.iter().copied().find(|l| l.name.eq_ignore_ascii_case(name.trim()))
}

impl Layout {
    /// The key columns the header must name.
    pub fn keys(&self) -> Vec<Vec<String>> {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let end = match self.end {
            End::At(l) | End::Minutes(l) => l,
        };
        let mut keys = vec![own(self.employee), own(self.start), own(end)];
        keys.extend(self.date.map(own));
        keys
    }
}
