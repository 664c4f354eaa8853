-- 005: workers (kind 'workers': the roster of ASHA, Anganwadi and other workers with login
-- IDs) and worker_output (kind 'worker_output': cards made per worker per day).
CREATE TABLE workers (
    upload_id         INTEGER NOT NULL,
    row_number        INTEGER NOT NULL,
    roster_date       DATE NOT NULL,     -- the roster as of this date
    worker_id         VARCHAR NOT NULL,  -- upper case, spaces gone (how output files are matched)
    worker_id_written VARCHAR,
    worker_name       VARCHAR,
    role              VARCHAR,           -- asha | aww | vle | pea | ration_dealer | as written
    block             VARCHAR NOT NULL,
    block_code        VARCHAR,
    block_written     VARCHAR,
    panchayat         VARCHAR,
    panchayat_code    VARCHAR,
    panchayat_written VARCHAR,
    id_active         BOOLEAN,           -- NULL: not recorded
    trained           BOOLEAN,
    training_date     DATE,
    supervisor        VARCHAR
);

CREATE TABLE worker_output (
    upload_id     INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    output_date   DATE NOT NULL,
    worker_id     VARCHAR NOT NULL,
    worker_id_written VARCHAR,
    cards         INTEGER NOT NULL,
    name_written  VARCHAR,               -- as the output file gives them (shown for unknown IDs)
    block_written VARCHAR
);
