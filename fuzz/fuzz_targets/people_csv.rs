//! A people file uploaded as CSV (POST /api/v1/imports/people).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ladder_fuzz::people("people.csv", data);
});
