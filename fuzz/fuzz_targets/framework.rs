//! A framework file: `--framework FILE` (replaces the built-in one) and `--extend FILE` (laid
//! over it, then validated), as `ladder serve` loads them; a valid result is planned through.
#![no_main]

use chrono::NaiveDate;
use ladder_core::framework::{Framework, FrameworkOverlay};
use ladder_core::planner::{plan, PlanRequest};
use libfuzzer_sys::fuzz_target;

/// The built-in framework, parsed once.
fn built_in() -> Framework {
    static FW: std::sync::OnceLock<Framework> = std::sync::OnceLock::new();
    FW.get_or_init(Framework::default_framework).clone()
}

fn plan_every_pair(fw: &Framework) {
    let start = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    for from in fw.roles.iter().take(4) {
        for to in fw.roles.iter().take(4) {
            let request = PlanRequest {
                from: from.id.clone(),
                to: to.id.clone(),
                months_in_role: 4,
                start,
                horizon_months: 60,
                alternatives: 2,
            };
            let _ = plan(fw, &request);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(fw) = Framework::load(text) {
        plan_every_pair(&fw);
    }
    if let Ok(overlay) = FrameworkOverlay::parse(text) {
        let mut fw = built_in();
        fw.extend(overlay);
        if ladder_core::validate::validate(&fw).is_empty() {
            plan_every_pair(&fw);
        }
    }
});
