//! One look for the progress bars of long commands (demo, scores rebuild, pipeline refresh): on
//! standard error, hidden when it is not a terminal (scripts and CI read plain lines).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting `what` (e.g. "people") up to `total` (0 when not yet known).
pub fn bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = format!("{{spinner}} {{msg}} [{{bar:40}}] {{pos}}/{{len}} {what} ({{eta}} left)");
    bar.set_style(ProgressStyle::with_template(&template).expect("valid template").progress_chars("=> "));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
