"""Workers (kinds `workers` and `worker_output`): reading a roster and the cards each worker
made, and the named queries built on them (worker_status, worker_review, worker_output_unknown).

The main roster is a hand-made one of 15 workers in three blocks of the tiny gazetteer, as on
30-05-2025 (AS_OF); its figures below are counted by hand, worker by worker. The 7 days up to
30-05-2025 are 24-05 … 30-05: output on 24-05 (as_of - 6) counts, on 23-05 (as_of - 7) does not.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import cli_in_process, csv_bytes, gazetteer_bytes, ingest, rejected, run, warning_codes, xlsx_bytes

from samiksha import ingest as ingest_module
from samiksha import queries, store, workers

AS_OF = dt.date(2025, 5, 30)
STATUS_COLUMNS = ["block", "workers", "id_active", "trained", "supervisors", "workers_per_supervisor",
                  "zero_output"]
HEADER = ["Worker ID", "Name", "Role", "Block", "Panchayat", "Login ID Active", "Trained", "Training Date",
          "Supervisor"]
MUSAHARI, KUSHESHWAR, GORA = "Musahari", "Kusheshwar Asthan", "Gora Bauram"


def dmy(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def before(days: int) -> str:
    """AS_OF minus `days`, as dd.mm.yyyy."""
    return dmy(AS_OF - dt.timedelta(days=days))


# id, name, role, block, panchayat, login active, trained, training date, supervisor
ROSTER = [
    # Musahari: 7 workers; active M1 M2 M3 M5 M7 = 5; trained M1 M4 M5 = 3 (M3 on 02-06, after
    # the as-of date); supervisors Sunita Devi (3 spellings), Meena Kumari (2), Rekha = 3;
    # 7 / 3 = 2.3; zero output M2 (card on as_of-7 only), M3 (0 cards all week), M7 (none) = 3.
    ["M1", "Asha One", "ASHA", "Musahari", "Panchayat 5", "Yes", "Yes", "10.05.2025", "Sunita Devi"],
    ["M2", "Asha Two", "ASHA", "Musahari", "Panchayat 5", "Yes", "No", "", "sunita devi"],
    ["M3", "Sevika Three", "AWW", "Musahari", "Panchayat 6", "Yes", "Yes", "02.06.2025", " SUNITA  DEVI "],
    ["M4", "Asha Four", "ASHA", "Musahari", "Panchayat 6", "No", "Yes", "", "Meena Kumari"],
    ["M5", "Asha Five", "ASHA", "Musahari", "Panchayat 6", "Yes", "15.05.2025", "", "MEENA KUMARI"],
    ["M6", "Sevika Six", "AWW", "Musahari", "Panchayat 5", "Inactive", "Untrained", "", "Meena Kumari"],
    ["M7", "Asha Seven", "ASHA", "Musahari", "Panchayat 5", "Active", "", "", "Rekha"],
    # Kusheshwar Asthan: 5 workers; active K1 K2 K4 K5 = 4; trained K1 K2 K4 = 3; supervisors Anita
    # (2 spellings), Kavita = 2; 5 / 2 = 2.5; zero output K2 (none), K5 (a card the day after) = 2;
    # K3 (login not active, no output) is not counted.
    ["K1", "Asha K1", "ASHA", "Kusheshwar Asthan", "Ujwa", "Y", "Y", "01.04.2025", "Anita"],
    ["K2", "Asha K2", "ASHA", "Kusheshwar Asthan", "Ujwa", "Y", "Y", "", "anita"],
    ["K3", "Sevika K3", "AWW", "Kusheshwar Asthan", "Itahar", "N", "N", "", "Anita"],
    ["K4", "Asha K4", "ASHA", "Kusheshwar Asthan", "Itahar", "Y", "Y", "", "Kavita"],
    ["K5", "Asha K5", "ASHA", "Kusheshwar Asthan", "Itahar", "Y", "N", "", "Kavita"],
    # Gora Bauram: 3 workers, all active; trained G1 G3 (trained on the as-of date itself) = 2;
    # one supervisor: 3.0; no zero output.
    ["G1", "Asha G1", "ASHA", "Gora Bauram", "Bauram", "Yes", "Yes", "", "Pooja"],
    ["G2", "Asha G2", "ASHA", "Gora Bauram", "Bauram", "Yes", "No", "", "Pooja"],
    ["G3", "Asha G3", "ASHA", "Gora Bauram", "Bauram", "Yes", "Yes", "30.05.2025", "Pooja"],
]

# date, worker, cards
OUTPUT = [
    [before(6), "M1", "2"],    # 24-05: the first day of the window
    [before(7), "M2", "5"],    # 23-05: the day before it
    *[[before(d), "M3", "0"] for d in range(7)],  # a figure every day, all 0
    [before(1), "M6", "4"],
    [before(0), "M5", "1"],
    [before(1), "K1", "10"],
    [before(4), "K4", "3"],
    [dmy(AS_OF + dt.timedelta(days=1)), "K5", "2"],  # 31-05: after the as-of date
    [before(0), "G1", "1"],
    [before(3), "G2", "2"],
    [before(5), "G3", "1"],
]

EXPECTED_STATUS = [
    {"block": GORA, "workers": 3, "id_active": 3, "trained": 2, "supervisors": 1, "workers_per_supervisor": 3.0,
     "zero_output": 0},
    {"block": KUSHESHWAR, "workers": 5, "id_active": 4, "trained": 3, "supervisors": 2,
     "workers_per_supervisor": 2.5, "zero_output": 2},
    {"block": MUSAHARI, "workers": 7, "id_active": 5, "trained": 3, "supervisors": 3, "workers_per_supervisor": 2.3,
     "zero_output": 3},
]


def roster(rows, day: dt.date | None = AS_OF, header=HEADER) -> bytes:
    title = [[f"ASHA / AWW roster as on {dmy(day)}"]] if day else []
    return csv_bytes([*title, header, *rows])


def output(rows, header=("Date", "Worker ID", "Cards Made")) -> bytes:
    return csv_bytes([list(header), *rows])


def load(con, data: bytes, name: str, kind: str | None, **options):
    result = ingest(con, data, name, kind=kind, **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


def status(con, as_of=AS_OF) -> list[dict]:
    return run(con, "worker_status", as_of=str(as_of))


def by_block(con, as_of=AS_OF) -> dict:
    return {r["block"]: r for r in status(con, as_of)}


def review(con, as_of=AS_OF, **params) -> dict:
    return {r["worker_id"]: r for r in run(con, "worker_review", as_of=str(as_of), **params)}


def count(con, table: str) -> int:
    return store.scalar(con, f"SELECT count(*) FROM {table}")


def found(con, result) -> list[tuple]:
    """Every warning and rejection of an upload: (severity, code, row, column, value)."""
    return sorted((i.severity, i.code, i.row, i.column, i.value)
                  for i in ingest_module.upload_issues(con, result.upload_id) if i.severity != "info")


@pytest.fixture
def district(con, gazetteer):
    """The main roster and its week of output, stored."""
    load(con, roster(ROSTER), "roster.csv", "workers")
    load(con, output(OUTPUT), "output.csv", "worker_output")
    return con


# ---------------------------------------------------------------- the counts, by hand


def test_worker_status_by_block_counted_by_hand(district):
    assert status(district) == EXPECTED_STATUS


def test_which_workers_have_zero_output(district):
    workers = review(district)
    assert len(workers) == 15
    assert sorted(w for w, r in workers.items() if r["zero_output"]) == ["K2", "K5", "M2", "M3", "M7"]
    # M1's one card on as_of - 6 is in the window; M2's on as_of - 7 is not.
    assert (workers["M1"]["cards_7d"], workers["M2"]["cards_7d"]) == (2, 0)
    assert workers["M2"]["last_card_date"] == dt.date(2025, 5, 23)
    # M3 reported every day, 0 each time: counted; M4 (login not active, nothing made) is not.
    assert (workers["M3"]["cards_7d"], workers["M3"]["days_reported_7d"]) == (0, 7)
    assert workers["M3"]["last_card_date"] is None
    assert workers["M4"]["zero_output"] is False and workers["K3"]["zero_output"] is False
    # M6 made cards but its login is not active: not zero output, and not id_active.
    assert workers["M6"]["is_active"] is False


def test_the_window_moves_with_the_as_of_date(district):
    # One day earlier (29-05): M1's card of 24-05 is as_of - 5 now, M2's of 23-05 is as_of - 6 and
    # counts; M5 (a card on 30-05 only) and G1 (30-05) had made nothing yet.
    zero = sorted(w for w, r in review(district, "2025-05-29").items() if r["zero_output"])
    assert zero == ["G1", "K2", "K5", "M3", "M5", "M7"]
    # The day after (31-05): M1's card of 24-05 is as_of - 7 now; K5's card of 31-05 counts.
    zero = sorted(w for w, r in review(district, "2025-05-31").items() if r["zero_output"])
    assert zero == ["K2", "M1", "M2", "M3", "M7"]


def test_trained_counts_only_from_the_training_date(district):
    workers = review(district)
    assert sorted(w for w, r in workers.items() if r["is_trained"]) == ["G1", "G3", "K1", "K2", "K4", "M1", "M4", "M5"]
    # M3 is marked trained with a date after the as-of date: stored as trained, not yet counted.
    assert workers["M3"]["trained"] is True and workers["M3"]["training_date"] == dt.date(2025, 6, 2)
    assert workers["M3"]["is_trained"] is False
    # A date in the Trained column says trained, on that date.
    assert (workers["M5"]["trained"], workers["M5"]["training_date"]) == (True, dt.date(2025, 5, 15))
    assert by_block(district, "2025-06-01")[MUSAHARI]["trained"] == 3
    assert by_block(district, "2025-06-02")[MUSAHARI]["trained"] == 4
    # Before M5's training date (and M1's 10-05) they were not trained yet; M4 has no date: trained.
    assert by_block(district, "2025-05-14")[MUSAHARI]["trained"] == 2
    assert by_block(district, "2025-05-09")[MUSAHARI]["trained"] == 1
    # G3 was trained on the as-of date itself: it counts that day, not the day before.
    assert by_block(district, "2025-05-29")[GORA]["trained"] == 1


def test_supervisors_are_distinct_whatever_the_case_and_spaces(district):
    workers = review(district)
    assert {workers[w]["supervisor"] for w in ("M1", "M3")} == {"Sunita Devi", "SUNITA DEVI"}
    blocks = by_block(district)
    assert blocks[MUSAHARI]["supervisors"] == 3 and blocks[MUSAHARI]["workers_per_supervisor"] == 2.3
    assert blocks[KUSHESHWAR]["supervisors"] == 2 and blocks[KUSHESHWAR]["workers_per_supervisor"] == 2.5


def test_a_trained_date_after_the_roster_date_is_a_warning(con, gazetteer):
    result = load(con, roster(ROSTER), "roster.csv", "workers")
    assert found(con, result) == [("warning", "trained_date_ahead", 5, "Training Date", "02.06.2025")]
    assert count(con, "workers") == 15


def test_the_review_of_one_block(district):
    assert set(review(district, block=KUSHESHWAR)) == {"K1", "K2", "K3", "K4", "K5"}
    everyone = review(district)
    assert everyone["K1"]["block"] == KUSHESHWAR and everyone["K1"]["panchayat"] == "Ujwa"
    assert everyone["K1"]["role"] == "asha" and everyone["K3"]["role"] == "aww"


# ---------------------------------------------------------------- the contract


def test_worker_status_has_exactly_the_contract_columns(district):
    frame = queries.run(district, "worker_status", as_of="2025-05-30")
    assert list(frame.columns) == STATUS_COLUMNS
    assert list(frame["block"]) == [GORA, KUSHESHWAR, MUSAHARI]
    assert list(queries.run(district, "worker_status", as_of=AS_OF).columns) == STATUS_COLUMNS


def test_the_cli_stores_roster_and_output_and_prints_worker_status(tmp_path):
    db = tmp_path / "store.duckdb"
    roster_file, output_file = tmp_path / "asha_roster.csv", tmp_path / "cards.csv"
    # No title: the date comes from --date; the header is row 1, M9 (row 3) has a bad login cell.
    roster_file.write_bytes(roster([ROSTER[0], ["M9", "x", "ASHA", "Musahari", "", "perhaps", "", "", "Rekha"],
                                    *ROSTER[1:7]], day=None))
    output_file.write_bytes(output(OUTPUT))
    done = cli_in_process("ingest", roster_file, "--kind", "workers", "--date", "2025-05-30", env_db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "row 3" in done.stdout and "Login ID Active" in done.stdout and "perhaps" in done.stdout
    done = cli_in_process("ingest", output_file, "--kind", "worker_output", env_db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    done = cli_in_process("query", "worker_status", "--param", "as_of=2025-05-30", env_db=db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == ",".join(STATUS_COLUMNS)
    # Without a gazetteer the block is kept as written. The output of other blocks' workers
    # is stored and counted for no block.
    assert lines[1:] == ["Musahari,7,5,3,3,2.3,3"]
    done = cli_in_process("query", "worker_output_unknown", "--param", "as_of=2025-05-30", env_db=db)
    assert [line.split(",")[0] for line in done.stdout.strip().splitlines()[1:]] == ["K1", "K4", "G2", "G1", "G3"]


def test_the_cli_refuses_output_without_a_date(tmp_path):
    path = tmp_path / "cards.csv"
    path.write_bytes(csv_bytes([["Worker ID", "Cards Made"], ["M1", "3"]]))
    done = cli_in_process("ingest", path, "--kind", "worker_output", env_db=tmp_path / "store.duckdb")
    assert done.returncode == 1
    assert "REFUSED" in done.stdout + done.stderr


# ---------------------------------------------------------------- another spelling style


HINDI_HEADER = ["कर्मी आईडी", "नाम", "पद", "प्रखंड", "पंचायत", "लॉगिन आईडी सक्रिय", "प्रशिक्षित", "प्रशिक्षण तिथि",
                "पर्यवेक्षक"]
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
HINDI_WORDS = {"Yes": "हाँ", "No": "नहीं", "Y": "हाँ", "N": "नहीं", "Active": "सक्रिय", "Inactive": "निष्क्रिय",
               "Untrained": "नहीं", "ASHA": "आशा", "AWW": "सेविका"}
HINDI_PLACES = {"Musahari": "मुशहरी", "Kusheshwar Asthan": "कुशेश्वर स्थान", "Gora Bauram": "गौड़ा बौराम",
                "Panchayat 5": "पंचायत 5", "Panchayat 6": "पंचायत 6", "Ujwa": "उजवा", "Itahar": "इटहर",
                "Bauram": "बौराम"}


def in_hindi(row: list[str]) -> list[str]:
    """A roster row as a Hindi block writes it: Hindi words and places, Devanagari digits in
    IDs and dates (the 15.05.2025 in M5's Trained cell stays a date)."""
    worker, name, role, block, panchayat, active, trained, day, supervisor = row
    return [worker[0] + worker[1:].translate(DEVANAGARI), name, HINDI_WORDS[role], HINDI_PLACES[block],
            HINDI_PLACES[panchayat], HINDI_WORDS.get(active, active), HINDI_WORDS.get(trained, trained).translate(
                DEVANAGARI), day.translate(DEVANAGARI), supervisor]


def test_a_hindi_xlsx_roster_with_a_merged_title_and_a_totals_row_reads_the_same(con, gazetteer):
    rows = [["कर्मी सूची दिनांक ३०.०५.२०२५", None, None, None, None, None, None, None, None],
            HINDI_HEADER, *[in_hindi(r) for r in ROSTER],
            ["कुल", None, None, None, None, "१२", "७", None, None]]
    data = xlsx_bytes(rows, merged=["A1:I1"])
    result = ingest(con, data, "कर्मी_सूची.xlsx")  # the kind read from the headers
    assert result.status == "stored", result.refusal and result.refusal.text()
    assert result.staged.kind == "workers"
    assert result.staged.report_date == AS_OF
    assert rejected(con, result) == []
    assert count(con, "workers") == 15  # the totals row (row 18) is not a worker
    assert store.scalar(con, "SELECT count(*) FROM workers WHERE worker_id_written = 'कुल'") == 0
    # The output in Hindi too, with a totals row of the cards (31 in all).
    cards = output([*[[d.translate(DEVANAGARI), w, c.translate(DEVANAGARI)] for d, w, c in OUTPUT],
                    ["", "कुल", "३१"]], header=("दिनांक", "कर्मी आईडी", "कार्ड बने"))
    made = load(con, cards, "output.csv", None)
    assert made.staged.kind == "worker_output"
    assert [t["row"] for t in made.staged.totals] == [19]
    assert "totals_mismatch" not in warning_codes(con, made)
    assert count(con, "worker_output") == len(OUTPUT)
    assert status(con) == EXPECTED_STATUS
    arabic = str.maketrans("०१२३४५६७८९", "0123456789")
    workers = {w.translate(arabic): r for w, r in review(con).items()}
    assert workers["M5"]["training_date"] == dt.date(2025, 5, 15) and workers["M3"]["training_date"] == dt.date(2025, 6, 2)
    assert workers["M3"]["role"] == "aww" and workers["M1"]["role"] == "asha"
    assert workers["M3"]["block"] == MUSAHARI and workers["K3"]["panchayat"] == "Itahar"
    assert sorted(w for w, r in workers.items() if r["zero_output"]) == ["K2", "K5", "M2", "M3", "M7"]


def test_the_kind_of_each_file_is_read_from_its_headers(con):
    first = load(con, roster(ROSTER[:2]), "file1.csv", None)
    second = load(con, output(OUTPUT[:2]), "file2.csv", None)
    assert (first.staged.kind, second.staged.kind) == ("workers", "worker_output")
    assert (count(con, "workers"), count(con, "worker_output")) == (2, 2)


ROLE_WORDS = [
    ("ASHA", "asha"), ("asha", "asha"), ("आशा", "asha"), ("Sahiya", "asha"), ("सहिया", "asha"),
    ("AWW", "aww"), ("सेविका", "aww"), ("Anganwadi Sevika", "aww"), ("आंगनबाड़ी सेविका", "aww"),
    ("VLE", "vle"), ("Block Coordinator", "Block Coordinator"), ("", None),
]
LOGIN_WORDS = [
    ("Yes", True), ("Y", True), ("हाँ", True), ("Active", True), ("सक्रिय", True), ("ACTIVE", True),
    ("No", False), ("N", False), ("नहीं", False), ("Inactive", False), ("निष्क्रिय", False), ("", None),
]
TRAINED_WORDS = [
    ("Yes", True, None), ("हाँ", True, None), ("Trained", True, None), ("प्रशिक्षित", True, None),
    ("No", False, None), ("Untrained", False, None), ("नहीं", False, None), ("N", False, None),
    ("12.05.2025", True, dt.date(2025, 5, 12)), ("१२/०५/२०२५", True, dt.date(2025, 5, 12)), ("", None, None),
]


def one_column(con, cells: list[str], make) -> dict:
    """A roster of one worker per cell (ID W101, W102 …) built by `make(cell)`; stored, nothing
    rejected; returns {worker_id: row of the workers table}."""
    rows = [[f"W{101 + i}", *make(cell)] for i, cell in enumerate(cells)]
    result = load(con, roster(rows), "roster.csv", "workers")
    assert rejected(con, result) == []
    return {r["worker_id"]: r for r in store.records(con, "SELECT * FROM workers")}


def test_role_words(con):
    stored = one_column(con, [w for w, _ in ROLE_WORDS],
                        lambda cell: ["x", cell, "Araria", "", "Yes", "Yes", "", "Rekha"])
    assert [stored[f"W{101 + i}"]["role"] for i in range(len(ROLE_WORDS))] == [role for _, role in ROLE_WORDS]


def test_login_active_words(con):
    stored = one_column(con, [w for w, _ in LOGIN_WORDS],
                        lambda cell: ["x", "ASHA", "Araria", "", cell, "", "", "Rekha"])
    assert [stored[f"W{101 + i}"]["id_active"] for i in range(len(LOGIN_WORDS))] == [a for _, a in LOGIN_WORDS]
    assert by_block(con)["Araria"]["id_active"] == 6
    # A login not recorded (blank) is not active: no zero output either.
    assert review(con)["W112"]["zero_output"] is False and review(con)["W101"]["zero_output"] is True


def test_trained_words_and_dates(con):
    stored = one_column(con, [w for w, *_ in TRAINED_WORDS],
                        lambda cell: ["x", "ASHA", "Araria", "", "Yes", cell, "", "Rekha"])
    assert [(stored[f"W{101 + i}"]["trained"], stored[f"W{101 + i}"]["training_date"])
            for i in range(len(TRAINED_WORDS))] == [(t, d) for _, t, d in TRAINED_WORDS]
    assert by_block(con)["Araria"]["trained"] == 6
    assert by_block(con, "2025-05-11")["Araria"]["trained"] == 4  # not yet the two trained on 12-05


def test_worker_ids_match_across_spellings(con):
    load(con, roster([["ab 101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"],
                      ["१०२", "y", "ASHA", "Araria", "", "Yes", "", "", "R"]]), "roster.csv", "workers")
    result = load(con, output([[before(1), "AB101", "2"], [before(1), "102", "3"]]), "out.csv", "worker_output")
    assert found(con, result) == []
    assert {w: r["cards_7d"] for w, r in review(con).items()} == {"ab 101": 2, "१०२": 3}
    assert by_block(con)["Araria"]["zero_output"] == 0


# ---------------------------------------------------------------- the roster's date


def test_the_roster_date_from_option_title_file_name_page_or_today(con):
    body = roster([["W101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"]], day=None)
    load(con, roster([["W102", "x", "ASHA", "Bhargama", "", "Yes", "", "", "R"]], day=dt.date(2025, 5, 20)),
         "roster.csv", "workers")
    load(con, body, "roster.csv", "workers", report_date=dt.date(2025, 5, 25))
    load(con, roster([["W103", "x", "ASHA", "Cblock", "", "Yes", "", "", "R"]], day=None), "roster_2025-05-21.csv",
         "workers")
    load(con, roster([["W104", "x", "ASHA", "Dblock", "", "Yes", "", "", "R"]], day=None), "roster.csv", "workers",
         date_if_missing=dt.date(2025, 5, 22))
    today = load(con, roster([["W105", "x", "ASHA", "Eblock", "", "Yes", "", "", "R"]], day=None), "list.csv",
                 "workers")
    dates = {r["worker_id"]: r["roster_date"] for r in store.records(con, "SELECT worker_id, roster_date FROM workers")}
    assert {k: v for k, v in dates.items() if k != "W105"} == {
        "W101": dt.date(2025, 5, 25), "W102": dt.date(2025, 5, 20), "W103": dt.date(2025, 5, 21), "W104": dt.date(2025, 5, 22)}
    assert "roster_date_today" in [n.code for n in today.staged.read_notes]
    assert dates["W105"] == today.staged.report_date and dates["W105"] >= dt.date(2025, 5, 30)


# ---------------------------------------------------------------- rejections


def test_bad_roster_rows_are_rejected_with_row_and_column_and_the_rest_stored(con):
    data = roster([
        ["W101", "Good", "ASHA", "Araria", "Ujwa", "Yes", "Yes", "01.05.2025", "Rekha"],    # row 3
        ["W102", "x", "ASHA", "Araria", "Ujwa", "maybe", "Yes", "", "Rekha"],               # row 4
        ["W103", "x", "ASHA", "Araria", "Ujwa", "Yes", "sometimes", "", "Rekha"],           # row 5
        ["W104", "x", "ASHA", "Araria", "Ujwa", "Yes", "Yes", "31.02.2025", "Rekha"],       # row 6
        ["", "x", "ASHA", "Araria", "Ujwa", "Yes", "Yes", "", "Rekha"],                   # row 7
        ["W105", "x", "ASHA", "", "", "Yes", "Yes", "", "Rekha"],                           # row 8
        ["W106", "Same", "ASHA", "Araria", "Ujwa", "Yes", "No", "", "Rekha"],               # row 9
        ["W106", "Same", "ASHA", "Araria", "Ujwa", "Yes", "No", "", "Rekha"],               # row 10: again
        ["W107", "One", "ASHA", "Araria", "Ujwa", "Yes", "No", "", "Rekha"],                # row 11
        ["W107", "One", "ASHA", "Araria", "Ujwa", "No", "No", "", "Rekha"],                 # row 12: differs
        ["W108", "Good", "AWW", "Araria", "Ujwa", "", "", "", ""],                          # row 13
    ])
    result = load(con, data, "roster.csv", "workers")
    assert sorted(rejected(con, result), key=lambda r: r[1]) == [
        ("bad_yes_no", 4, "Login ID Active", "maybe"),
        ("bad_yes_no", 5, "Trained", "sometimes"),
        ("bad_date", 6, "Training Date", "31.02.2025"),
        ("worker_no_id", 7, "Worker ID", None),
        ("no_place", 8, "Block", None),
        ("worker_conflicting_rows", 11, None, "W107"),
        ("worker_conflicting_rows", 12, None, "W107"),
    ]
    duplicate = [(i.severity, i.row) for i in ingest_module.upload_issues(con, result.upload_id)
                 if i.code == "worker_duplicate_row"]
    assert duplicate == [("warning", 10)]
    assert sorted(store.scalar(con, "SELECT list(worker_id) FROM workers")) == ["W101", "W106", "W108"]
    upload = store.records(con, "SELECT rows_accepted, rows_rejected FROM uploads WHERE upload_id = ?",
                           [result.upload_id])[0]
    assert (upload["rows_accepted"], upload["rows_rejected"]) == (3, 7)
    assert by_block(con)["Araria"]["workers"] == 3


def test_bad_output_rows_are_rejected_with_row_and_column_and_the_rest_stored(con):
    load(con, roster([[w, "x", "ASHA", "Araria", "", "Yes", "", "", "R"] for w in ("W101", "W102", "W103", "W104")]),
         "roster.csv", "workers")
    data = output([
        [before(1), "W101", "3"],          # row 2
        ["31.02.2025", "W102", "3"],       # row 3
        [before(1), "W102", "many"],       # row 4
        [before(1), "W103", "-2"],         # row 5
        [before(1), "W104", "2.5"],        # row 6
        [before(1), "W104", ""],           # row 7 (W4's other row of that day, blank)
        [before(1), "", "4"],            # row 8
        [before(2), "W101", "1"],          # row 9
        [before(2), "W101", "1"],          # row 10: the same again
        [before(3), "W101", "1"],          # row 11
        [before(3), "W101", "2"],          # row 12: differs
        [before(2), "W102", "0"],          # row 13
    ])
    result = load(con, data, "out.csv", "worker_output")
    assert sorted(rejected(con, result), key=lambda r: r[1]) == [
        ("bad_date", 3, "Date", "31.02.2025"),
        ("bad_number", 4, "Cards Made", "many"),
        ("negative_number", 5, "Cards Made", "-2"),
        ("not_whole_number", 6, "Cards Made", "2.5"),
        ("no_cards_figure", 7, "Cards Made", None),
        ("worker_no_id", 8, "Worker ID", None),
        ("output_conflicting_rows", 11, None, "W101"),
        ("output_conflicting_rows", 12, None, "W101"),
    ]
    duplicate = [(i.severity, i.row) for i in ingest_module.upload_issues(con, result.upload_id)
                 if i.code == "output_duplicate_row"]
    assert duplicate == [("warning", 10)]
    assert store.records(con, "SELECT worker_id, output_date, cards FROM worker_output ORDER BY worker_id, output_date") == [
        {"worker_id": "W101", "output_date": dt.date(2025, 5, 28), "cards": 1},
        {"worker_id": "W101", "output_date": dt.date(2025, 5, 29), "cards": 3},
        {"worker_id": "W102", "output_date": dt.date(2025, 5, 28), "cards": 0},
    ]
    # W1's 4 cards (the conflicting day counts nothing); W2, W3, W4 made none that counts.
    assert {w: r["cards_7d"] for w, r in review(con).items()} == {"W101": 4, "W102": 0, "W103": 0, "W104": 0}
    assert by_block(con)["Araria"]["zero_output"] == 3


def test_the_issue_text_names_row_column_and_value(con):
    load(con, roster([["W101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"]]), "roster.csv", "workers")
    result = load(con, output([[before(1), "W101", "3"], [before(1), "W101x", "-4"]]), "out.csv", "worker_output")
    texts = [i.text("en") for i in ingest_module.upload_issues(con, result.upload_id) if i.severity == "rejected"]
    assert len(texts) == 1
    assert "row 3" in texts[0] and "Cards Made" in texts[0] and "-4" in texts[0]


TABLES = ("uploads", "workers", "worker_output", "upload_issues", "rejected_rows")


@pytest.mark.parametrize("data,kind,code", [
    (csv_bytes([["Name", "Block", "Login ID Active"], ["Asha", "Araria", "Yes"]]), "workers", "missing_columns"),
    (csv_bytes([["Worker ID", "Cards Made"], ["W101", "3"]]), "worker_output", "no_output_date"),
    (csv_bytes([["Date", "Worker ID"], ["29.05.2025", "W101"]]), "worker_output", "missing_columns"),
], ids=["roster-without-ids", "output-without-a-date", "output-without-cards"])
def test_a_refused_file_stores_nothing(district, data, kind, code):
    counts = {t: count(district, t) for t in TABLES}
    result = ingest(district, data, "file.csv", kind=kind)
    assert result.status == "refused" and result.upload_id is None
    assert result.refusal.code == code
    assert {t: count(district, t) for t in TABLES} == counts
    assert status(district) == EXPECTED_STATUS


# ---------------------------------------------------------------- unknown workers


def test_output_before_any_roster_is_stored_with_one_note(con):
    result = load(con, output([[before(1), "W101", "3"], [before(1), "W102", "1"]]), "out.csv", "worker_output")
    assert "no_roster_yet" in [n.code for n in result.staged.read_notes]
    assert "worker_not_in_roster" not in warning_codes(con, result)
    assert count(con, "worker_output") == 2
    assert status(con) == []
    assert [r["worker_id"] for r in run(con, "worker_output_unknown", as_of=str(AS_OF))] == ["W101", "W102"]
    # Once a roster names W1, its cards count for its block.
    load(con, roster([["W101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"]]), "roster.csv", "workers")
    assert review(con)["W101"]["cards_7d"] == 3
    assert [r["worker_id"] for r in run(con, "worker_output_unknown", as_of=str(AS_OF))] == ["W102"]


def test_unknown_worker_ids_are_reported_listed_and_counted_for_no_block(district):
    result = load(district, output([
        [before(1), "K2", "4"],       # row 2: known
        [before(1), "X9", "7"],       # row 3
        [before(2), "X9", "2"],       # row 4
        [before(1), "Z1", "1"],       # row 5
    ]), "more.csv", "worker_output")
    assert found(district, result) == [("warning", "worker_not_in_roster", 3, "Worker ID", "X9"),
                                       ("warning", "worker_not_in_roster", 4, "Worker ID", "X9"),
                                       ("warning", "worker_not_in_roster", 5, "Worker ID", "Z1")]
    unknown = run(district, "worker_output_unknown", as_of=str(AS_OF))
    assert [(r["worker_id"], r["cards"], r["days"], r["first_date"], r["last_date"]) for r in unknown] == [
        ("X9", 9, 2, dt.date(2025, 5, 28), dt.date(2025, 5, 29)), ("Z1", 1, 1, dt.date(2025, 5, 29),
                                                                  dt.date(2025, 5, 29))]
    assert "X9" not in review(district) and "Z1" not in review(district)
    blocks = by_block(district)
    # K2 made cards now; nothing else changed and X9, Z1 are nowhere.
    assert blocks[KUSHESHWAR]["zero_output"] == 1
    assert sum(r["workers"] for r in blocks.values()) == 15
    assert [r for r in status(district) if r["block"] != KUSHESHWAR] == [
        r for r in EXPECTED_STATUS if r["block"] != KUSHESHWAR]
    # Output after the as-of date is not listed for it.
    assert run(district, "worker_output_unknown", as_of="2025-05-27") == []


# ---------------------------------------------------------------- replacing output, undo


def test_a_later_upload_for_the_same_worker_and_day_replaces_and_undo_brings_the_earlier_back(district):
    assert review(district)["K2"]["zero_output"] is True
    first = load(district, output([[before(2), "K2", "0"], [before(2), "K4", "9"]]), "first.csv", "worker_output")
    assert review(district)["K4"]["cards_7d"] == 12
    corrected = load(district, output([[before(2), "K2", "6"]]), "corrected.csv", "worker_output")
    assert corrected.replaced == [{"upload_id": first.upload_id, "file_name": "first.csv", "rows": 1}]
    workers = review(district)
    assert (workers["K2"]["cards_7d"], workers["K2"]["zero_output"]) == (6, False)
    assert workers["K4"]["cards_7d"] == 12  # not in the corrected file: stays
    assert by_block(district)[KUSHESHWAR]["zero_output"] == 1
    assert ingest_module.undo(district, corrected.upload_id) is True
    workers = review(district)
    assert (workers["K2"]["cards_7d"], workers["K2"]["zero_output"]) == (0, True)
    assert by_block(district)[KUSHESHWAR]["zero_output"] == 2
    assert ingest_module.restore(district, corrected.upload_id) is True
    assert review(district)["K2"]["cards_7d"] == 6


def test_a_read_only_store_never_reads_stale_output(tmp_path):
    """The output each worker and day stands at is worked out once after it changes; a store
    opened read-only after a change it has not worked out yet answers with the change."""
    path = str(tmp_path / "w.duckdb")
    writer = store.open_store(path)
    assert ingest(writer, gazetteer_bytes(), "lgd.csv", kind="gazetteer").ok
    load(writer, roster(ROSTER), "roster.csv", "workers")
    load(writer, output(OUTPUT), "output.csv", "worker_output")
    assert review(writer)["K2"]["cards_7d"] == 0  # worked out
    load(writer, output([[before(2), "K2", "6"]]), "late.csv", "worker_output")  # changed, not yet worked out
    writer.close()
    reader = store.open_store(path, read_only=True)
    assert review(reader)["K2"]["cards_7d"] == 6
    dates = workers.output_dates(reader)
    assert dates == sorted(dates, reverse=True) and dates[:2] == [AS_OF + dt.timedelta(days=1), AS_OF]
    reader.close()


def test_a_corrected_figure_of_zero_replaces_cards(district):
    load(district, output([[before(0), "G1", "0"]]), "corrected.csv", "worker_output")
    assert review(district)["G1"]["cards_7d"] == 0
    assert by_block(district)[GORA]["zero_output"] == 1


def test_uploading_the_same_output_again_changes_nothing(district):
    again = ingest(district, output(OUTPUT), "output (1).csv", kind="worker_output")
    assert again.status == "duplicate"
    assert status(district) == EXPECTED_STATUS


# ---------------------------------------------------------------- which roster stands


def test_a_later_roster_for_one_block_replaces_its_workers_from_its_date(con):
    may1, may20 = dt.date(2025, 5, 1), dt.date(2025, 5, 20)
    load(con, roster([
        ["A101", "x", "ASHA", "Araria", "", "Yes", "No", "", "Rekha"],
        ["A102", "x", "ASHA", "Araria", "", "No", "No", "", "Rekha"],
        ["B101", "x", "ASHA", "Bhargama", "", "Yes", "Yes", "", "Pooja"],
        ["B102", "x", "ASHA", "Bhargama", "", "Yes", "No", "", "Pooja"],
    ], day=may1), "may1.csv", "workers")
    load(con, roster([
        ["A101", "x", "ASHA", "Araria", "", "Yes", "Yes", "", "Rekha"],
        ["A102", "x", "ASHA", "Araria", "", "Yes", "Yes", "", "Rekha"],
        ["A103", "x", "ASHA", "Araria", "", "Yes", "No", "", "Seema"],
    ], day=may20), "may20.csv", "workers")
    load(con, output([["18.05.2025", "A101", "1"], ["18.05.2025", "B101", "1"], ["29.05.2025", "A103", "2"]]),
         "out.csv", "worker_output")
    row = lambda block, day: tuple(by_block(con, day)[block][c] for c in STATUS_COLUMNS[1:])  # noqa: E731
    # Before 20-05 Araria stands from the 1-05 roster; from 20-05 on, from the 20-05 one.
    assert row("Araria", "2025-05-19") == (2, 1, 0, 1, 2.0, 0)
    assert row("Araria", "2025-05-20") == (3, 3, 2, 2, 1.5, 2)
    assert row("Araria", AS_OF) == (3, 3, 2, 2, 1.5, 2)
    # Bhargama has only the 1-05 roster: it stands throughout (B1's card of 18-05 leaves the window).
    assert row("Bhargama", "2025-05-19") == (2, 2, 1, 1, 2.0, 1)
    assert row("Bhargama", AS_OF) == (2, 2, 1, 1, 2.0, 2)
    assert set(review(con, "2025-05-19", block="Araria")) == {"A101", "A102"}
    assert {r["roster_date"] for r in review(con, AS_OF).values()} == {may1, may20}
    assert review(con, AS_OF)["B101"]["roster_date"] == may1
    # Before any roster, each block's first one is used.
    assert row("Araria", "2025-04-01") == (2, 1, 0, 1, 2.0, 1)
    # Undoing the later roster brings the earlier back for Araria; restoring it, the later again.
    later = store.scalar(con, "SELECT upload_id FROM uploads WHERE file_name = 'may20.csv'")
    assert ingest_module.undo(con, later) is True
    assert row("Araria", AS_OF) == (2, 1, 0, 1, 2.0, 1)
    assert ingest_module.restore(con, later) is True
    assert row("Araria", AS_OF) == (3, 3, 2, 2, 1.5, 2)


def test_a_worker_who_moved_is_counted_in_the_block_of_the_later_roster(con):
    load(con, roster([["A101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"],
                      ["A102", "x", "ASHA", "Araria", "", "Yes", "", "", "R"]], day=dt.date(2025, 5, 1)),
         "araria.csv", "workers")
    load(con, roster([["B101", "x", "ASHA", "Bhargama", "", "Yes", "", "", "S"]], day=dt.date(2025, 5, 1)),
         "bhargama.csv", "workers")
    load(con, roster([["B101", "x", "ASHA", "Bhargama", "", "Yes", "", "", "S"],
                      ["A102", "x", "ASHA", "Bhargama", "", "Yes", "", "", "S"]], day=dt.date(2025, 5, 20)),
         "bhargama_later.csv", "workers")
    assert {r["block"]: r["workers"] for r in status(con)} == {"Araria": 1, "Bhargama": 2}
    assert {r["block"]: r["workers"] for r in status(con, "2025-05-10")} == {"Araria": 2, "Bhargama": 1}


def test_an_output_file_dated_by_its_title(con):
    load(con, roster([["A101", "x", "ASHA", "Araria", "", "Yes", "", "", "R"],
                      ["A102", "x", "ASHA", "Araria", "", "Yes", "", "", "R"]]), "roster.csv", "workers")
    result = load(con, csv_bytes([["Ayushman cards made on 24.05.2025"], ["ASHA ID", "Cards"], ["A101", "३"]]),
                  "cards.csv", None)
    assert result.staged.kind == "worker_output"
    assert store.records(con, "SELECT output_date, worker_id, cards FROM worker_output") == [
        {"output_date": dt.date(2025, 5, 24), "worker_id": "A101", "cards": 3}]
    assert by_block(con)["Araria"]["zero_output"] == 1
    assert by_block(con, "2025-05-31")["Araria"]["zero_output"] == 2


def test_the_first_worker_of_a_roster_is_never_taken_for_a_header_line(con):
    result = load(con, csv_bytes([
        ["ASHA roster as on 30.05.2025"],
        ["Worker ID", "Name", "Role", "Block", "Panchayat", "Login ID Active", "Trained", "Supervisor"],
        ["A7", "Sunita Devi", "ASHA", "Araria", "Ujwa", "Yes", "No", "Rekha"],
        ["A8", "Rita Devi", "ASHA", "Araria", "Ujwa", "Yes", "Yes", "Rekha"],
    ]), "roster.csv", "workers")
    assert result.staged.header_row == 2
    assert sorted(store.scalar(con, "SELECT list(worker_id) FROM workers")) == ["A7", "A8"]
