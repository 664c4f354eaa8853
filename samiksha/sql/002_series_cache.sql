-- The progress series (cumulative and daily figures of every place, day by day), worked out
-- from the stored rows once after they change instead of in every query. Filled by
-- store.refresh_series() from the view progress_series_live; `series_state` holds the
-- fingerprint of the rows it was made from, so a stale copy is never read.
CREATE TABLE series_cache (
    upload_id      INTEGER,
    indicator      VARCHAR,
    report_date    DATE,
    block          VARCHAR,
    block_code     VARCHAR,
    panchayat      VARCHAR,
    panchayat_code VARCHAR,
    channel        VARCHAR,
    camp_site      VARCHAR,
    target         BIGINT,
    cumulative     BIGINT,
    daily          BIGINT,
    change         BIGINT   -- cumulative less the series' previous cumulative (the first: all of it)
);

CREATE TABLE series_state (
    fingerprint VARCHAR
);
