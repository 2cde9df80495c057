-- The day a person left (issue 25's headcount: leavers and attrition by month). Set when a people
-- import marks someone inactive (the file's leave date, else the day of the import) and cleared
-- when they are active again. NULL for people still here and for those who left before it was
-- kept. Keep the two migration sets in step.
ALTER TABLE employees ADD COLUMN left_on TEXT;
