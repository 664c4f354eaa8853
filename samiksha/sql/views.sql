-- Derived views and table macros, replaced whenever this file changes.

-- Rows of uploads that stand (not undone).
CREATE OR REPLACE VIEW progress_stored AS
SELECT p.* FROM progress p JOIN uploads u USING (upload_id) WHERE u.status = 'stored';

-- One row per indicator, date and place: a later upload for the same date and place
-- replaces an earlier one (which stays in `progress`, and returns if the later is undone).
CREATE OR REPLACE MACRO current_rows(stored) AS TABLE
SELECT * FROM query_table(stored)
QUALIFY row_number() OVER (
    PARTITION BY indicator, report_date, block, coalesce(panchayat, ''),
                 coalesce(channel, ''), coalesce(camp_site, '')
    ORDER BY upload_id DESC) = 1;

CREATE OR REPLACE VIEW progress_current AS SELECT * FROM current_rows('progress_stored');

-- Each series (indicator and place) day by day, with cumulative derived from daily
-- figures and daily from cumulative where only one was reported. Worked out into
-- series_cache after the stored rows change (store.refresh_series); read as progress_series.
CREATE OR REPLACE MACRO series_of(stored) AS TABLE
WITH keyed AS (
    SELECT *,
        count(achieved) OVER w_upto AS segment
    FROM current_rows(stored)
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
    CAST(cumulative AS BIGINT) AS cumulative,
    coalesce(achieved_today,
             cumulative - lag(cumulative) OVER w) AS daily,
    CAST(cumulative - coalesce(lag(cumulative IGNORE NULLS) OVER w, 0) AS BIGINT) AS change
FROM filled
WINDOW w AS (PARTITION BY indicator, block, panchayat, channel, camp_site ORDER BY report_date);

CREATE OR REPLACE VIEW progress_series_live AS SELECT * FROM series_of('progress_stored');

-- The stored rows of the series named in `keys` (a table of indicator, block, panchayat, channel
-- and camp_site): store.refresh_series works out again only the series an upload or an undo touched.
CREATE OR REPLACE MACRO stored_rows_of(keys) AS TABLE
SELECT p.* FROM progress_stored p SEMI JOIN query_table(keys) t
    ON p.indicator = t.indicator AND p.block = t.block AND p.panchayat IS NOT DISTINCT FROM t.panchayat
   AND p.channel IS NOT DISTINCT FROM t.channel AND p.camp_site IS NOT DISTINCT FROM t.camp_site;

-- What every figure reads: the series worked out after the last change.
CREATE OR REPLACE VIEW progress_series AS SELECT * FROM series_cache;

-- The gazetteer that stands: the latest upload for each level and code.
-- The built-in LGD lists (uploads.source 'lgd') stand below a user's own list: a user's list
-- adds its places, and for a code both have, the user's row (its spelling, its Hindi name) wins.
CREATE OR REPLACE VIEW places_current AS
WITH stored AS (
    SELECT p.*, u.source = 'lgd' AS built_in FROM places p JOIN uploads u USING (upload_id)
    WHERE u.status = 'stored'
)
SELECT upload_id, level, code, name, name_hi, parent_code FROM stored
QUALIFY row_number() OVER (PARTITION BY level, code ORDER BY built_in, upload_id DESC) = 1;

-- The targets that stand: the latest upload for each indicator and place. A district's own
-- row (no block) stands per district: the one district its file's blocks lie in (so in a
-- store holding a state, one district's targets file does not replace another's).
CREATE OR REPLACE VIEW targets_current AS
WITH stored AS (
    SELECT t.* FROM targets t JOIN uploads u USING (upload_id) WHERE u.status = 'stored'
), file_district AS (
    SELECT s.upload_id, CASE WHEN count(DISTINCT b.parent_code) = 1 THEN any_value(b.parent_code) END AS code
    FROM stored s JOIN places_current b ON b.level = 'block' AND b.code = s.block_code
    GROUP BY s.upload_id
)
SELECT s.* FROM stored s LEFT JOIN file_district d USING (upload_id)
QUALIFY row_number() OVER (
    PARTITION BY s.indicator, coalesce(s.block, '#' || coalesce(d.code, '')), coalesce(s.panchayat, '')
    ORDER BY s.upload_id DESC, s.row_number) = 1;

-- One store may hold a whole state. The figures below take an optional district (`dist`:
-- its LGD code, or its English or Hindi name, case and spaces ignored); NULL is every block
-- in the store. A block belongs to a district through the gazetteer (its code's parent), so
-- a block whose name matched no gazetteer block is in no district.
CREATE OR REPLACE MACRO named_district(dist) AS TABLE
SELECT code FROM places_current
WHERE level = 'district' AND dist IS NOT NULL
  AND (code = trim(CAST(dist AS VARCHAR)) OR lower(trim(name)) = lower(trim(CAST(dist AS VARCHAR)))
       OR trim(name_hi) = trim(CAST(dist AS VARCHAR)));

-- A block name not matched to the gazetteer is pending: never in a district's figures or a
-- ranking until a person confirms it (with no gazetteer at all, every name counts as written).
CREATE OR REPLACE MACRO in_district(dist, blk_code) AS
    (blk_code IS NOT NULL OR NOT EXISTS (SELECT 1 FROM places_current WHERE level = 'block'))
    AND (dist IS NULL OR blk_code IN (SELECT code FROM places_current
                                      WHERE level = 'block' AND parent_code IN (SELECT code FROM named_district(dist))));

-- Each place series at an as-of date: its last cumulative figure on or before that
-- date (a place that did not report keeps its last figure) and that day's addition.
CREATE OR REPLACE MACRO series_as_of(ind, as_of, dist := NULL) AS TABLE
SELECT block, max(block_code) AS block_code, panchayat, max(panchayat_code) AS panchayat_code,
    channel, camp_site,
    arg_max(cumulative, report_date) AS achieved,
    sum(CASE WHEN report_date = as_of THEN daily END) AS achieved_today,
    bool_or(report_date = as_of AND daily IS NULL) AS today_unknown,
    arg_max(target, report_date) FILTER (WHERE target IS NOT NULL) AS reported_target,
    max(report_date) AS last_report
FROM progress_series
WHERE indicator = ind AND report_date <= as_of AND in_district(dist, block_code)
GROUP BY block, panchayat, channel, camp_site;

-- One figure per place at an as-of date. A place may be reported whole (no channel or camp
-- site) or split by channel / camp site; the way it was reported most recently counts (a
-- tie: whole), so a whole report and a channel-wise one of the same place are never added.
CREATE OR REPLACE MACRO place_series(ind, as_of, dist := NULL) AS TABLE
WITH s AS (SELECT * FROM series_as_of(ind, as_of, dist := dist)),
grain AS (
    SELECT block, coalesce(panchayat, '') AS place,
        max(last_report) FILTER (WHERE channel IS NULL AND camp_site IS NULL) AS whole_last,
        max(last_report) FILTER (WHERE channel IS NOT NULL OR camp_site IS NOT NULL) AS split_last
    FROM s GROUP BY block, coalesce(panchayat, '')
)
SELECT s.* FROM s JOIN grain g ON g.block = s.block AND g.place = coalesce(s.panchayat, '')
WHERE (s.channel IS NULL AND s.camp_site IS NULL)
    = (g.whole_last IS NOT NULL AND g.whole_last >= coalesce(g.split_last, g.whole_last));

-- The series a block's figure is made of at an as-of date. A block reported as a whole or
-- panchayat by panchayat: the way it reported most recently counts (a tie: the block's own
-- figure), so the two are never added.
CREATE OR REPLACE MACRO chosen_series(ind, as_of, dist := NULL) AS TABLE
WITH s AS (SELECT * FROM place_series(ind, as_of, dist := dist)),
level AS (
    SELECT block,
        max(last_report) FILTER (WHERE panchayat IS NULL) AS block_last,
        max(last_report) FILTER (WHERE panchayat IS NOT NULL) AS panchayat_last
    FROM s GROUP BY block
)
SELECT s.* FROM s JOIN level USING (block)
WHERE (panchayat IS NULL) = (block_last IS NOT NULL AND block_last >= coalesce(panchayat_last, block_last));

-- Block figures at an as-of date. Targets: the targets file first, else those carried in
-- the reports (per place once, whatever the number of channel rows).
CREATE OR REPLACE MACRO block_base(ind, as_of, dist := NULL) AS TABLE
WITH chosen AS (SELECT * FROM chosen_series(ind, as_of, dist := dist)),
place_target AS (
    SELECT block, panchayat, camp_site, max(reported_target) AS target
    FROM chosen GROUP BY ALL
), reported AS (
    SELECT block, sum(target) AS target FROM place_target GROUP BY block
), filed AS (
    SELECT block,
        coalesce(max(target) FILTER (WHERE panchayat IS NULL), sum(target)) AS target
    FROM targets_current WHERE indicator = ind AND block IS NOT NULL AND in_district(dist, block_code)
    GROUP BY block
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

-- Each block day by day up to an as-of date, on the dates it reported: its figure as
-- block_figures would give it on that date (a place reported whole or by channel, a block as
-- a whole or by panchayat: the most recent way counts; a series that did not report keeps
-- its last figure) and the additions reported that day by the series chosen. Most blocks
-- always report the same way: their figure is the running sum of their series' changes.
-- A block that changed how it reports is worked out date by date. The row of the as-of
-- date equals block_figures at that date.
CREATE OR REPLACE MACRO block_trend(ind, as_of, dist := NULL) AS TABLE
WITH s AS MATERIALIZED (
    SELECT block, coalesce(panchayat, '') AS place, panchayat IS NOT NULL AS by_panchayat,
        (channel IS NOT NULL OR camp_site IS NOT NULL) AS split, report_date, daily, change
    FROM progress_series
    WHERE indicator = ind AND report_date <= as_of AND cumulative IS NOT NULL AND in_district(dist, block_code)
), ways AS MATERIALIZED (
    SELECT block, count(DISTINCT by_panchayat) > 1 OR max(place_ways) > 1 AS mixed
    FROM (SELECT block, place, by_panchayat, count(DISTINCT split) AS place_ways FROM s GROUP BY ALL)
    GROUP BY block
), steady AS (
    SELECT s.block, s.report_date,
        sum(sum(s.change)) OVER (PARTITION BY s.block ORDER BY s.report_date) AS achieved,
        coalesce(sum(s.daily), 0) AS achieved_today
    FROM s JOIN ways w ON w.block = s.block AND NOT w.mixed
    GROUP BY s.block, s.report_date
), changed AS MATERIALIZED (
    SELECT s.* FROM s JOIN ways w ON w.block = s.block AND w.mixed
), grain AS MATERIALIZED (
    -- each way a place reported (whole or split), its figure on the dates it reported
    SELECT block, place, by_panchayat, split, report_date,
        sum(sum(change)) OVER (PARTITION BY block, place, by_panchayat, split ORDER BY report_date) AS value,
        sum(daily) AS daily
    FROM changed GROUP BY block, place, by_panchayat, split, report_date
), grid AS (
    SELECT k.*, d.report_date
    FROM (SELECT DISTINCT block, place, by_panchayat, split FROM grain) k
    JOIN (SELECT DISTINCT block, report_date FROM changed) d USING (block)
), filled AS (
    -- on each of the block's dates, each way's last figure and when it last reported
    SELECT g.block, g.place, g.by_panchayat, g.split, g.report_date AS day, r.report_date AS last_report,
        r.value, CASE WHEN r.report_date = g.report_date THEN r.daily END AS daily
    FROM grid g ASOF JOIN grain r
        ON r.block = g.block AND r.place = g.place AND r.by_panchayat = g.by_panchayat AND r.split = g.split
        AND r.report_date <= g.report_date
), place_way AS (
    SELECT *,
        max(last_report) FILTER (WHERE NOT split) OVER w AS whole_last,
        max(last_report) FILTER (WHERE split) OVER w AS split_last
    FROM filled
    WINDOW w AS (PARTITION BY block, place, by_panchayat, day)
), places AS (
    SELECT * FROM place_way
    WHERE (NOT split) = (whole_last IS NOT NULL AND whole_last >= coalesce(split_last, whole_last))
), block_way AS (
    SELECT *,
        max(last_report) FILTER (WHERE NOT by_panchayat) OVER w AS block_last,
        max(last_report) FILTER (WHERE by_panchayat) OVER w AS panchayat_last
    FROM places
    WINDOW w AS (PARTITION BY block, day)
), switched AS (
    SELECT block, day AS report_date, sum(value) AS achieved, coalesce(sum(daily), 0) AS achieved_today
    FROM block_way
    WHERE (NOT by_panchayat) = (block_last IS NOT NULL AND block_last >= coalesce(panchayat_last, block_last))
    GROUP BY block, day
)
SELECT block, report_date, CAST(achieved AS BIGINT) AS achieved, CAST(achieved_today AS BIGINT) AS achieved_today
FROM steady
UNION ALL
SELECT block, report_date, CAST(achieved AS BIGINT), CAST(achieved_today AS BIGINT) FROM switched;

-- The district day by day up to an as-of date: every block keeps its last figure on the
-- days it did not report, so the district's figure is the running sum of the blocks' changes.
CREATE OR REPLACE MACRO district_trend(ind, as_of, dist := NULL) AS TABLE
SELECT report_date,
    CAST(sum(sum(change)) OVER (ORDER BY report_date) AS BIGINT) AS achieved,
    CAST(sum(achieved_today) AS BIGINT) AS achieved_today
FROM (
    SELECT report_date, achieved_today,
        achieved - coalesce(lag(achieved) OVER (PARTITION BY block ORDER BY report_date), 0) AS change
    FROM block_trend(ind, as_of, dist := dist)
)
GROUP BY report_date;

-- The latest stored targets upload of an indicator; for a district (`dist`), the latest whose
-- block rows all lie in it (a file of another district, or of the state, is not its file).
CREATE OR REPLACE MACRO latest_targets(ind, dist := NULL) AS
    (SELECT max(upload_id) FROM targets_current WHERE indicator = ind
     AND (dist IS NULL OR upload_id IN (
         SELECT upload_id FROM targets_current WHERE indicator = ind GROUP BY upload_id
         HAVING count(block) > 0 AND bool_and(block IS NULL OR in_district(dist, block_code)))));

-- The figures are one district's: a district is picked, or the gazetteer holds at most one.
-- (A whole state's figures have no own target: its blocks' targets add up.)
CREATE OR REPLACE MACRO one_district(dist) AS
    dist IS NOT NULL OR (SELECT count(*) FROM places_current WHERE level = 'district') <= 1;

-- Settings hold one district's plan (the Settings district): it applies to a store of one
-- district, and to a district picked in a state's store only when it is the Settings district.
CREATE OR REPLACE MACRO settings_district(dist) AS
    (SELECT count(*) FROM places_current WHERE level = 'district') <= 1
    OR (SELECT any_value(value->>'$') FROM settings WHERE key = 'district_code') IN (SELECT code FROM named_district(dist));

-- The district's deadline for an indicator: the latest targets file (the district's own row,
-- else the latest deadline it gives), else Settings.
CREATE OR REPLACE MACRO district_deadline(ind, dist := NULL) AS coalesce(
    (SELECT max(deadline) FROM targets_current
     WHERE indicator = ind AND block IS NULL AND panchayat IS NULL AND upload_id = latest_targets(ind, dist := dist)),
    (SELECT max(deadline) FROM targets_current WHERE indicator = ind AND upload_id = latest_targets(ind, dist := dist)),
    (SELECT TRY_CAST(value->>'deadline' AS DATE) FROM settings WHERE key = 'plan:' || ind));

-- The district's own target: the district row of the latest targets file, else Settings
-- (else NULL: the blocks' targets add up). A later targets file without a district row
-- sets the district's target aside (its blocks' targets then add up).
CREATE OR REPLACE MACRO district_target(ind, dist := NULL) AS CASE WHEN one_district(dist) THEN coalesce(
    (SELECT max(target) FROM targets_current
     WHERE indicator = ind AND block IS NULL AND panchayat IS NULL AND upload_id = latest_targets(ind, dist := dist)),
    (SELECT TRY_CAST(value->>'target' AS BIGINT) FROM settings
     WHERE key = 'plan:' || ind AND settings_district(dist))) END;

-- A number setting (Settings page), else its default.
CREATE OR REPLACE MACRO setting_number(name, fallback) AS coalesce(
    (SELECT TRY_CAST(CAST(value AS VARCHAR) AS DOUBLE) FROM settings WHERE key = name), fallback);

-- Cards a day needed from the day after the as-of date to reach the target by the
-- deadline: 0 when reached; NULL without a target or deadline, or when it has passed.
CREATE OR REPLACE MACRO required_per_day(target, achieved, as_of, deadline) AS CASE
    WHEN target IS NULL OR deadline IS NULL THEN NULL
    WHEN achieved >= target THEN 0
    WHEN deadline <= as_of THEN NULL
    ELSE CAST(ceil((target - achieved) * 1.0 / date_diff('day', as_of, deadline)) AS BIGINT)
END;

-- Status colour of a % achieved against the Settings thresholds (red below, green from).
CREATE OR REPLACE MACRO status_of(pct) AS CASE
    WHEN pct IS NULL THEN NULL
    WHEN pct < setting_number('status_red_below', 50) THEN 'red'
    WHEN pct >= setting_number('status_green_from', 80) THEN 'green'
    ELSE 'amber'
END;

-- Block figures with the day's addition. Where a block's report that day gives no daily
-- figure and none can be derived (it just changed how it reports: whole, by channel, by
-- panchayat), the addition is its figure that day less its figure the day before.
CREATE OR REPLACE MACRO block_figures(ind, as_of, dist := NULL) AS TABLE
SELECT b.block, b.block_code, b.target, b.achieved,
    CASE WHEN b.today_unknown AND p.achieved IS NOT NULL THEN b.achieved - p.achieved
         ELSE coalesce(b.achieved_today, 0) END AS achieved_today,
    b.last_report
FROM block_base(ind, as_of, dist := dist) b
LEFT JOIN block_base(ind, as_of - INTERVAL 1 DAY, dist := dist) p ON p.block = b.block AND p.last_report IS NOT NULL;

-- Panchayat figures at an as-of date (rows reported at panchayat level).
CREATE OR REPLACE MACRO panchayat_figures(ind, as_of, dist := NULL) AS TABLE
WITH s AS (SELECT * FROM place_series(ind, as_of, dist := dist) WHERE panchayat IS NOT NULL),
place_target AS (
    SELECT block, panchayat, camp_site, max(reported_target) AS target FROM s GROUP BY ALL
), reported AS (
    SELECT block, panchayat, sum(target) AS target FROM place_target GROUP BY ALL
), filed AS (
    SELECT block, panchayat, target FROM targets_current
    WHERE indicator = ind AND panchayat IS NOT NULL AND in_district(dist, block_code)
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
    AND reported.panchayat = coalesce(f.panchayat, filed.panchayat)
-- a panchayat with a target but no report shows (at 0) only in a block that reports
-- panchayat by panchayat; a block reported as a whole has no panchayat figures
WHERE f.block IS NOT NULL OR filed.block IN (SELECT block FROM figures);

-- Each block at an as-of date, with all the review figures (the block_progress and
-- block_review queries select from it).
CREATE OR REPLACE MACRO block_review(ind, as_of, dist := NULL) AS TABLE
WITH blocks AS (
    SELECT *, CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct
    FROM block_figures(ind, as_of, dist := dist)
), own_deadline AS (
    SELECT block, max(deadline) AS deadline FROM targets_current
    WHERE indicator = ind AND block IS NOT NULL AND in_district(dist, block_code) GROUP BY block
)
SELECT
    b.block,
    b.target,
    b.achieved,
    b.pct,
    b.achieved_today,
    CAST(rank() OVER (
        ORDER BY CASE WHEN b.target > 0 THEN b.achieved * 1.0 / b.target END DESC NULLS LAST,
                 b.achieved DESC) AS INTEGER) AS rank,
    CASE WHEN b.target IS NOT NULL THEN greatest(b.target - b.achieved, 0) END AS gap,
    coalesce(o.deadline, district_deadline(ind, dist := dist)) AS deadline,
    required_per_day(b.target, b.achieved, as_of,
                     coalesce(o.deadline, district_deadline(ind, dist := dist))) AS required_per_day,
    status_of(b.pct) AS status,
    b.last_report
FROM blocks b LEFT JOIN own_deadline o USING (block);

-- The district at an as-of date, with all the review figures (district_summary and
-- district_review select from it).
CREATE OR REPLACE MACRO district_review(ind, as_of, dist := NULL) AS TABLE
WITH blocks AS (
    SELECT * FROM block_figures(ind, as_of, dist := dist)
), trend AS MATERIALIZED (
    SELECT * FROM district_trend(ind, as_of, dist := dist)
), span AS (
    SELECT min(report_date) AS first_date,
        greatest(as_of - INTERVAL 7 DAY, min(report_date))::DATE AS window_start
    FROM trend
), previous AS (
    SELECT max(report_date) AS previous_date FROM trend WHERE report_date < as_of
), totals AS (
    -- without a district target, the blocks' targets add up only when every block has one
    -- (else achieved would be set against part of the target)
    SELECT coalesce(district_target(ind, dist := dist),
                    CASE WHEN count(b.block) FILTER (WHERE b.target IS NULL) = 0 THEN sum(b.target) END) AS target,
        coalesce(sum(b.achieved), 0) AS achieved,
        coalesce(sum(b.achieved_today), 0) AS achieved_today,
        district_deadline(ind, dist := dist) AS deadline,
        as_of AS as_of
    FROM (SELECT 1) one LEFT JOIN blocks b ON true
), pace AS (
    SELECT span.first_date, previous.previous_date,
        (SELECT achieved_today FROM trend WHERE report_date = previous.previous_date) AS achieved_previous,
        -- the additions reported after the window's start (a place's first report, which
        -- brings its whole backlog, adds nothing to the pace)
        CASE WHEN span.first_date IS NOT NULL AND span.window_start < totals.as_of THEN
            coalesce((SELECT sum(achieved_today) FROM trend
                      WHERE report_date > span.window_start AND report_date <= totals.as_of), 0)
            * 1.0 / date_diff('day', span.window_start, totals.as_of)
        END AS pace_per_day
    FROM totals, span, previous
)
SELECT
    target,
    achieved,
    CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct,
    achieved_today,
    deadline,
    required_per_day(target, achieved, as_of, deadline) AS required_per_day,
    CASE WHEN target IS NOT NULL THEN greatest(target - achieved, 0) END AS gap,
    previous_date,
    achieved_previous,
    achieved_today - achieved_previous AS change_from_previous,
    round(pace_per_day, 1) AS pace_per_day,
    CASE WHEN target IS NULL OR achieved >= target OR pace_per_day IS NULL OR pace_per_day <= 0 THEN NULL
         ELSE as_of + CAST(ceil((target - achieved) / pace_per_day) AS INTEGER)
    END AS projected_finish,
    first_date,
    status_of(CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END) AS status
FROM totals, pace;

-- Each panchayat at an as-of date (all blocks when blk is NULL), with the review figures
-- (panchayat_progress and panchayat_review select from it).
CREATE OR REPLACE MACRO panchayat_review(ind, as_of, blk, dist := NULL) AS TABLE
WITH panchayats AS (
    SELECT *, CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct
    FROM panchayat_figures(ind, as_of, dist := dist)
    WHERE blk IS NULL OR block = blk
)
SELECT
    block,
    panchayat,
    target,
    achieved,
    pct,
    achieved_today,
    CASE WHEN target IS NOT NULL THEN greatest(target - achieved, 0) END AS gap,
    achieved < setting_number('panchayat_minimum', 500) AS below_minimum,
    status_of(pct) AS status
FROM panchayats;

-- ---------------------------------------------------------------- SHG registers

-- Which register columns each stored SHG upload had: a rule is applied only where the
-- register has the column it reads (a register without a "last saving" column does not
-- make every SHG inactive for "no saving recorded").
CREATE OR REPLACE VIEW shg_uploads AS
SELECT upload_id,
    json_exists(reading, '$.columns.last_meeting') AS has_meeting,
    json_exists(reading, '$.columns.last_saving_date') AS has_saving_date,
    json_exists(reading, '$.columns.savings') AS has_savings,
    json_exists(reading, '$.columns.members') AS has_members,
    json_exists(reading, '$.columns.credit_linkage') AS has_credit,
    json_exists(reading, '$.columns.bank_account') AS has_bank,
    json_exists(reading, '$.columns.overdue') AS has_overdue,
    json_exists(reading, '$.columns.status') AS has_status,
    json_exists(reading, '$.columns.formation_date') AS has_formation,
    json_exists(reading, '$.columns.members_ayushman') AS has_ayushman,
    json_exists(reading, '$.columns.members_insured') AS has_insured
FROM uploads WHERE status = 'stored' AND kind = 'shg';

-- One row per SHG and register date: a later upload of the same date replaces the same SHG
-- (block-wise registers of one date add up; a corrected one replaces).
-- Worked out into shg_cache after the registers change (store.refresh_shg): removing the
-- replaced rows costs a few seconds for a state's lakhs of SHGs, once, not on every query.
CREATE OR REPLACE VIEW shg_current_live AS
SELECT r.*, su.* EXCLUDE (upload_id)
FROM shg_register r JOIN shg_uploads su USING (upload_id)
QUALIFY row_number() OVER (PARTITION BY r.register_date, r.shg_code ORDER BY r.upload_id DESC) = 1;

CREATE TABLE IF NOT EXISTS shg_cache AS SELECT * FROM shg_current_live LIMIT 0;
CREATE TABLE IF NOT EXISTS shg_state (fingerprint VARCHAR);
CREATE OR REPLACE VIEW shg_current AS SELECT * FROM shg_cache;

-- Each SHG as of a date, with the reasons it is inactive and stagnant (codes in the order
-- of PRODUCT.md, ';'-separated; '' for none). Each block is read from its latest register
-- on or before the date; days are counted to the as-of date. Thresholds are settings:
--   no_meeting       no meeting on or after as_of - shg_meeting_days (90), or none recorded
--   no_savings       no saving on or after as_of - shg_saving_days (90), or none recorded
--   loan_overdue     overdue above shg_overdue_above (0) rupees (a blank overdue is not)
--   marked_inactive  the register's status says inactive / dormant / निष्क्रिय ...
--   no_growth        against the block's latest register at least shg_growth_gap_days (60)
--                    older: savings did not grow, members did not grow (where both registers
--                    give them) and credit linkage did not advance
--   no_credit_linkage formed more than shg_credit_months (12) months before and no credit
--                    linkage recorded
CREATE OR REPLACE MACRO shg_status(as_of, dist := NULL) AS TABLE
WITH cur AS (
    SELECT * FROM shg_current WHERE register_date <= CAST(as_of AS DATE) AND in_district(dist, block_code)
), dates AS (
    SELECT block, max(register_date) AS register_date FROM cur GROUP BY block
), registers AS (
    SELECT DISTINCT block, register_date FROM cur
), earlier AS (
    SELECT d.block, max(r.register_date) AS compared_date
    FROM dates d JOIN registers r ON r.block = d.block
        AND r.register_date <= d.register_date - CAST(setting_number('shg_growth_gap_days', 60) AS INTEGER)
    GROUP BY d.block
), now AS (
    SELECT c.* FROM cur c JOIN dates d USING (block, register_date)
), before AS (
    SELECT c.shg_code, c.register_date, c.savings, c.members, c.credit_linkages, c.credit_amount
    FROM cur c JOIN earlier e ON c.block = e.block AND c.register_date = e.compared_date
), judged AS (
    SELECT n.*, b.register_date AS compared_with, b.savings AS savings_before, b.members AS members_before,
        n.has_meeting AND (n.last_meeting IS NULL OR n.last_meeting
            < CAST(as_of AS DATE) - CAST(setting_number('shg_meeting_days', 90) AS INTEGER)) AS r_no_meeting,
        n.has_saving_date AND (n.last_saving_date IS NULL OR n.last_saving_date
            < CAST(as_of AS DATE) - CAST(setting_number('shg_saving_days', 90) AS INTEGER)) AS r_no_savings,
        coalesce(n.overdue > setting_number('shg_overdue_above', 0), false) AS r_loan_overdue,
        coalesce(n.marked_inactive, false) AS r_marked_inactive,
        b.shg_code IS NOT NULL AND n.savings IS NOT NULL AND b.savings IS NOT NULL
            AND n.savings <= b.savings
            AND (n.members IS NULL OR b.members IS NULL OR n.members <= b.members)
            AND NOT (coalesce(n.credit_linkages, 0) > coalesce(b.credit_linkages, 0)
                     OR coalesce(n.credit_amount, 0) > coalesce(b.credit_amount, 0)) AS r_no_growth,
        n.has_credit AND coalesce(n.credit_linkages, 0) = 0 AND n.formation_date IS NOT NULL
            AND n.formation_date < CAST(as_of AS DATE)
                - to_months(CAST(setting_number('shg_credit_months', 12) AS INTEGER)) AS r_no_credit_linkage
    FROM now n LEFT JOIN before b ON b.shg_code = n.shg_code
)
SELECT * EXCLUDE (r_no_meeting, r_no_savings, r_loan_overdue, r_marked_inactive, r_no_growth, r_no_credit_linkage),
    concat_ws(';', CASE WHEN r_no_meeting THEN 'no_meeting' END, CASE WHEN r_no_savings THEN 'no_savings' END,
              CASE WHEN r_loan_overdue THEN 'loan_overdue' END,
              CASE WHEN r_marked_inactive THEN 'marked_inactive' END) AS inactive_reasons,
    concat_ws(';', CASE WHEN r_no_growth THEN 'no_growth' END,
              CASE WHEN r_no_credit_linkage THEN 'no_credit_linkage' END) AS stagnant_reasons
FROM judged;

-- The register date before the one standing at an as-of date (for "change since").
CREATE OR REPLACE MACRO shg_previous_date(as_of) AS (
    SELECT max(register_date) FROM shg_current
    WHERE register_date < (SELECT max(register_date) FROM shg_current WHERE register_date <= CAST(as_of AS DATE)));

-- ---------------------------------------------------------------- reporting compliance

-- The blocks expected to report: the district's blocks in the gazetteer (the district
-- picked, else the Settings district, or the gazetteer's only district), else every block
-- seen in a report.
CREATE OR REPLACE MACRO district_blocks(dist := NULL) AS TABLE
WITH gaz AS (SELECT name AS block, parent_code FROM places_current WHERE level = 'block'),
chosen AS (SELECT coalesce((SELECT any_value(code) FROM named_district(dist)),
                           (SELECT any_value(value->>'$') FROM settings WHERE key = 'district_code')) AS code),
mine AS (
    SELECT g.block FROM gaz g, chosen c WHERE g.parent_code = c.code
    UNION
    SELECT g.block FROM gaz g, chosen c
    WHERE (c.code IS NULL OR NOT EXISTS (SELECT 1 FROM gaz WHERE parent_code = c.code))
      AND (SELECT count(DISTINCT coalesce(parent_code, '')) FROM gaz) = 1)
SELECT block FROM mine
UNION
SELECT DISTINCT block FROM progress_stored
WHERE NOT EXISTS (SELECT 1 FROM mine) AND in_district(dist, block_code);

-- Each expected block and day: on_time (its first stored report for the indicator and day
-- was uploaded by the cut-off, report_cutoff_minutes after midnight IST, default 17:00),
-- late (after it), missing (none), or holiday (none, on a day set as a holiday). A block that
-- reported but is not in the gazetteer is listed too (its name is for a person to confirm).
CREATE OR REPLACE MACRO reporting_grid(ind, date_from, date_to, dist := NULL) AS TABLE
WITH days AS (
    SELECT CAST(unnest(generate_series(CAST(date_from AS TIMESTAMP), CAST(date_to AS TIMESTAMP),
                                       INTERVAL 1 DAY)) AS DATE) AS report_date
), sent AS (
    SELECT p.block, p.report_date, min(u.uploaded_at) AS uploaded_at, count(DISTINCT p.upload_id) AS uploads
    FROM progress p JOIN uploads u USING (upload_id)
    WHERE u.status = 'stored' AND p.indicator = ind
      AND p.report_date BETWEEN CAST(date_from AS DATE) AND CAST(date_to AS DATE)
      AND in_district(dist, p.block_code)
    GROUP BY p.block, p.report_date
), blocks AS (
    SELECT block FROM district_blocks(dist := dist) UNION SELECT block FROM sent
), holidays AS (
    SELECT TRY_CAST(unnest(json_keys(value)) AS DATE) AS report_date FROM settings WHERE key = 'report_holidays'
)
SELECT b.block, d.report_date,
    CASE WHEN s.uploaded_at IS NULL THEN
             CASE WHEN d.report_date IN (SELECT report_date FROM holidays) THEN 'holiday' ELSE 'missing' END
         WHEN s.uploaded_at <= CAST(d.report_date AS TIMESTAMP)
                               + to_minutes(CAST(setting_number('report_cutoff_minutes', 1020) AS BIGINT))
         THEN 'on_time'
         ELSE 'late' END AS status,
    s.uploaded_at, coalesce(s.uploads, 0) AS uploads
FROM blocks b CROSS JOIN days d LEFT JOIN sent s USING (block, report_date);

-- ---------------------------------------------------------------- workers

CREATE OR REPLACE VIEW workers_stored AS
SELECT w.* FROM workers w JOIN uploads u USING (upload_id) WHERE u.status = 'stored';

-- The roster that stands at a date: each block from its latest roster on or before the date
-- (or its first one, when all are later); a worker in two blocks' rosters is in the later.
CREATE OR REPLACE MACRO roster_as_of(as_of, dist := NULL) AS TABLE
WITH chosen AS (
    SELECT block, coalesce(max(roster_date) FILTER (WHERE roster_date <= CAST(as_of AS DATE)),
                           min(roster_date)) AS roster_date
    FROM workers_stored WHERE in_district(dist, block_code) GROUP BY block
)
SELECT w.* FROM workers_stored w JOIN chosen c USING (block, roster_date)
WHERE in_district(dist, w.block_code)
QUALIFY row_number() OVER (PARTITION BY w.worker_id ORDER BY w.roster_date DESC, w.upload_id DESC,
                                                                w.row_number) = 1;

-- One figure per worker and day: a later upload for the same worker and day replaces it.
-- Worked out into worker_output_cache after the output changes (store.refresh_worker_output):
-- a state's lakh of workers over a month is lakhs of rows, and choosing among them costs more
-- than half a second, once, not in every query.
CREATE OR REPLACE VIEW worker_output_live AS
SELECT o.* FROM worker_output o JOIN uploads u USING (upload_id) WHERE u.status = 'stored'
QUALIFY row_number() OVER (PARTITION BY o.worker_id, o.output_date ORDER BY o.upload_id DESC) = 1;

CREATE TABLE IF NOT EXISTS worker_output_cache AS SELECT * FROM worker_output_live LIMIT 0;
CREATE TABLE IF NOT EXISTS worker_output_state (fingerprint VARCHAR);
CREATE OR REPLACE VIEW worker_output_current AS SELECT * FROM worker_output_cache;

-- Each worker of the roster at a date: trained by then (a training date after it is not),
-- cards in the 7 days up to it, the last day with a card, and zero_output (an active login
-- and no card in those 7 days).
CREATE OR REPLACE MACRO worker_week(as_of, dist := NULL) AS TABLE
WITH made AS (
    SELECT worker_id,
        sum(cards) FILTER (WHERE output_date > CAST(as_of AS DATE) - 7) AS cards_7d,
        count(*) FILTER (WHERE output_date > CAST(as_of AS DATE) - 7) AS days_reported_7d,
        max(output_date) FILTER (WHERE cards > 0) AS last_card_date,
        sum(cards) AS cards_total
    FROM worker_output_current WHERE output_date <= CAST(as_of AS DATE)
    GROUP BY worker_id
)
SELECT r.*, lower(r.supervisor) AS supervisor_key,
    coalesce(r.id_active, false) AS is_active,
    coalesce(r.trained, false) AND (r.training_date IS NULL OR r.training_date <= CAST(as_of AS DATE)) AS is_trained,
    coalesce(m.cards_7d, 0) AS cards_7d, coalesce(m.days_reported_7d, 0) AS days_reported_7d,
    m.last_card_date, coalesce(m.cards_total, 0) AS cards_total,
    coalesce(r.id_active, false) AND coalesce(m.cards_7d, 0) = 0 AS zero_output
FROM roster_as_of(as_of, dist := dist) r LEFT JOIN made m USING (worker_id);

-- ---------------------------------------------------------------- households

CREATE OR REPLACE VIEW households_stored AS
SELECT h.* FROM households h JOIN uploads u USING (upload_id) WHERE u.status = 'stored';

-- Each household once, by its latest survey on or before the date (a later survey of the same
-- ration card replaces the earlier; on the same day, the later upload's), in the district asked.
CREATE OR REPLACE MACRO households_as_of(as_of, dist := NULL) AS TABLE
SELECT * FROM households_stored
WHERE survey_date <= CAST(as_of AS DATE) AND in_district(dist, block_code)
QUALIFY row_number() OVER (PARTITION BY household_key
                           ORDER BY survey_date DESC, upload_id DESC, row_number DESC) = 1;
