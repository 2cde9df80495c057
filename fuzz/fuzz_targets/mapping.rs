//! A mapping file written by the user (the import page's own mapping, `ladder import kpi
//! --mapping FILE`): parsed, checked against the framework, then used on a small KPI file whose
//! header carries the columns of the Ladder presets.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILE: &[u8] = b"Daily KPIs\n\
employee,date,metric,numerator,denominator,handle_seconds,contacts,resolved_first_contact,surveys_top_box,surveys\n\
E1001,2025-03-03,aht,3000,10,3000,10,8,4,5\n\
,,,,,,,,,\n\
E1002,2025-03-04,fcr,7,9,2500,9,7,,\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(mapping) = ladder_import::Mapping::parse("own.toml", text) else { return };
    if mapping.check(&ladder_fuzz::harness().fw).is_ok() {
        ladder_fuzz::kpi("kpi.csv", FILE, &mapping);
    }
});
