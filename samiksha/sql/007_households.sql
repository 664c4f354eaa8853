-- 007: household surveys (kind 'households'): one row per household visited door to door, as
-- of its survey date. The ration card number is never stored: only `household_key`, a salted
-- sha256 of the number as compared (case, spaces, hyphens and Devanagari digits folded; the
-- salt is this store's own, `household_key_salt` in settings), and `ration_card`, the masked
-- form (XXXX and the last four). A household with no ration card number is keyed by its place
-- and its head's name. A blank cell is NULL ("not recorded"), never zero.
CREATE TABLE households (
    upload_id         INTEGER NOT NULL,
    row_number        INTEGER NOT NULL,
    survey_date       DATE NOT NULL,
    household_key     VARCHAR NOT NULL,
    ration_card       VARCHAR,           -- masked: XXXX1234 (NULL: none written)
    block             VARCHAR NOT NULL,
    block_code        VARCHAR,
    block_written     VARCHAR,
    panchayat         VARCHAR,
    panchayat_code    VARCHAR,
    panchayat_written VARCHAR,
    village           VARCHAR,
    tola              VARCHAR,
    head_name         VARCHAR,           -- shown to the operator only
    social_group      VARCHAR,           -- sc | st | obc | general | as written
    members           INTEGER NOT NULL,
    members_carded    INTEGER,           -- members with an Ayushman card
    in_shg            BOOLEAN,
    worker_id         VARCHAR            -- who surveyed it (upper case, spaces gone)
);

-- The store's own salt for the household keys: made once, here, and never changed (a key made
-- with another salt would be another household).
INSERT INTO settings
SELECT 'household_key_salt', to_json(sha256(concat(uuid(), uuid(), epoch_ns(now()), random())))
WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'household_key_salt');
