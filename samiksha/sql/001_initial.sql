-- 001: uploads, their rows, rejected rows and issues, places and targets.
CREATE SEQUENCE upload_id_seq START 1;

CREATE TABLE uploads (
    upload_id     INTEGER PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    indicator     VARCHAR,
    report_date   DATE,            -- the report's date when the file is for one date
    date_from     DATE,
    date_to       DATE,
    uploaded_at   TIMESTAMP NOT NULL,  -- IST wall-clock time
    rows_accepted INTEGER NOT NULL,
    rows_warned   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    status        VARCHAR NOT NULL,    -- stored | undone
    status_at     TIMESTAMP,
    raw_path      VARCHAR,             -- the file as uploaded, kept beside the store
    file_format   VARCHAR,
    sheet         VARCHAR,
    header_row    INTEGER,
    source        VARCHAR NOT NULL DEFAULT 'upload',  -- upload | demo
    reading       JSON                 -- what was read: columns, title, totals
);

CREATE TABLE upload_issues (
    upload_id   INTEGER NOT NULL,
    severity    VARCHAR NOT NULL,  -- rejected | warning | info
    code        VARCHAR NOT NULL,
    params      JSON,
    row_number  INTEGER,
    column_name VARCHAR,
    value       VARCHAR
);

CREATE TABLE rejected_rows (
    upload_id  INTEGER NOT NULL,
    row_number INTEGER NOT NULL,
    cells      JSON NOT NULL
);

CREATE TABLE progress (
    upload_id         INTEGER NOT NULL,
    row_number        INTEGER NOT NULL,
    indicator         VARCHAR NOT NULL,
    report_date       DATE NOT NULL,
    block             VARCHAR NOT NULL,
    block_code        VARCHAR,
    block_written     VARCHAR,
    panchayat         VARCHAR,
    panchayat_code    VARCHAR,
    panchayat_written VARCHAR,
    channel           VARCHAR,
    camp_site         VARCHAR,
    target            BIGINT,
    achieved_today    BIGINT,
    achieved          BIGINT       -- cumulative, as reported
);

CREATE TABLE targets (
    upload_id      INTEGER NOT NULL,
    row_number     INTEGER NOT NULL,
    indicator      VARCHAR NOT NULL,
    block          VARCHAR,        -- NULL: the district's own target
    block_code     VARCHAR,
    block_written  VARCHAR,
    panchayat      VARCHAR,
    panchayat_code VARCHAR,
    panchayat_written VARCHAR,
    target         BIGINT NOT NULL,
    start_date     DATE,
    deadline       DATE
);

CREATE TABLE places (
    upload_id   INTEGER NOT NULL,
    level       VARCHAR NOT NULL,   -- district | block | panchayat | village
    code        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    name_hi     VARCHAR,
    parent_code VARCHAR
);

-- Names a person confirmed: (level, parent, name as written) -> code ('' = keep as written).
CREATE TABLE place_aliases (
    level        VARCHAR NOT NULL,
    parent_code  VARCHAR,
    written_key  VARCHAR NOT NULL,
    written      VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    confirmed_at TIMESTAMP NOT NULL
);

-- How each name in an upload was matched.
CREATE TABLE place_matches (
    upload_id   INTEGER NOT NULL,
    level       VARCHAR NOT NULL,
    written     VARCHAR NOT NULL,
    parent_code VARCHAR,
    name        VARCHAR NOT NULL,
    code        VARCHAR,
    how         VARCHAR NOT NULL,
    method      VARCHAR,
    score       DOUBLE,
    candidates  JSON,
    rows        INTEGER
);

CREATE TABLE settings (
    key   VARCHAR PRIMARY KEY,
    value JSON
);
