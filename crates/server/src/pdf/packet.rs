//! The promotion packet as a PDF: the same record as the packet page (`web::person::record`,
//! so the same access check), with the monthly score as a line chart.

use chrono::Utc;
use ladder_core::EmployeeId;

use super::{Doc, Point};
use crate::auth::Me;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::web::format;
use crate::web::person::{record, Record};

/// The packet of one person, for whoever may see them (as the HTML packet).
pub async fn packet(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<(String, Vec<u8>)> {
    let r = record(state, me, id).await?;
    Ok((super::file_name("promotion-packet", &r.name), render(state, &r)))
}

fn render(state: &AppState, r: &Record) -> Vec<u8> {
    let mut doc = Doc::new(&format!("Promotion packet: {}", r.name));
    doc.title(&format!("Promotion packet: {}", r.name));
    let mut line = r.role.clone();
    if let Some(rd) = &r.readiness {
        line.push_str(&format!(" → next step {}", rd.target_name));
    }
    if let Some(t) = &r.target {
        line.push_str(&format!(" (long-term goal: {t})"));
    }
    let plural = if r.months_in_role == 1 { "" } else { "s" };
    doc.paragraph(&format!(
        "{line} · {} · {} month{plural} in role · with us {} · printed {}",
        r.team,
        r.months_in_role,
        r.tenure,
        Utc::now().date_naive()
    ));

    doc.heading("KRA attainment, last 12 months");
    let short = if r.short.is_empty() { String::new() } else { format!(": {}", r.short.join("; ")) };
    doc.paragraph(&format!(
        "Mean monthly score: {}. Latest ({}): {} ({}{short}).",
        r.mean_score, r.month, r.total, r.rating
    ));
    let guides: Vec<(f64, &str)> =
        state.framework.scoring.bands.iter().map(|b| (b.min_score, b.label.as_str())).collect();
    let points: Vec<Point> = r.scores.iter().map(|(label, value)| Point { label, value: *value }).collect();
    doc.line_chart("Monthly KRA score (0–125), with the rating bands", &points, &guides, (0.0, 125.0));
    let rows: Vec<Vec<String>> =
        r.trend.iter().map(|t| vec![t.month.clone(), t.total.clone(), t.rating.clone()]).collect();
    doc.table(&["Month", "Score", "Rating"], &rows, &[0.3, 0.2, 0.5]);

    doc.heading("Accomplishments");
    if r.accomplishments.is_empty() {
        doc.paragraph("No shared accomplishments.");
    }
    for a in &r.accomplishments {
        let mut text = format!("{} ({})", a.title, a.date);
        if let Some(v) = a.impact_value {
            text.push_str(&format!(": {} {}", format::amount(v), a.impact_unit.clone().unwrap_or_default()));
        }
        if !a.details.is_empty() {
            text.push_str(&format!(" — {}", a.details));
        }
        doc.bullet(text.trim_end());
    }

    if let Some(rd) = &r.readiness {
        doc.heading(&format!("Against the requirements of {}", rd.target_name));
        let rows: Vec<Vec<String>> = r
            .requirements
            .iter()
            .map(|(name, met, standing)| {
                vec![name.clone(), if *met { "Yes" } else { "Not yet" }.to_string(), standing.clone()]
            })
            .collect();
        doc.table(&["Requirement", "Met", "Where it stands"], &rows, &[0.35, 0.15, 0.5]);
    }

    doc.heading("Certifications");
    if r.certifications.is_empty() {
        doc.paragraph("None recorded.");
    }
    for (name, c) in &r.certifications {
        let mut text = format!("{name} — {}", c.state_label());
        if let Some(d) = c.earned_date {
            text.push_str(&format!(", earned {d}"));
        }
        if let Some(x) = c.expires_date {
            text.push_str(&format!(", valid to {x}"));
        }
        doc.bullet(&text);
    }

    doc.heading("Mentoring and shadowing");
    if r.mentoring.is_empty() {
        doc.paragraph("No sessions logged.");
    }
    for m in &r.mentoring {
        let kind = if m.kind == "mentor" { "mentoring" } else { "shadowing" };
        let mut text = format!("{}, {} minutes, {kind}", m.held_on, m.minutes);
        if let Some(n) = &m.mentor_name {
            text.push_str(&format!(" with {n}"));
        }
        if let Some(b) = &m.logged_as {
            text.push_str(&format!(", logged by the {b}"));
        }
        if !m.note.is_empty() {
            text.push_str(&format!(": {}", m.note));
        }
        doc.bullet(&text);
    }

    doc.heading("Leader's endorsement");
    doc.paragraph(r.endorsement.as_deref().unwrap_or("Not yet written."));
    doc.finish()
}
