-- From version 9 a daily import keeps its monthly figures only with their days
-- (kpi_employee_months): kra_actuals holds a row only for figures typed in, from a monthly file or
-- from the demo. Earlier versions also copied each daily figure into kra_actuals. The code that
-- runs the migrations (ladder_store::daily::keep_figures_in_one_place) removes those copies
-- where this table exists, then drops it: SQL alone cannot read the packed days. Keep the two
-- migration sets in step.
CREATE TABLE figures_in_two_places (pending INTEGER);
