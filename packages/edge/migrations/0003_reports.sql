-- Covering indexes for the dashboard's reports (src/reports/): visitor ids beside site, name and time,
-- so counting visitors over a period reads the index only. Kept in step with src/reports/schema.ts (a test
-- compares them). The Worker also applies them itself on the first report.
CREATE INDEX IF NOT EXISTS reports_site_time_visitor ON events (site, timestamp, name, anonymous_id, user_id);
CREATE INDEX IF NOT EXISTS reports_site_name_time_visitor ON events (site, name, timestamp, anonymous_id, user_id);
