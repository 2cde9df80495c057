//! The career ladder as a picture: roles in rows by level (entry roles at the bottom), arrows
//! for the moves between them, each box with its typical time from an entry role. Drawn by
//! hand rather than with plotters (a graph, not a chart), in the same style as `charts`: an
//! inline SVG with a title and a description; the page lists the same facts as text beside it.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::service::explore::LadderView;

const WIDTH: f64 = 640.0;
const BOX_HEIGHT: f64 = 58.0;
const ROW: f64 = 96.0;
const GAP: f64 = 8.0;
const TOP: f64 = 12.0;

/// The fill of a role's box by family; the text stays dark on all of them.
fn fill(family: &str) -> &'static str {
    match family {
        "voice" => "#cdebff",
        "non-voice" => "#dff3ea",
        "support-function" => "#fff0d6",
        _ => "#eef2f6",
    }
}

/// The typical time from an entry role, in words: "entry role", "12–18 months", "2–3 years".
pub fn span(months: Option<[u32; 2]>) -> String {
    match months {
        None => "no path from an entry role".into(),
        Some([0, 0]) => "entry role".into(),
        Some([lo, hi]) if hi < 24 => format!("{lo}–{hi} months"),
        Some([lo, hi]) => format!("{}–{} years", years(lo), years(hi)),
    }
}

/// Months as years to the nearest half year: 30 → "2.5", 36 → "3".
fn years(months: u32) -> String {
    let halves = (f64::from(months) / 6.0).round() / 2.0;
    if halves.fract() == 0.0 {
        format!("{halves:.0}")
    } else {
        format!("{halves:.1}")
    }
}

/// A role's name broken into lines of about 16 characters, at most three; a longer name ends
/// its third line with "…" (the box's tooltip and the page's text list have it whole).
fn lines(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= 16 => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    if out.len() > 3 {
        out.truncate(3);
        out[2].push('…');
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The ladder as an accessible inline SVG.
pub fn ladder(view: &LadderView, title: &str, description: &str) -> String {
    let top_level = view.roles.iter().map(|r| r.level).max().unwrap_or(1);
    let mut rows: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for (i, r) in view.roles.iter().enumerate() {
        rows.entry(r.level).or_default().push(i);
    }
    // Each role's box: (x, y, width).
    let mut boxes: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new();
    for (level, members) in &rows {
        let n = members.len() as f64;
        let width = ((WIDTH - GAP * (n + 1.0)) / n).min(150.0);
        let used = width * n + GAP * (n - 1.0);
        let y = TOP + f64::from(top_level - level) * ROW;
        for (k, &i) in members.iter().enumerate() {
            let x = (WIDTH - used) / 2.0 + k as f64 * (width + GAP);
            boxes.insert(view.roles[i].id.as_str(), (x, y, width));
        }
    }
    let height = TOP * 2.0 + f64::from(top_level - 1) * ROW + BOX_HEIGHT;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {WIDTH} {height}\" preserveAspectRatio=\"xMidYMid meet\" class=\"chart ladder\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title><desc>{d}</desc>\
         <defs><marker id=\"ladder-arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#4a5360\"/></marker></defs>\
         <rect width=\"{WIDTH}\" height=\"{height}\" fill=\"#fff\"/>",
        t = escape(title),
        d = escape(description)
    );
    for p in &view.paths {
        let (Some(&(fx, fy, fw)), Some(&(tx, ty, tw))) = (boxes.get(p.from.as_str()), boxes.get(p.to.as_str())) else {
            continue;
        };
        let (x1, x2) = (fx + fw / 2.0, tx + tw / 2.0);
        let line = if (fy - ty).abs() < 1.0 {
            // Between roles of one level: a curve below the row.
            let y = fy + BOX_HEIGHT;
            format!("M{x1:.1},{y:.1} Q{:.1},{:.1} {x2:.1},{y:.1}", (x1 + x2) / 2.0, y + 26.0)
        } else {
            format!("M{x1:.1},{fy:.1} L{x2:.1},{:.1}", ty + BOX_HEIGHT)
        };
        let _ = write!(
            svg,
            "<path d=\"{line}\" fill=\"none\" stroke=\"#8a96a3\" stroke-width=\"1.2\" marker-end=\"url(#ladder-arrow)\"/>"
        );
    }
    for r in &view.roles {
        let (x, y, w) = boxes[r.id.as_str()];
        let _ = write!(svg, "<g><title>{}</title>", escape(&r.name));
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BOX_HEIGHT}\" rx=\"6\" fill=\"{}\" stroke=\"#4a5360\"/>",
            fill(&r.family)
        );
        let cx = x + w / 2.0;
        for (k, text) in lines(&r.name).iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#1b1f24\">{}</text>",
                y + 14.0 + 12.0 * k as f64,
                escape(text)
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10\" fill=\"#1b1f24\">{}</text>",
            y + BOX_HEIGHT - 6.0,
            escape(&span(r.months_from_entry))
        );
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_in_months_then_half_years() {
        assert_eq!(span(Some([0, 0])), "entry role");
        assert_eq!(span(Some([12, 18])), "12–18 months");
        assert_eq!(span(Some([24, 36])), "2–3 years");
        assert_eq!(span(Some([48, 66])), "4–5.5 years");
        assert_eq!(span(None), "no path from an entry role");
    }

    #[test]
    fn a_long_name_is_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip() {
        let name = "Senior Workforce Management Real Time Analyst Expert";
        let cut = lines(name);
        assert_eq!(cut.len(), 3, "{cut:?}");
        assert!(cut[2].ends_with('…'), "{cut:?}");
        assert_eq!(lines("Team Leader"), ["Team Leader"]);

        let mut view = crate::service::explore::ladder(&ladder_core::Framework::default_framework());
        view.roles[0].name = name.into();
        let svg = ladder(&view, "The ladder", "roles");
        assert!(svg.contains(&format!("<title>{name}</title>")), "the full name in the box's tooltip");
    }

    #[test]
    fn the_picture_has_a_box_and_a_label_for_every_role() {
        let fw = ladder_core::Framework::default_framework();
        let view = crate::service::explore::ladder(&fw);
        let svg = ladder(&view, "The ladder", "roles");
        assert!(svg.starts_with("<svg role=\"img\"") && svg.contains("<title>The ladder</title>"));
        assert_eq!(svg.matches("<rect x=").count(), fw.roles.len());
        assert_eq!(svg.matches("marker-end").count(), fw.paths.len());
        assert!(svg.contains(">Team Leader<"));
    }
}
