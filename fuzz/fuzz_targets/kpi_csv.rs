//! A KPI file uploaded as CSV (POST /api/v1/imports/kpi), read with the default preset and
//! with the platform presets whose dates and durations are parsed the most.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for preset in [ladder_import::mapping::DEFAULT_PRESET, "genesys-cloud", "amazon-connect"] {
        ladder_fuzz::kpi("upload.csv", data, ladder_fuzz::preset(preset));
    }
});
