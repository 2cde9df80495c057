//! SVG charts drawn with plotters, for numbers people compare over time or across people.
//! The SVG goes inline in the page: no JavaScript, prints cleanly, and carries a title and a
//! description for screen readers (the same numbers are always in a table next to it too).

use plotters::prelude::*;

/// One line of a chart: a label and a value per x position (None = a gap).
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<Option<f64>>,
}

/// A horizontal reference line, e.g. a rating band's lower bound.
pub struct Guide<'a> {
    pub at: f64,
    pub label: &'a str,
}

const PALETTE: [RGBColor; 4] =
    [RGBColor(0, 90, 156), RGBColor(200, 82, 0), RGBColor(0, 128, 96), RGBColor(120, 60, 160)];

/// A line chart over labelled x positions (months), with optional guide lines.
pub fn line_chart(
    title: &str,
    x_labels: &[String],
    series: &[Series],
    guides: &[Guide],
    y_range: (f64, f64),
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 280)).into_drawing_area();
        if draw(&root, x_labels, series, guides, y_range).is_err() {
            return String::new();
        }
        root.present().ok();
    }
    accessible(svg, title, &describe(x_labels, series))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    x_labels: &[String],
    series: &[Series],
    guides: &[Guide],
    (y_min, y_max): (f64, f64),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = x_labels.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), y_min..y_max)?;
    let labels = x_labels.to_vec();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(6)
        .label_style(("sans-serif", 12))
        .draw()?;
    for g in guides {
        let style = ShapeStyle::from(&RGBColor(120, 120, 120)).stroke_width(1);
        chart.draw_series(LineSeries::new([(-0.5, g.at), (n as f64 - 0.5, g.at)], style))?;
        chart.draw_series(std::iter::once(Text::new(
            g.label.to_string(),
            (n as f64 - 0.5, g.at),
            ("sans-serif", 11).into_font().color(&RGBColor(90, 90, 90)).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )))?;
    }
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        // Gaps break the line instead of drawing through missing months.
        let mut run = Vec::new();
        for (x, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => run.push((x as f64, *v)),
                None if !run.is_empty() => {
                    chart.draw_series(LineSeries::new(std::mem::take(&mut run), color.stroke_width(2)))?;
                }
                None => {}
            }
        }
        if !run.is_empty() {
            chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
        }
        chart.draw_series(
            s.values.iter().enumerate().filter_map(|(x, v)| v.map(|v| Circle::new((x as f64, v), 3, color.filled()))),
        )?;
    }
    Ok(())
}

/// Horizontal bars, one per label (people or groups compared on one number).
pub fn bar_chart(title: &str, labels: &[String], values: &[Option<f64>], x_max: f64) -> String {
    let height = (40 + 22 * labels.len().max(1)) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        if draw_bars(&root, labels, values, x_max).is_err() {
            return String::new();
        }
        root.present().ok();
    }
    let series = [Series { label: title, values: values.to_vec() }];
    accessible_sized(svg, title, &describe(labels, &series), height)
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    labels: &[String],
    values: &[Option<f64>],
    x_max: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = labels.len().max(1);
    let names = labels.to_vec();
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(150)
        .build_cartesian_2d(0f64..x_max, -0.5f64..(n as f64 - 0.5))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style(("sans-serif", 12))
        .draw()?;
    chart.draw_series(values.iter().enumerate().filter_map(|(i, v)| {
        v.map(|v| {
            let y = i as f64;
            Rectangle::new([(0.0, y - 0.35), (v.min(x_max), y + 0.35)], PALETTE[0].filled())
        })
    }))?;
    Ok(())
}

/// Adds role, title and description so screen readers announce the chart.
fn accessible(svg: String, title: &str, description: &str) -> String {
    accessible_sized(svg, title, description, 280)
}

fn accessible_sized(svg: String, title: &str, description: &str, height: u32) -> String {
    let head = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 640 {height}\" preserveAspectRatio=\"xMidYMid meet\" class=\"chart\"><title>{}</title><desc>{}</desc>",
        escape(title),
        escape(title),
        escape(description)
    );
    match svg.find("<svg") {
        Some(start) => {
            let end = svg[start..].find('>').map_or(svg.len(), |e| start + e + 1);
            format!("{head}{}", &svg[end..])
        }
        None => svg,
    }
}

fn describe(x_labels: &[String], series: &[Series]) -> String {
    series
        .iter()
        .map(|s| {
            let points: Vec<String> = x_labels
                .iter()
                .zip(&s.values)
                .map(|(x, v)| format!("{x}: {}", v.map_or("no data".to_string(), |v| format!("{v:.1}"))))
                .collect();
            format!("{} — {}", s.label, points.join(", "))
        })
        .collect::<Vec<_>>()
        .join(". ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_chart_is_accessible_svg_with_every_value_described() {
        let months: Vec<String> = ["Jan", "Feb", "Mar"].iter().map(|s| s.to_string()).collect();
        let svg = line_chart(
            "Score trend",
            &months,
            &[Series { label: "Score", values: vec![Some(95.0), None, Some(104.5)] }],
            &[Guide { at: 90.0, label: "Meets" }],
            (0.0, 120.0),
        );
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"Score trend\""), "{}", &svg[..120.min(svg.len())]);
        assert!(svg.contains("<desc>Score — Jan: 95.0, Feb: no data, Mar: 104.5</desc>"));
        assert!(svg.contains("<circle") || svg.contains("<path"), "points are drawn");
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
