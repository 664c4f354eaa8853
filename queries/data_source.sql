-- name: data_source
-- Where the figures at the as-of date come from: the number of stored reports of the
-- indicator up to that date, the first and last report dates, and when the last of them
-- was uploaded (IST). Every chart carries this as its source line. Params: $indicator, $as_of.
-- optional: district
SELECT
    count(DISTINCT u.upload_id) AS uploads,
    min(p.report_date) AS first_date,
    max(p.report_date) AS last_date,
    max(u.uploaded_at) AS uploaded_up_to
FROM progress_series p JOIN uploads u USING (upload_id)
WHERE p.indicator = $indicator AND p.report_date <= CAST($as_of AS DATE)
  AND in_district($district, p.block_code);
