-- 004: SHG registers (kind 'shg'): one row per SHG as of the register's date.
-- Money is in rupees. A blank cell is NULL ("not recorded"), never zero.
CREATE TABLE shg_register (
    upload_id            INTEGER NOT NULL,
    row_number           INTEGER NOT NULL,
    register_date        DATE NOT NULL,
    block                VARCHAR NOT NULL,
    block_code           VARCHAR,
    block_written        VARCHAR,
    panchayat            VARCHAR,
    panchayat_code       VARCHAR,
    panchayat_written    VARCHAR,
    village              VARCHAR,
    village_organisation VARCHAR,
    shg_code             VARCHAR NOT NULL,
    shg_name             VARCHAR,
    formation_date       DATE,
    members              INTEGER,
    last_meeting         DATE,
    savings              DOUBLE,
    last_saving_date     DATE,
    bank_account         BOOLEAN,
    credit_linkages      INTEGER,   -- 0 none, 1 first, 2 second ...
    credit_amount        DOUBLE,    -- when the register gives the amount instead
    loan_outstanding     DOUBLE,
    overdue              DOUBLE,
    members_ayushman     INTEGER,
    members_insured      INTEGER,
    status               VARCHAR,   -- as written
    marked_inactive      BOOLEAN,   -- the status says inactive / dormant / निष्क्रिय
    grade                VARCHAR
);
