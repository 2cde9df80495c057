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

/// Drawing width: small, so that at 360 px (about 310 px of card) the text shows at 12 px or
/// more; wider screens cap the chart (CSS) rather than shrink the text. plotters writes a font
/// of size 18 as 14.5 px.
const WIDTH: u32 = 360;
const FONT: u32 = 18;
/// Room right of the plot for the guide lines' labels, so they never sit on the data.
const GUIDE_LABELS: u32 = 100;

/// A line chart over labelled x positions (months), with optional guide lines. The y-range is
/// `y_range` narrowed to the data (and the guides near it), so month-to-month changes show.
/// Under the chart, the same figures as a table.
pub fn line_chart(
    title: &str,
    x_labels: &[String],
    series: &[Series],
    guides: &[Guide],
    y_range: (f64, f64),
) -> String {
    let range = fit_range(series, guides, y_range);
    let height = 260;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        if draw(&root, x_labels, series, guides, range).is_err() {
            return String::new();
        }
        root.present().ok();
    }
    let table = figures_table(title, "Month", x_labels, series, &|v| format!("{v:.1}"));
    format!("{}{table}", accessible_sized(svg, title, &describe(x_labels, series, &|v| format!("{v:.1}")), height))
}

/// The y-range: the data's lowest and highest, widened to the nearest guide below and above,
/// padded by a tenth of the full range and rounded out to tens, kept within `full`. No data: the
/// full range.
fn fit_range(series: &[Series], guides: &[Guide], full: (f64, f64)) -> (f64, f64) {
    let values = series.iter().flat_map(|s| s.values.iter().flatten().copied());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        return full;
    }
    let at = guides.iter().map(|g| g.at).filter(|a| a.is_finite());
    let below = at.clone().filter(|a| *a <= lo).reduce(f64::max).unwrap_or(lo);
    let above = at.filter(|a| *a >= hi).reduce(f64::min).unwrap_or(hi);
    let pad = (full.1 - full.0) / 10.0;
    let lo = (((below - pad) / 10.0).floor() * 10.0).max(full.0);
    let hi = (((above + pad) / 10.0).ceil() * 10.0).min(full.1.max(hi));
    if hi > lo {
        (lo, hi)
    } else {
        full
    }
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
        .margin(8)
        .margin_right(GUIDE_LABELS)
        .x_label_area_size(26)
        .y_label_area_size(40)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), y_min..y_max)?;
    // As many month labels as fit (about 56 px each): every month, every other one, …
    let plot_width = (WIDTH - GUIDE_LABELS - 40 - 16) as usize;
    let step = (n * 56).div_ceil(plot_width).max(1);
    let labels = x_labels.to_vec();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n && (n - 1 - i as usize).is_multiple_of(step) {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(5)
        .light_line_style(TRANSPARENT)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", FONT))
        .draw()?;
    for g in guides.iter().filter(|g| g.at >= y_min && g.at <= y_max) {
        let style = ShapeStyle::from(&RGBColor(120, 120, 120)).stroke_width(1);
        chart.draw_series(DashedLineSeries::new([(-0.5, g.at), (n as f64 - 0.5, g.at)], 4, 3, style))?;
        // The label sits in the margin right of the plot, level with its line: its first word
        // ("Meets" for "Meets expectations"), cut to fit; the full names are the page's.
        let (px, py) = chart.backend_coord(&(n as f64 - 0.5, g.at));
        root.draw(&Text::new(
            clip(g.label.split_whitespace().next().unwrap_or_default(), 11),
            (px + 4, py),
            ("sans-serif", FONT).into_font().color(&RGBColor(70, 70, 70)).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            )),
        ))?;
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

/// Horizontal bars, one per label (people or groups compared on one number), values as
/// numbers with one decimal.
pub fn bar_chart(title: &str, labels: &[String], values: &[Option<f64>], x_max: f64) -> String {
    bar_chart_in(title, labels, values, x_max, &|v| format!("{v:.1}"))
}

/// [`bar_chart`] with the values in the tables' format (e.g. AHT as m:ss).
pub fn bar_chart_in(
    title: &str,
    labels: &[String],
    values: &[Option<f64>],
    x_max: f64,
    shown: &dyn Fn(f64) -> String,
) -> String {
    let height = (44 + 24 * labels.len().max(1)) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        if draw_bars(&root, labels, values, x_max, shown).is_err() {
            return String::new();
        }
        root.present().ok();
    }
    let series = [Series { label: title, values: values.to_vec() }];
    let table = figures_table(title, "", labels, &series, shown);
    format!("{}{table}", accessible_sized(svg, title, &describe(labels, &series, shown), height))
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    labels: &[String],
    values: &[Option<f64>],
    x_max: f64,
    shown: &dyn Fn(f64) -> String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = labels.len().max(1);
    // Long names are cut to fit their column; the table under the chart has them whole.
    let names: Vec<String> = labels.iter().map(|l| clip(l, 14)).collect();
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_right(20)
        .x_label_area_size(26)
        .y_label_area_size(120)
        .build_cartesian_2d(0f64..x_max, -0.5f64..(n as f64 - 0.5))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .y_labels(n)
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_labels(4)
        .x_label_formatter(&|x| shown(*x))
        .label_style(("sans-serif", FONT))
        .draw()?;
    chart.draw_series(values.iter().enumerate().filter_map(|(i, v)| {
        v.map(|v| {
            let y = i as f64;
            Rectangle::new([(0.0, y - 0.35), (v.min(x_max), y + 0.35)], PALETTE[0].filled())
        })
    }))?;
    Ok(())
}

/// At most `max` characters, an ellipsis marking a cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// The chart's figures as a table, folded under it: the text alternative a screen reader or a
/// reader who wants the numbers uses.
fn figures_table(
    title: &str,
    x_heading: &str,
    x_labels: &[String],
    series: &[Series],
    shown: &dyn Fn(f64) -> String,
) -> String {
    let mut html = format!(
        "<details class=\"figures\"><summary>Figures as a table</summary><table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(title),
        escape(x_heading)
    );
    for s in series {
        html.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            escape(if series.len() == 1 { "Value" } else { s.label })
        ));
    }
    html.push_str("</tr></thead><tbody>");
    for (i, x) in x_labels.iter().enumerate() {
        html.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(x)));
        for s in series {
            let v = s.values.get(i).copied().flatten().map_or("no data".to_string(), shown);
            html.push_str(&format!("<td class=\"num\">{}</td>", escape(&v)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></details>");
    html
}

fn accessible_sized(svg: String, title: &str, description: &str, height: u32) -> String {
    let head = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {height}\" preserveAspectRatio=\"xMidYMid meet\" class=\"chart\"><title>{}</title><desc>{}</desc>",
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

fn describe(x_labels: &[String], series: &[Series], shown: &dyn Fn(f64) -> String) -> String {
    series
        .iter()
        .map(|s| {
            let points: Vec<String> = x_labels
                .iter()
                .zip(&s.values)
                .map(|(x, v)| format!("{x}: {}", v.map_or("no data".to_string(), shown)))
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
    use ladder_core::framework::Unit;

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
        let end = svg.find("</svg>").expect("the chart ends");
        assert!(svg[end..].contains("<details class=\"figures\">"), "the figures table follows the chart");
    }

    #[test]
    fn the_y_range_follows_the_data_within_the_full_range() {
        let s = |v: Vec<Option<f64>>| [Series { label: "Score", values: v }];
        assert_eq!(fit_range(&s(vec![Some(96.0), Some(104.0)]), &[], (0.0, 125.0)), (80.0, 120.0));
        assert_eq!(fit_range(&s(vec![Some(5.0), Some(124.0)]), &[], (0.0, 125.0)), (0.0, 125.0));
        assert_eq!(fit_range(&s(vec![None]), &[], (0.0, 125.0)), (0.0, 125.0));
    }

    #[test]
    fn the_y_range_reaches_the_nearest_guide_above_and_below() {
        let s = |v: Vec<Option<f64>>| [Series { label: "Score", values: v }];
        let g = |at: f64| Guide { at, label: "Band" };
        let guides = [g(20.0), g(50.0), g(100.0), g(115.0)];
        // 60–70 alone would be 40–90; the nearest guides are 50 below and 100 above.
        assert_eq!(fit_range(&s(vec![Some(60.0), Some(70.0)]), &guides, (0.0, 125.0)), (30.0, 120.0));
        // A guide on the data is its own nearest; ones outside the full range are not reached for.
        assert_eq!(fit_range(&s(vec![Some(100.0)]), &guides, (0.0, 125.0)), (80.0, 120.0));
        assert_eq!(fit_range(&s(vec![Some(60.0)]), &[g(-50.0), g(300.0)], (0.0, 125.0)), (0.0, 125.0));
    }

    #[test]
    fn a_guide_on_the_ranges_edge_is_drawn() {
        let months: Vec<String> = ["Jan", "Feb"].iter().map(|s| s.to_string()).collect();
        // 95–100 with a guide at 100: the range is 80–120; the guide at 120 sits on its edge.
        let svg = line_chart(
            "Trend",
            &months,
            &[Series { label: "Score", values: vec![Some(95.0), Some(100.0)] }],
            &[Guide { at: 100.0, label: "Meets" }, Guide { at: 120.0, label: "Exceeds" }],
            (0.0, 120.0),
        );
        assert!(svg.contains("Meets") && svg.contains("Exceeds"), "{svg}");
    }

    #[test]
    fn each_chart_carries_its_figures_as_a_table_in_the_tables_units() {
        let months: Vec<String> = ["Nov 25", "Dec 25"].iter().map(|s| s.to_string()).collect();
        let svg = line_chart(
            "Trend",
            &months,
            &[Series { label: "Score", values: vec![Some(95.0), None] }],
            &[],
            (0.0, 125.0),
        );
        assert!(svg.contains("<summary>Figures as a table</summary>"));
        assert!(svg.contains("<th scope=\"row\">Dec 25</th><td class=\"num\">no data</td>"), "{svg}");
        let names = vec!["North".to_string()];
        let bars = bar_chart_in("AHT by site", &names, &[Some(590.0)], 700.0, &|v| Unit::Seconds.show(v));
        assert!(bars.contains("<td class=\"num\">9:50</td>"), "{bars}");
        assert!(bars.contains("North: 9:50"), "the description reads m:ss too");
    }

    #[test]
    fn band_labels_sit_right_of_the_plot_not_on_the_line() {
        let months: Vec<String> = (1..=12).map(|m| format!("M{m}")).collect();
        let svg = line_chart(
            "Trend",
            &months,
            &[Series { label: "Score", values: vec![Some(100.0); 12] }],
            &[Guide { at: 100.0, label: "Meets" }],
            (0.0, 125.0),
        );
        let at = svg.find("Meets").unwrap_or_else(|| panic!("the band is labelled: {svg}"));
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let x: f64 = tag.split("x=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(x > f64::from(WIDTH - GUIDE_LABELS), "label at x = {x}, inside the plot: {tag}");
    }
}
