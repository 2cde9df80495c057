//! KRA plans and monthly actuals (being written).
