//! Synthetic data: a realistic contact-centre organisation (people file) and a year of daily
//! per-agent KPI rows in the `ladder-wide` layout, deterministic from a seed.
//!
//! Nothing is kept per row or per agent: every value is a hash of (seed, agent, day, field), so
//! the files stream out with flat memory whatever their size. Agents differ in skill and in how
//! they move over the year (improving, flat or slipping); they work five days a week on one of a
//! few rest-day patterns, are sometimes absent or late, and are audited about once a week.

use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};

mod calls;
pub use calls::CALLS_HEADER;

/// Teams hold this many agents.
pub const TEAM_SIZE: usize = 12;
const TEAMS_PER_ACCOUNT: usize = 10;

const SITES: &[(&str, &str, &str)] = &[
    ("Manila", "PH", "Asia/Manila"),
    ("Cebu", "PH", "Asia/Manila"),
    ("Davao", "PH", "Asia/Manila"),
    ("Bengaluru", "IN", "Asia/Kolkata"),
    ("Hyderabad", "IN", "Asia/Kolkata"),
    ("Guadalajara", "MX", "America/Mexico_City"),
];
const CLIENTS: &[(&str, &str)] = &[
    ("Telco", "voice"),
    ("Bank", "voice"),
    ("Retail", "chat and email"),
    ("Insurer", "voice"),
    ("Airline", "voice"),
    ("Utility", "voice"),
    ("Streaming", "chat and email"),
];
const FIRST: &[&str] = &[
    "Ana", "Ben", "Cora", "Dan", "Eva", "Felix", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lena", "Mika", "Noel", "Olga",
    "Paolo", "Rina", "Sam", "Tess", "Uma", "Vic", "Wen", "Yuri", "Zara",
];
const LAST: &[&str] = &[
    "Reyes",
    "Santos",
    "Cruz",
    "Bautista",
    "Garcia",
    "Mendoza",
    "Torres",
    "Flores",
    "Rao",
    "Iyer",
    "Nair",
    "Shah",
    "Lopez",
    "Ramirez",
    "Diaz",
    "Castro",
    "Villanueva",
    "Aquino",
    "Ocampo",
    "Lim",
];

/// The header of the KPI file (`ladder-wide` preset).
pub const KPI_HEADER: &str = "employee,date,contacts,handle_seconds,resolved_first_contact,surveys,surveys_top_box,qa_points,qa_possible,scheduled_minutes,adherent_minutes,scheduled_hours,worked_hours";

/// A stateless random source: the same (seed, keys) always give the same number.
#[derive(Debug, Clone, Copy)]
struct Rand(u64);

impl Rand {
    fn at(self, a: u64, b: u64, c: u64) -> f64 {
        let mut x = self.0
            ^ a.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            ^ c.wrapping_mul(0x1656_67B1_9E37_79F9);
        // splitmix64 finaliser
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Roughly normal (sum of uniforms), mean 0, sd 1.
    fn normal(self, a: u64, b: u64, c: u64) -> f64 {
        (0..4).map(|k| self.at(a, b, c * 8 + k)).sum::<f64>() * (3.0f64).sqrt() - 2.0 * 3.0f64.sqrt()
    }
}

pub fn code(agent: usize) -> String {
    format!("E{:06}", agent + 1)
}
fn leader_code(team: usize) -> String {
    format!("L{:05}", team + 1)
}

/// What a generated organisation looks like for `agents` agents.
#[derive(Debug, Clone, Copy)]
pub struct Org {
    pub agents: usize,
    pub seed: u64,
    /// The KPI year.
    pub year: i32,
}

impl Org {
    pub fn teams(&self) -> usize {
        self.agents.div_ceil(TEAM_SIZE)
    }
    fn place(
        &self,
        team: usize,
    ) -> (&'static (&'static str, &'static str, &'static str), String, &'static str, String) {
        let account = team / TEAMS_PER_ACCOUNT;
        let site = &SITES[account % SITES.len()];
        let (client, lob) = CLIENTS[account % CLIENTS.len()];
        (site, format!("{client} {}", account + 1), lob, format!("Team {}", team % TEAMS_PER_ACCOUNT + 1))
    }
    fn name(&self, kind: u64, n: usize) -> String {
        let r = Rand(self.seed);
        let f = FIRST[(r.at(kind, n as u64, 1) * FIRST.len() as f64) as usize];
        let l = LAST[(r.at(kind, n as u64, 2) * LAST.len() as f64) as usize];
        format!("{f} {l}")
    }
    fn hire_date(&self, kind: u64, n: usize) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid year");
        start - Duration::days(30 + (Rand(self.seed).at(kind, n as u64, 3) * 1000.0) as i64)
    }

    /// Writes the people file: a team leader and up to [`TEAM_SIZE`] agents per team.
    pub fn write_people(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(
            out,
            "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader"
        )?;
        let r = Rand(self.seed);
        for team in 0..self.teams() {
            let (site, account, lob, team_name) = self.place(team);
            let client = account.split(' ').next().unwrap_or("");
            let place = format!("{},{},{},{account},{client},{lob},{team_name}", site.0, site.1, site.2);
            let leader = leader_code(team);
            let hired = self.hire_date(2, team) - Duration::days(400);
            let since = hired + Duration::days(365);
            writeln!(out, "{leader},{},,{place},team-leader,{since},{hired},", self.name(2, team))?;
            for agent in team * TEAM_SIZE..((team + 1) * TEAM_SIZE).min(self.agents) {
                let hired = self.hire_date(1, agent);
                let senior = r.at(1, agent as u64, 4) < 0.12;
                let (role, since) = if senior {
                    ("senior-agent", hired + Duration::days(365.min((self.year_start() - hired).num_days() - 1)))
                } else {
                    ("customer-service-executive", hired)
                };
                let c = code(agent);
                writeln!(
                    out,
                    "{c},{},{}@example.com,{place},{role},{since},{hired},{leader}",
                    self.name(1, agent),
                    c.to_ascii_lowercase()
                )?;
            }
        }
        Ok(())
    }

    fn year_start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid")
    }

    /// Writes a year of daily rows, day by day (as a year of daily exports put end to end).
    /// `errors` rows are deliberately wrong, one kind after another; their rows and kinds are
    /// returned (row numbers count the header as row 1).
    pub fn write_kpi(&self, out: &mut impl Write, errors: usize) -> io::Result<Vec<(u64, &'static str)>> {
        writeln!(out, "{KPI_HEADER}")?;
        let start = self.year_start();
        let days = if NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid").ordinal() == 366 { 366 } else { 365 };
        let expected_rows = (self.agents as u64 * days as u64 * 5) / 7;
        let r = Rand(self.seed);
        // Rows to spoil, spread over the file.
        let mut spoil: Vec<u64> = (0..errors as u64)
            .map(|k| 2 + ((r.at(99, k, 0) * expected_rows.saturating_sub(2) as f64) as u64))
            .collect();
        spoil.sort_unstable();
        spoil.dedup();
        let mut spoiled = Vec::new();
        let mut row: u64 = 1;
        let mut line = String::with_capacity(128);
        let mut previous = String::new();
        for d in 0..days {
            let day = start + Duration::days(d as i64);
            let weekday = day.weekday().num_days_from_monday() as usize;
            let progress = d as f64 / days as f64;
            for agent in 0..self.agents {
                let a = agent as u64;
                // Rest days: one of four patterns.
                let pattern = (r.at(a, 0, 10) * 4.0) as usize;
                if [5, 0, 2, 3][pattern] == weekday || [6, 1, 3, 4][pattern] == weekday {
                    continue;
                }
                row += 1;
                line.clear();
                self.day_row(&mut line, agent, day, d as u64, progress);
                let i = spoiled.len();
                if spoil.get(i) == Some(&row) {
                    let kind = ERROR_KINDS[i % ERROR_KINDS.len()];
                    spoil_row(&mut line, kind, &previous, self.year);
                    spoiled.push((row, kind));
                }
                out.write_all(line.as_bytes())?;
                std::mem::swap(&mut previous, &mut line);
            }
        }
        Ok(spoiled)
    }

    fn day_row(&self, line: &mut String, agent: usize, day: NaiveDate, d: u64, progress: f64) {
        use std::fmt::Write as _;
        let r = Rand(self.seed);
        let a = agent as u64;
        let skill = r.normal(a, 0, 1);
        // A third improve, a third stay flat, a third slip over the year.
        let trend = match (r.at(a, 0, 2) * 3.0) as u32 {
            0 => 1.0,
            1 => 0.0,
            _ => -1.0,
        } * (0.5 + r.at(a, 0, 3));
        let form = skill * 0.6 + trend * (progress - 0.5) * 1.6;
        let noise = |k: u64| r.normal(a, d, k);
        let absent = r.at(a, d, 20) < 0.025;
        let late = !absent && r.at(a, d, 21) < 0.05;
        let scheduled_hours = 8.0;
        let worked_hours = if absent {
            0.0
        } else if late {
            7.5
        } else {
            8.0
        };
        let contacts = if absent { 0 } else { (44.0 + 6.0 * noise(1) + 3.0 * form).round().max(5.0) as u64 };
        let aht = (575.0 - 45.0 * form + 40.0 * noise(2)).max(200.0);
        let handle = (contacts as f64 * aht).round() as u64;
        let fcr = (0.71 + 0.035 * form + 0.04 * noise(3)).clamp(0.3, 0.98);
        let resolved = ((contacts as f64) * fcr).round() as u64;
        let surveys = if absent { 0 } else { ((contacts as f64) * 0.12 + 1.5 * noise(4)).round().max(0.0) as u64 };
        let csat = (0.80 + 0.04 * form + 0.08 * noise(5)).clamp(0.2, 1.0);
        let top_box = ((surveys as f64) * csat).round().min(surveys as f64) as u64;
        let audited = !absent && r.at(a, d, 22) < 0.2;
        let adherence = (0.91 + 0.02 * form + 0.03 * noise(6)).clamp(0.5, 1.0);
        let adherent = if absent { 0 } else { (480.0 * adherence).round() as u64 };
        let _ = write!(line, "{},{day},{contacts},{handle},{resolved},{surveys},{top_box},", code(agent));
        if audited {
            let qa = (86.0 + 3.0 * form + 5.0 * noise(7)).clamp(30.0, 100.0).round() as u64;
            let _ = write!(line, "{qa},100,");
        } else {
            line.push_str(",,");
        }
        let _ = writeln!(line, "480,{adherent},{scheduled_hours},{worked_hours}");
    }
}

/// The deliberate errors `write_kpi` makes, in turn.
pub const ERROR_KINDS: &[&str] =
    &["unknown employee", "bad number", "duplicate row", "denominator zero", "wrong period", "share above 100 %"];

fn spoil_row(line: &mut String, kind: &str, previous: &str, year: i32) {
    let mut fields: Vec<String> = line.trim_end().split(',').map(str::to_string).collect();
    match kind {
        "unknown employee" => fields[0] = "X999999".into(),
        "bad number" => fields[3] = format!("{}x", fields[3]),
        "duplicate row" if !previous.is_empty() => {
            *line = previous.to_string();
            return;
        }
        "duplicate row" => fields[0] = "X999998".into(),
        "denominator zero" => {
            fields[2] = "0".into();
            fields[3] = "321".into();
        }
        "wrong period" => fields[1] = format!("{}-06-15", year + 5),
        _ => {
            // More first-contact resolutions than contacts.
            let contacts: u64 = fields[2].parse().unwrap_or(0);
            fields[4] = (contacts + 7).to_string();
        }
    }
    *line = fields.join(",");
    line.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_files_and_another_seed_does_not() {
        let gen = |seed| {
            let org = Org { agents: 30, seed, year: 2025 };
            let (mut people, mut kpi) = (Vec::new(), Vec::new());
            org.write_people(&mut people).unwrap();
            org.write_kpi(&mut kpi, 0).unwrap();
            (people, kpi)
        };
        assert_eq!(gen(7), gen(7));
        assert_ne!(gen(7).1, gen(8).1);
    }

    #[test]
    fn agents_work_about_five_days_a_week_and_errors_land_where_reported() {
        let org = Org { agents: 20, seed: 1, year: 2025 };
        let mut kpi = Vec::new();
        let spoiled = org.write_kpi(&mut kpi, 6).unwrap();
        let text = String::from_utf8(kpi).unwrap();
        let rows = text.lines().count() - 1;
        assert!((20 * 250..20 * 270).contains(&rows), "{rows} rows");
        assert_eq!(spoiled.len(), 6);
        let lines: Vec<&str> = text.lines().collect();
        let (row, kind) = spoiled[0];
        assert_eq!(kind, "unknown employee");
        assert!(lines[row as usize - 1].starts_with("X999999,"));
    }
}
