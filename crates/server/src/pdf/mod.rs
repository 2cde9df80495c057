//! Server-made PDF files (issue 30): the promotion packet and the career plan, with their charts
//! as vector drawings. A small flowing layout (headings, wrapped paragraphs, tables, charts) over
//! `pdf-writer`, in the standard Helvetica fonts ([`winansi`]), so no font file is shipped and
//! the files stay a few kilobytes.

mod packet;
mod plan;
pub mod winansi;

pub use packet::packet;
pub use plan::plan;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = 60.0;
const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");
const GREY: (f32, f32, f32) = (0.45, 0.45, 0.45);

/// A document being laid out, top to bottom, page after page.
pub struct Doc {
    title: String,
    pages: Vec<Content>,
    y: f32,
    /// Some text needed a stand-in character (a script the standard fonts lack).
    substituted: bool,
}

/// One series point of a line chart: its label under the axis and its value, if any.
pub struct Point<'a> {
    pub label: &'a str,
    pub value: Option<f64>,
}

/// One bar of a progress chart: its label, progress 0–1, and what stands beside it.
pub struct Bar {
    pub label: String,
    pub progress: f64,
    pub note: String,
}

/// One row of a span chart, in months from now.
pub struct Span {
    pub label: String,
    pub earliest: f32,
    pub latest: f32,
    pub expected: f32,
    pub note: String,
}

impl Doc {
    pub fn new(title: &str) -> Doc {
        let mut doc = Doc { title: title.to_string(), pages: Vec::new(), y: TOP, substituted: false };
        doc.new_page();
        doc
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a page")
    }

    /// Room for `height` points on this page, else a new page.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, bold: bool, size: f32) {
        self.substituted |= !winansi::exact(text);
        let bytes = winansi::encode(text);
        let page = self.page();
        page.begin_text();
        page.set_font(if bold { BOLD } else { REGULAR }, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    /// Lines of at most `max` points: words moved whole, a word too long for a line cut.
    fn wrap(text: &str, bold: bool, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if winansi::width(&candidate, bold, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                if winansi::width(&format!("{line}{c}"), bold, size) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(c);
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn flow(&mut self, text: &str, bold: bool, size: f32, indent: f32) {
        let leading = size * 1.35;
        for line in Doc::wrap(text, bold, size, WIDTH - indent) {
            self.ensure(leading);
            self.y -= leading;
            self.text_at(MARGIN + indent, self.y, &line, bold, size);
        }
    }

    pub fn title(&mut self, text: &str) {
        self.flow(text, true, 18.0, 0.0);
        self.y -= 4.0;
    }

    pub fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y -= 10.0;
        self.flow(text, true, 13.0, 0.0);
        self.y -= 2.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        self.flow(text, false, 10.0, 0.0);
        self.y -= 3.0;
    }

    pub fn bullet(&mut self, text: &str) {
        self.ensure(14.0);
        self.text_at(MARGIN + 4.0, self.y - 13.5, "•", false, 10.0);
        self.flow(text, false, 10.0, 14.0);
    }

    /// A table: a bold header row, then rows; each column's share of the width is given.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>], shares: &[f32]) {
        let widths: Vec<f32> = shares.iter().map(|s| s * WIDTH).collect();
        self.table_row(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>(), &widths, true);
        for row in rows {
            self.table_row(row, &widths, false);
        }
        self.y -= 4.0;
    }

    fn table_row(&mut self, cells: &[String], widths: &[f32], bold: bool) {
        let size = 9.5;
        let leading = size * 1.3;
        let wrapped: Vec<Vec<String>> =
            cells.iter().zip(widths).map(|(c, w)| Doc::wrap(c, bold, size, w - 6.0)).collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let height = lines as f32 * leading + 4.0;
        self.ensure(height);
        let top = self.y;
        let mut x = MARGIN;
        for (cell, w) in wrapped.iter().zip(widths) {
            for (i, line) in cell.iter().enumerate() {
                self.text_at(x, top - leading * (i as f32 + 1.0), line, bold, size);
            }
            x += w;
        }
        self.y = top - height;
        let y = self.y + 1.0;
        let page = self.page();
        page.set_stroke_rgb(0.8, 0.8, 0.8).set_line_width(0.5);
        page.move_to(MARGIN, y).line_to(MARGIN + WIDTH, y).stroke();
    }

    /// A line chart of values over `range`, with labelled guide lines (the rating bands), then
    /// every value in words below it (a PDF reader may not read drawings aloud).
    pub fn line_chart(&mut self, caption: &str, points: &[Point], guides: &[(f64, &str)], range: (f64, f64)) {
        let (height, left, right) = (150.0, MARGIN + 28.0, MARGIN + WIDTH - 90.0);
        self.ensure(height + 60.0);
        self.flow(caption, true, 10.0, 0.0);
        let (top, bottom) = (self.y - 8.0, self.y - 8.0 - height);
        let y_of = |v: f64| bottom + ((v.clamp(range.0, range.1) - range.0) / (range.1 - range.0)) as f32 * height;
        let step = if points.len() > 1 { (right - left) / (points.len() - 1) as f32 } else { 0.0 };
        let x_of = |i: usize| if points.len() > 1 { left + step * i as f32 } else { (left + right) / 2.0 };
        {
            let page = self.page();
            page.set_stroke_rgb(0.2, 0.2, 0.2).set_line_width(0.8);
            page.move_to(left, top).line_to(left, bottom).line_to(right, bottom).stroke();
            page.set_stroke_rgb(0.7, 0.7, 0.7).set_line_width(0.5).set_dash_pattern([3.0, 3.0], 0.0);
            for (at, _) in guides {
                page.move_to(left, y_of(*at)).line_to(right, y_of(*at)).stroke();
            }
            page.set_dash_pattern(std::iter::empty::<f32>(), 0.0);
        }
        for (at, label) in guides {
            self.text_at(right + 4.0, y_of(*at) - 3.0, label, false, 7.5);
        }
        for tick in [range.0, (range.0 + range.1) / 2.0, range.1] {
            self.text_at(MARGIN, y_of(tick) - 3.0, &format!("{tick:.0}"), false, 7.5);
        }
        self.draw_series(points, &x_of, &y_of);
        let every = points.len().div_ceil(12).max(1);
        for (i, p) in points.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let w = winansi::width(p.label, false, 7.5);
            self.text_at(x_of(i) - w / 2.0, bottom - 11.0, p.label, false, 7.5);
        }
        self.y = bottom - 16.0;
        let words: Vec<String> = points
            .iter()
            .map(|p| format!("{} {}", p.label, p.value.map_or_else(|| "no score".to_string(), |v| format!("{v:.1}"))))
            .collect();
        self.flow(&format!("Values: {}.", words.join("; ")), false, 8.0, 0.0);
        self.y -= 4.0;
    }

    fn draw_series(&mut self, points: &[Point], x_of: &dyn Fn(usize) -> f32, y_of: &dyn Fn(f64) -> f32) {
        let page = self.page();
        page.set_stroke_rgb(0.05, 0.35, 0.65).set_line_width(1.6);
        let mut drawing = false;
        for (i, p) in points.iter().enumerate() {
            match p.value {
                Some(v) if drawing => {
                    page.line_to(x_of(i), y_of(v));
                }
                Some(v) => {
                    page.move_to(x_of(i), y_of(v));
                    drawing = true;
                }
                None => {
                    if drawing {
                        page.stroke();
                    }
                    drawing = false;
                }
            }
        }
        if drawing {
            page.stroke();
        }
        page.set_fill_rgb(0.05, 0.35, 0.65);
        for (i, p) in points.iter().enumerate() {
            if let Some(v) = p.value {
                page.rect(x_of(i) - 2.0, y_of(v) - 2.0, 4.0, 4.0).fill_nonzero();
            }
        }
        page.set_fill_rgb(0.0, 0.0, 0.0);
    }

    /// Horizontal progress bars, each with its label above and its note beside.
    pub fn bar_chart(&mut self, caption: &str, bars: &[Bar]) {
        self.ensure(40.0);
        self.flow(caption, true, 10.0, 0.0);
        let (bar_width, bar_height) = (200.0, 9.0);
        for bar in bars {
            self.ensure(30.0);
            self.y -= 12.0;
            self.text_at(MARGIN, self.y, &bar.label, false, 9.0);
            self.y -= bar_height + 4.0;
            let y = self.y;
            let filled = bar_width * bar.progress.clamp(0.0, 1.0) as f32;
            let page = self.page();
            page.set_fill_rgb(0.88, 0.88, 0.88).rect(MARGIN, y, bar_width, bar_height).fill_nonzero();
            let (r, g, b) = if bar.progress >= 1.0 { (0.1, 0.5, 0.2) } else { (0.05, 0.35, 0.65) };
            page.set_fill_rgb(r, g, b).rect(MARGIN, y, filled, bar_height).fill_nonzero();
            page.set_fill_rgb(0.0, 0.0, 0.0);
            let note = format!("{:.0} % — {}", bar.progress.clamp(0.0, 1.0) * 100.0, bar.note);
            let lines = Doc::wrap(&note, false, 8.5, WIDTH - bar_width - 10.0);
            for (i, line) in lines.iter().enumerate() {
                self.text_at(MARGIN + bar_width + 10.0, y + 1.0 - 10.0 * i as f32, line, false, 8.5);
            }
            self.y -= 10.0 * (lines.len().saturating_sub(1)) as f32;
        }
        self.y -= 6.0;
    }

    /// Spans on one time axis (months from now), one row each: a light bar from the earliest
    /// to the latest month, a dark mark at the expected one, and the note in words beside.
    pub fn span_chart(&mut self, caption: &str, spans: &[Span]) {
        let scale = spans.iter().map(|s| s.latest).fold(1.0_f32, f32::max);
        let (left, axis) = (MARGIN, 260.0);
        self.ensure(50.0);
        self.flow(caption, true, 10.0, 0.0);
        for span in spans {
            self.ensure(30.0);
            self.y -= 12.0;
            self.text_at(left, self.y, &span.label, false, 9.0);
            self.y -= 13.0;
            let y = self.y;
            let x = |m: f32| left + axis * (m / scale);
            let page = self.page();
            page.set_stroke_rgb(0.75, 0.75, 0.75).set_line_width(0.5);
            page.move_to(left, y + 4.5).line_to(left + axis, y + 4.5).stroke();
            page.set_fill_rgb(0.7, 0.82, 0.93)
                .rect(x(span.earliest), y, x(span.latest) - x(span.earliest), 9.0)
                .fill_nonzero();
            page.set_fill_rgb(0.05, 0.35, 0.65).rect(x(span.expected) - 1.5, y - 2.0, 3.0, 13.0).fill_nonzero();
            page.set_fill_rgb(0.0, 0.0, 0.0);
            self.text_at(left + axis + 10.0, y + 1.0, &span.note, false, 8.5);
        }
        self.y -= 14.0;
        self.text_at(left, self.y, "now", false, 7.5);
        let end = format!("{scale:.0} months");
        self.text_at(left + axis - winansi::width(&end, false, 7.5), self.y, &end, false, 7.5);
        self.y -= 8.0;
    }

    /// The file: every page with its footer (title, page N of M, and a note when a character
    /// had to be replaced).
    pub fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let substituted = self.substituted;
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let (regular, bold, info) = (Ref::new(3), Ref::new(4), Ref::new(5));
        let page_ids: Vec<Ref> = (0..total).map(|i| Ref::new(6 + 2 * i as i32)).collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(total as i32);
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info).title(TextStr(&self.title)).creator(TextStr("Ladder"));
        for (i, mut content) in pages.into_iter().enumerate() {
            let mut footer = format!("{} — page {} of {total}", self.title, i + 1);
            if substituted {
                footer.push_str(" — ? marks a character the standard PDF fonts lack; the web page shows it");
            }
            let bytes = winansi::encode(&footer);
            content.set_fill_rgb(GREY.0, GREY.1, GREY.2);
            content.begin_text().set_font(REGULAR, 7.5).next_line(MARGIN, 30.0).show(Str(&bytes)).end_text();
            let content_id = Ref::new(7 + 2 * i as i32);
            let mut page = pdf.page(page_ids[i]);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree).contents(content_id);
            page.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

/// A PDF as a download named `name.pdf`.
pub fn download(bytes: Vec<u8>, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}.pdf\"");
    ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A file name from a person's name: letters, digits and dashes only.
pub fn file_name(prefix: &str, name: &str) -> String {
    let mut slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while slug.contains("--") {
        slug = slug.replace("--", "-");
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}-{slug}")
    }
}
