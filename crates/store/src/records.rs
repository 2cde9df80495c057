//! Per-employee records (being written).
