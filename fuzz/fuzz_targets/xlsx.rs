//! A workbook uploaded as XLSX (calamine): as a Five9 KPI report and as a people file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ladder_fuzz::kpi("upload.xlsx", data, ladder_fuzz::preset("five9"));
    ladder_fuzz::people("people.xlsx", data);
});
