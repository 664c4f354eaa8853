-- Derived views and table macros, replaced whenever this file changes.

-- Rows of uploads that stand (not undone).
CREATE OR REPLACE VIEW progress_stored AS
SELECT p.* FROM progress p JOIN uploads u USING (upload_id) WHERE u.status = 'stored';

-- One row per indicator, date and place: a later upload for the same date and place
-- replaces an earlier one (which stays in `progress`, and returns if the later is undone).
CREATE OR REPLACE VIEW progress_current AS
SELECT * FROM progress_stored
QUALIFY row_number() OVER (
    PARTITION BY indicator, report_date, block, coalesce(panchayat, ''),
                 coalesce(channel, ''), coalesce(camp_site, '')
    ORDER BY upload_id DESC) = 1;

-- Each series (indicator and place) day by day, with cumulative derived from daily
-- figures and daily from cumulative where only one was reported.
CREATE OR REPLACE VIEW progress_series AS
WITH keyed AS (
    SELECT *,
        count(achieved) OVER w_upto AS segment
    FROM progress_current
    WINDOW w_upto AS (PARTITION BY indicator, block, panchayat, channel, camp_site
                      ORDER BY report_date ROWS UNBOUNDED PRECEDING)
), filled AS (
    SELECT *,
        coalesce(
            achieved,
            first_value(achieved) OVER seg
                + sum(coalesce(achieved_today, 0)) OVER seg_upto
                - first_value(coalesce(achieved_today, 0)) OVER seg,
            sum(achieved_today) OVER seg_upto) AS cumulative
    FROM keyed
    WINDOW seg AS (PARTITION BY indicator, block, panchayat, channel, camp_site, segment
                   ORDER BY report_date ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
           seg_upto AS (PARTITION BY indicator, block, panchayat, channel, camp_site, segment
                        ORDER BY report_date ROWS UNBOUNDED PRECEDING)
)
SELECT upload_id, indicator, report_date, block, block_code, panchayat, panchayat_code,
    channel, camp_site, target,
    cumulative,
    coalesce(achieved_today,
             cumulative - lag(cumulative) OVER (
                 PARTITION BY indicator, block, panchayat, channel, camp_site
                 ORDER BY report_date)) AS daily
FROM filled;

-- The targets that stand: the latest upload for each indicator and place.
CREATE OR REPLACE VIEW targets_current AS
SELECT t.* FROM targets t JOIN uploads u USING (upload_id) WHERE u.status = 'stored'
QUALIFY row_number() OVER (
    PARTITION BY t.indicator, coalesce(t.block, ''), coalesce(t.panchayat, '')
    ORDER BY t.upload_id DESC, t.row_number) = 1;

-- The gazetteer that stands: the latest upload for each level and code.
CREATE OR REPLACE VIEW places_current AS
SELECT p.* FROM places p JOIN uploads u USING (upload_id) WHERE u.status = 'stored'
QUALIFY row_number() OVER (PARTITION BY level, code ORDER BY upload_id DESC) = 1;

-- Each place series at an as-of date: its last cumulative figure on or before that
-- date (a place that did not report keeps its last figure) and that day's addition.
CREATE OR REPLACE MACRO series_as_of(ind, as_of) AS TABLE
SELECT block, max(block_code) AS block_code, panchayat, max(panchayat_code) AS panchayat_code,
    channel, camp_site,
    arg_max(cumulative, report_date) AS achieved,
    sum(CASE WHEN report_date = as_of THEN daily END) AS achieved_today,
    bool_or(report_date = as_of AND daily IS NULL) AS today_unknown,
    arg_max(target, report_date) FILTER (WHERE target IS NOT NULL) AS reported_target,
    max(report_date) AS last_report
FROM progress_series
WHERE indicator = ind AND report_date <= as_of
GROUP BY block, panchayat, channel, camp_site;

-- One figure per place at an as-of date. A place may be reported whole (no channel or camp
-- site) or split by channel / camp site; the way it was reported most recently counts (a
-- tie: whole), so a whole report and a channel-wise one of the same place are never added.
CREATE OR REPLACE MACRO place_series(ind, as_of) AS TABLE
WITH s AS (SELECT * FROM series_as_of(ind, as_of)),
grain AS (
    SELECT block, coalesce(panchayat, '') AS place,
        max(last_report) FILTER (WHERE channel IS NULL AND camp_site IS NULL) AS whole_last,
        max(last_report) FILTER (WHERE channel IS NOT NULL OR camp_site IS NOT NULL) AS split_last
    FROM s GROUP BY block, coalesce(panchayat, '')
)
SELECT s.* FROM s JOIN grain g ON g.block = s.block AND g.place = coalesce(s.panchayat, '')
WHERE (s.channel IS NULL AND s.camp_site IS NULL)
    = (g.whole_last IS NOT NULL AND g.whole_last >= coalesce(g.split_last, g.whole_last));

-- Block figures at an as-of date. A block reported as a whole or panchayat by panchayat:
-- the way it reported most recently counts (a tie: the block's own figure), so the two are
-- never added. Targets: the targets file first, else those carried in the reports (per
-- place once, whatever the number of channel rows).
CREATE OR REPLACE MACRO block_base(ind, as_of) AS TABLE
WITH s AS (SELECT * FROM place_series(ind, as_of)),
level AS (
    SELECT block,
        max(last_report) FILTER (WHERE panchayat IS NULL) AS block_last,
        max(last_report) FILTER (WHERE panchayat IS NOT NULL) AS panchayat_last
    FROM s GROUP BY block
), chosen AS (
    SELECT s.* FROM s JOIN level USING (block)
    WHERE (panchayat IS NULL) = (block_last IS NOT NULL AND block_last >= coalesce(panchayat_last, block_last))
), place_target AS (
    SELECT block, panchayat, camp_site, max(reported_target) AS target
    FROM chosen GROUP BY ALL
), reported AS (
    SELECT block, sum(target) AS target FROM place_target GROUP BY block
), filed AS (
    SELECT block,
        coalesce(max(target) FILTER (WHERE panchayat IS NULL), sum(target)) AS target
    FROM targets_current WHERE indicator = ind AND block IS NOT NULL GROUP BY block
), figures AS (
    SELECT block, any_value(chosen.block_code) AS code, sum(achieved) AS achieved,
        sum(achieved_today) AS achieved_today, bool_or(today_unknown) AS today_unknown,
        max(last_report) AS last_report
    FROM chosen GROUP BY block
)
SELECT coalesce(f.block, filed.block) AS block, f.code AS block_code,
    coalesce(filed.target, reported.target) AS target,
    coalesce(f.achieved, 0) AS achieved,
    f.achieved_today, coalesce(f.today_unknown, false) AS today_unknown,
    f.last_report
FROM figures f
FULL JOIN filed USING (block)
LEFT JOIN reported ON reported.block = coalesce(f.block, filed.block);

-- Block figures with the day's addition. Where a block's report that day gives no daily
-- figure and none can be derived (it just changed how it reports: whole, by channel, by
-- panchayat), the addition is its figure that day less its figure the day before.
CREATE OR REPLACE MACRO block_figures(ind, as_of) AS TABLE
SELECT b.block, b.block_code, b.target, b.achieved,
    CASE WHEN b.today_unknown AND p.achieved IS NOT NULL THEN b.achieved - p.achieved
         ELSE coalesce(b.achieved_today, 0) END AS achieved_today,
    b.last_report
FROM block_base(ind, as_of) b
LEFT JOIN block_base(ind, as_of - INTERVAL 1 DAY) p ON p.block = b.block AND p.last_report IS NOT NULL;

-- Panchayat figures at an as-of date (rows reported at panchayat level).
CREATE OR REPLACE MACRO panchayat_figures(ind, as_of) AS TABLE
WITH s AS (SELECT * FROM place_series(ind, as_of) WHERE panchayat IS NOT NULL),
place_target AS (
    SELECT block, panchayat, camp_site, max(reported_target) AS target FROM s GROUP BY ALL
), reported AS (
    SELECT block, panchayat, sum(target) AS target FROM place_target GROUP BY ALL
), filed AS (
    SELECT block, panchayat, target FROM targets_current
    WHERE indicator = ind AND panchayat IS NOT NULL
), figures AS (
    SELECT block, panchayat, any_value(s.panchayat_code) AS code,
        sum(achieved) AS achieved, sum(achieved_today) AS achieved_today
    FROM s GROUP BY block, panchayat
)
SELECT coalesce(f.block, filed.block) AS block, coalesce(f.panchayat, filed.panchayat) AS panchayat,
    f.code AS panchayat_code, coalesce(filed.target, reported.target) AS target,
    coalesce(f.achieved, 0) AS achieved, coalesce(f.achieved_today, 0) AS achieved_today
FROM figures f
FULL JOIN filed ON filed.block = f.block AND filed.panchayat = f.panchayat
LEFT JOIN reported ON reported.block = coalesce(f.block, filed.block)
    AND reported.panchayat = coalesce(f.panchayat, filed.panchayat);
