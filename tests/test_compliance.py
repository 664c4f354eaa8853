"""Reporting compliance: which blocks sent the day's progress report by the cut-off (5 PM IST
unless Settings say otherwise), which were late and which are missing; holidays; the grid of
recent days; the named query reporting_status (PRODUCT.md: block, status, uploaded_at) through
Python and the command line; and the WhatsApp reminder naming the missing blocks.

Reports are tiny inline CSV files stored with an explicit uploaded_at (naive = IST). Unless a
test says otherwise the day is 27-05-2025 and the indicator Ayushman cards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re

import pytest
from conftest import DISTRICT_CODE, cli_in_process, csv_bytes, gazetteer_rows, ingest

from samiksha import compliance, queries, settings, store
from samiksha import ingest as ingest_module
from samiksha.errors import IntakeError

IND = "ayushman_cards"
DAY = dt.date(2025, 5, 27)
# The tiny gazetteer's blocks as the store names them (the gazetteer's LGD capitals, titled).
GAZ_BLOCKS = ["Baruraj (Motipur)", "Gora Bauram", "Kusheshwar Asthan", "Kusheshwar Asthan Purbi", "Musahari"]
HINDI = {"Musahari": "मुशहरी", "Gora Bauram": "गौड़ा बौराम", "Kusheshwar Asthan": "कुशेश्वर स्थान",
         "Kusheshwar Asthan Purbi": "कुशेश्वर स्थान पूर्वी", "Baruraj (Motipur)": "बरुराज (मोतीपुर)"}
DEVANAGARI = re.compile("[\u0900-\u097f]")

_figures = itertools.count(11)  # every report different: the same bytes again would be a duplicate


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second))


def report(blocks, day: dt.date = DAY, title: str = "Ayushman card report dated") -> bytes:
    """A block-wise progress report for `day`: title row, header, one row per block."""
    figure = next(_figures)
    return csv_bytes([[f"{title} {day:%d.%m.%Y}"], ["Block", "Target", "Achieved"],
                      *[[block, "1000", str(figure)] for block in blocks]])


def yesterday(con, blocks):
    """A report for the day before, on time: the blocks are known (no gazetteer) before DAY."""
    before = DAY - dt.timedelta(days=1)
    return send(con, blocks, at(12, 0, day=before), day=before)


def send(con, blocks, when: dt.datetime, day: dt.date = DAY, **options):
    """Store one report for `day` naming `blocks`, uploaded at `when`; returns the UploadResult."""
    result = ingest(con, report(blocks, day, options.pop("title", "Ayushman card report dated")),
                    f"report_{next(_figures)}.csv", uploaded_at=when, **options)
    assert result.status == "stored", result.refusal and result.refusal.text()
    return result


def status(con, day: dt.date = DAY, indicator: str = IND) -> dict:
    """reporting_status as {block: (status, uploaded_at or None)}."""
    frame = queries.run(con, "reporting_status", indicator=indicator, report_date=day.isoformat())
    found = {}
    for row in frame.to_dict("records"):
        when = row["uploaded_at"]
        found[row["block"]] = (row["status"], None if when is None or when != when else when.to_pydatetime())
    assert len(found) == len(frame), "a block listed twice"
    return found


def statuses(con, day: dt.date = DAY, indicator: str = IND) -> dict:
    return {block: state for block, (state, _) in status(con, day, indicator).items()}


# ---------------------------------------------------------------- on time, late, missing


def test_by_the_cutoff_is_on_time_and_after_it_late(con):
    send(con, ["Araria"], at(16, 59))
    send(con, ["Bhargama"], at(17, 0, 0))  # exactly 5 PM is still on time
    send(con, ["Jokihat"], at(17, 0, 1))
    send(con, ["Palasi"], at(17, 1))
    send(con, ["Sikti"], at(9, 30))
    assert status(con) == {
        "Araria": ("on_time", at(16, 59)), "Bhargama": ("on_time", at(17, 0)),
        "Jokihat": ("late", at(17, 0, 1)), "Palasi": ("late", at(17, 1)), "Sikti": ("on_time", at(9, 30))}


def test_a_block_seen_before_but_silent_today_is_missing(con):
    yesterday(con, ["Araria", "Bhargama", "Jokihat"])
    send(con, ["Araria"], at(16, 0))
    assert status(con) == {"Araria": ("on_time", at(16, 0)), "Bhargama": ("missing", None),
                           "Jokihat": ("missing", None)}
    # Missing first, then late, then on time (the order the page and the CLI show).
    send(con, ["Bhargama"], at(18, 0))
    assert list(status(con)) == ["Jokihat", "Bhargama", "Araria"]


def test_a_report_for_the_day_uploaded_next_morning_is_late(con):
    send(con, ["Araria"], at(8, 15, day=DAY + dt.timedelta(days=1)), day=DAY)
    assert status(con) == {"Araria": ("late", at(8, 15, day=DAY + dt.timedelta(days=1)))}
    # ...and it says nothing about the next day itself.
    assert statuses(con, DAY + dt.timedelta(days=1)) == {"Araria": "missing"}


def test_a_correction_after_the_cutoff_keeps_the_first_upload_on_time(con):
    send(con, ["Araria", "Bhargama"], at(16, 30))
    send(con, ["Araria"], at(19, 45))  # a corrected figure for Araria, late in the evening
    assert status(con) == {"Araria": ("on_time", at(16, 30)), "Bhargama": ("on_time", at(16, 30))}
    rows = {r["block"]: r["uploads"] for r in
            queries.run(con, "reporting_grid", indicator=IND, from_date=DAY, to_date=DAY).to_dict("records")}
    assert rows == {"Araria": 2, "Bhargama": 1}


def test_a_late_report_sent_again_stays_late_with_its_first_time(con):
    send(con, ["Araria"], at(17, 20))
    send(con, ["Araria"], at(21, 5))
    assert status(con) == {"Araria": ("late", at(17, 20))}


def test_an_undone_upload_does_not_count(con):
    yesterday(con, ["Araria", "Bhargama"])
    first = send(con, ["Araria", "Bhargama"], at(16, 0))
    send(con, ["Araria"], at(18, 30))
    assert ingest_module.undo(con, first.upload_id)
    # Araria's time is now its second (late) upload; Bhargama has no stored report left.
    assert status(con) == {"Araria": ("late", at(18, 30)), "Bhargama": ("missing", None)}
    ingest_module.restore(con, first.upload_id)
    assert status(con) == {"Araria": ("on_time", at(16, 0)), "Bhargama": ("on_time", at(16, 0))}


def test_another_indicators_upload_does_not_count(con):
    yesterday(con, ["Araria", "Bhargama"])
    send(con, ["Araria"], at(12, 0), indicator="insurance", title="Progress report dated")
    send(con, ["Bhargama"], at(18, 0))
    assert status(con) == {"Araria": ("missing", None), "Bhargama": ("late", at(18, 0))}
    assert status(con, indicator="insurance") == {"Araria": ("on_time", at(12, 0)), "Bhargama": ("missing", None)}


# ---------------------------------------------------------------- the cut-off and holidays


def test_the_cutoff_setting_moves_the_line(con):
    assert compliance.cutoff(con) == dt.time(17, 0)
    send(con, ["Araria"], at(17, 30))
    send(con, ["Bhargama"], at(18, 1))
    assert statuses(con) == {"Araria": "late", "Bhargama": "late"}
    compliance.set_cutoff(con, dt.time(18, 0))
    assert compliance.cutoff(con) == dt.time(18, 0)
    assert statuses(con) == {"Araria": "on_time", "Bhargama": "late"}
    compliance.set_cutoff(con, dt.time(17, 15))
    assert statuses(con) == {"Araria": "late", "Bhargama": "late"}
    compliance.set_cutoff(con, dt.time(17, 30))
    assert statuses(con) == {"Araria": "on_time", "Bhargama": "late"}
    with pytest.raises(IntakeError):
        compliance.set_cutoff(con, "18:00")
    assert compliance.cutoff(con) == dt.time(17, 30)


def test_a_holiday_without_a_report_is_holiday_and_a_report_still_counts(con):
    holiday = DAY + dt.timedelta(days=1)
    send(con, ["Araria", "Bhargama", "Jokihat"], at(16, 0))
    send(con, ["Araria"], at(11, 0, day=holiday), day=holiday)
    send(con, ["Bhargama"], at(20, 0, day=holiday), day=holiday)
    assert statuses(con, holiday) == {"Araria": "on_time", "Bhargama": "late", "Jokihat": "missing"}
    compliance.set_holidays(con, {holiday: "Bakrid"})
    assert compliance.holidays(con) == {holiday: "Bakrid"}
    assert statuses(con, holiday) == {"Araria": "on_time", "Bhargama": "late", "Jokihat": "holiday"}
    assert statuses(con) == {"Araria": "on_time", "Bhargama": "on_time", "Jokihat": "on_time"}  # other days as before
    today = compliance.day(con, IND, holiday, now=at(21, 0, day=holiday))
    assert today.holiday and today.missing == [] and today.on_time == ["Araria"]
    assert compliance.reminder(con, IND, today, "en") == ""  # nothing to remind on a holiday


# ---------------------------------------------------------------- which blocks are expected


def test_the_gazetteer_lists_the_expected_blocks(con, gazetteer):
    send(con, ["Musahari", "Kusheshwar Asthan"], at(16, 0))
    send(con, ["Gora Bauram"], at(17, 45))
    assert statuses(con) == {"Musahari": "on_time", "Kusheshwar Asthan": "on_time", "Gora Bauram": "late",
                             "Baruraj (Motipur)": "missing", "Kusheshwar Asthan Purbi": "missing"}
    # A day nobody reported: every gazetteer block is missing.
    assert statuses(con, DAY + dt.timedelta(days=1)) == dict.fromkeys(GAZ_BLOCKS, "missing")


def test_a_report_naming_a_block_in_hindi_counts_for_the_gazetteer_block(con, gazetteer):
    send(con, ["मुशहरी", "KUSHESHWAR ASTHAN PURBI"], at(16, 10))
    found = statuses(con)
    assert found["Musahari"] == "on_time" and found["Kusheshwar Asthan Purbi"] == "on_time"
    assert sorted(found) == GAZ_BLOCKS  # no second, Hindi-named row


def test_a_name_not_in_the_gazetteer_is_pending_not_a_block_that_reported(con, gazetteer):
    """A report under a name the gazetteer does not know is no block's report until a person
    says which block it is: the gazetteer's blocks are listed, the name is pending."""
    from samiksha import naming

    send(con, ["Musahari"], at(16, 0))
    send(con, ["Hayaghat"], at(17, 5))
    found = status(con)
    assert sorted(found) == sorted(GAZ_BLOCKS)
    assert found["Gora Bauram"] == ("missing", None)
    assert [n["written"] for n in naming.pending(con)["names"]] == ["Hayaghat"]


def test_without_a_gazetteer_the_blocks_seen_in_reports_are_expected(con):
    send(con, ["Araria", "Bhargama"], at(16, 0, day=DAY - dt.timedelta(days=3)), day=DAY - dt.timedelta(days=3))
    send(con, ["Palasi"], at(16, 0, day=DAY - dt.timedelta(days=2)), day=DAY - dt.timedelta(days=2))
    send(con, ["Bhargama"], at(16, 30))
    assert statuses(con) == {"Araria": "missing", "Bhargama": "on_time", "Palasi": "missing"}


def test_the_settings_district_picks_its_blocks_from_a_two_district_gazetteer(con):
    rows = gazetteer_rows()
    other = [["10", "BIHAR", "231", "MADHUBANI", "3001", "BENIPATTI", "बेनीपट्टी", "400101", "Benipatti",
              "बेनीपट्टी"]]
    result = ingest(con, csv_bytes(rows + other), "lgd_two.csv", kind="gazetteer")
    assert result.status == "stored", result.refusal
    store.set_setting(con, "district_code", DISTRICT_CODE)
    send(con, ["Musahari"], at(16, 0))
    assert statuses(con) == {**dict.fromkeys(GAZ_BLOCKS, "missing"), "Musahari": "on_time"}
    assert "Benipatti" not in statuses(con)


# ---------------------------------------------------------------- the named query's contract


def test_reporting_status_columns_and_values(con, gazetteer):
    send(con, ["Musahari"], at(16, 59))
    send(con, ["Gora Bauram"], at(17, 1))
    frame = queries.run(con, "reporting_status", indicator=IND, report_date="2025-05-27")
    assert list(frame.columns) == ["block", "status", "uploaded_at"]
    assert set(frame["status"]) == {"on_time", "late", "missing"}
    assert frame["uploaded_at"][frame["status"] == "missing"].isna().all()
    assert status(con)["Musahari"] == ("on_time", at(16, 59))
    assert status(con)["Gora Bauram"] == ("late", at(17, 1))
    assert len(frame) == len(GAZ_BLOCKS)


def test_reporting_status_from_the_command_line(tmp_path):
    db = tmp_path / "store.duckdb"
    con = store.open_store(str(db))
    try:
        yesterday(con, ["Araria", "Bhargama"])
        send(con, ["Araria"], at(17, 0))
        send(con, ["Palasi"], at(17, 1))
    finally:
        con.close()
    done = cli_in_process("query", "reporting_status", "--param", f"indicator={IND}",
                          "--param", "report_date=2025-05-27", env_db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["block", "status", "uploaded_at"]
    body = {row[0]: (row[1], row[2]) for row in rows[1:]}
    assert len(body) == len(rows) - 1 == 3
    assert body["Bhargama"] == ("missing", "")
    assert body["Araria"][0] == "on_time" and dt.datetime.fromisoformat(body["Araria"][1]) == at(17, 0)
    assert body["Palasi"][0] == "late" and dt.datetime.fromisoformat(body["Palasi"][1]) == at(17, 1)
    assert [row[0] for row in rows[1:]] == ["Bhargama", "Palasi", "Araria"]  # missing, late, on time


# ---------------------------------------------------------------- the grid of recent days


def test_the_grid_over_several_days(con):
    days = [DAY + dt.timedelta(days=n) for n in range(3)]  # 27, 28, 29 May
    send(con, ["Araria", "Bhargama"], at(16, 0, day=days[0]), day=days[0])
    send(con, ["Araria"], at(17, 30, day=days[1]), day=days[1])
    send(con, ["Bhargama"], at(9, 0, day=days[2]), day=days[2])
    send(con, ["Bhargama"], at(19, 0, day=days[2]), day=days[2])
    compliance.set_holidays(con, {days[2]: "Sunday"})
    frame = compliance.grid(con, IND, days[2], days=14)  # does not reach back before the first report
    cells = {(r["block"], r["report_date"]): (r["status"], r["uploads"]) for r in frame.to_dict("records")}
    got = {(block, dt.date.fromisoformat(str(when)[:10])): value for (block, when), value in cells.items()}
    assert got == {
        ("Araria", days[0]): ("on_time", 1), ("Araria", days[1]): ("late", 1),
        ("Araria", days[2]): ("holiday", 0),
        ("Bhargama", days[0]): ("on_time", 1), ("Bhargama", days[1]): ("missing", 0),
        ("Bhargama", days[2]): ("on_time", 2)}
    assert list(frame.columns)[:3] == ["block", "report_date", "status"]
    two = compliance.grid(con, IND, days[2], days=2)
    assert sorted({str(d)[:10] for d in two["report_date"]}) == ["2025-05-28", "2025-05-29"]


def test_the_day_to_show_is_today_while_reporting_else_the_latest_report(con):
    assert compliance.day_to_show(con, IND, DAY) is None  # nothing reported yet
    send(con, ["Araria"], at(16, 0))
    assert compliance.day_to_show(con, IND, DAY) == DAY
    assert compliance.day_to_show(con, IND, DAY + dt.timedelta(days=3)) == DAY + dt.timedelta(days=3)
    assert compliance.day_to_show(con, IND, DAY + dt.timedelta(days=30)) == DAY  # an old campaign
    assert compliance.day_to_show(con, "insurance", DAY) is None


# ---------------------------------------------------------------- holidays as text


def test_parse_holidays_reads_dates_and_names():
    text = "15-08-2025 Independence Day\n\n  02.10.2025 Gandhi Jayanti \n26/01/2026\n२५-१२-२०२५ क्रिसमस\n"
    assert compliance.parse_holidays(text) == {
        dt.date(2025, 8, 15): "Independence Day", dt.date(2025, 10, 2): "Gandhi Jayanti", dt.date(2026, 1, 26): "",
        dt.date(2025, 12, 25): "क्रिसमस"}
    days = compliance.parse_holidays(text)
    assert compliance.parse_holidays(compliance.holidays_text(days)) == days
    assert compliance.holidays_text(days).splitlines()[0] == "15-08-2025 Independence Day"


def test_parse_holidays_names_the_bad_line():
    with pytest.raises(IntakeError) as caught:
        compliance.parse_holidays("15-08-2025 Independence Day\n\nholi on 14th March\n")
    assert caught.value.issue.code == "bad_holiday"
    assert caught.value.issue.params["line"] == 3
    with pytest.raises(IntakeError) as caught:
        compliance.parse_holidays("32-13-2025 Nothing")
    assert caught.value.issue.params["line"] == 1


def test_parse_holidays_reads_lines_pasted_from_excel_columns():
    assert compliance.parse_holidays("15-08-2025\tIndependence Day\n02-10-2025\tGandhi Jayanti") == {
        dt.date(2025, 8, 15): "Independence Day", dt.date(2025, 10, 2): "Gandhi Jayanti"}


def test_holidays_are_kept_in_the_store(con):
    assert compliance.holidays(con) == {}
    days = {dt.date(2025, 8, 15): "Independence Day", dt.date(2025, 5, 28): ""}
    compliance.set_holidays(con, days)
    assert compliance.holidays(con) == days
    assert list(compliance.holidays(con)) == sorted(days)


# ---------------------------------------------------------------- the day and the reminder


def _two_missing(con):
    send(con, ["Musahari", "Kusheshwar Asthan"], at(15, 0))
    send(con, ["Gora Bauram"], at(17, 40))


def test_the_day_sorts_blocks_and_knows_whether_the_cutoff_passed(con, gazetteer):
    _two_missing(con)
    before = compliance.day(con, IND, DAY, now=at(16, 0))
    assert (sorted(before.on_time), before.missing, before.holiday) == (
        ["Kusheshwar Asthan", "Musahari"], ["Baruraj (Motipur)", "Kusheshwar Asthan Purbi"], False)
    assert [(block, when.to_pydatetime()) for block, when in before.late] == [("Gora Bauram", at(17, 40))]
    assert before.cutoff_passed is False
    assert compliance.day(con, IND, DAY, now=at(17, 30)).cutoff_passed is True
    assert compliance.day(con, IND, DAY, now=at(9, 0, day=DAY + dt.timedelta(days=1))).cutoff_passed is True


def test_the_english_reminder_names_exactly_the_missing_blocks(con, gazetteer):
    _two_missing(con)
    for now in (at(16, 0), at(18, 0)):
        text = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=now), "en")
        assert not text.startswith("reporting."), f"catalogue message missing: {text}"
        assert "27-05-2025" in text
        # "Kusheshwar Asthan" is inside "Kusheshwar Asthan Purbi": count the names, not the substrings.
        listed = re.findall("|".join(re.escape(b) for b in sorted(GAZ_BLOCKS, key=len, reverse=True)), text)
        assert sorted(set(listed)) == ["Baruraj (Motipur)", "Kusheshwar Asthan Purbi"], text
        assert not DEVANAGARI.search(text), text
    before = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=at(16, 0)), "en")
    after = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=at(18, 0)), "en")
    assert before != after  # "please send by 5 PM" is not "has not come by 5 PM"


def test_the_hindi_reminder_uses_hindi_block_names(con, gazetteer):
    _two_missing(con)
    for now in (at(16, 0), at(18, 0)):
        text = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=now), "hi", HINDI)
        assert not text.startswith("reporting."), f"catalogue message missing: {text}"
        assert "27-05-2025" in text
        assert DEVANAGARI.search(text.replace(HINDI["Baruraj (Motipur)"], "").replace(
            HINDI["Kusheshwar Asthan Purbi"], "")), "the message itself is not in Hindi"
        listed = re.findall("|".join(re.escape(n) for n in sorted(HINDI.values(), key=len, reverse=True)), text)
        assert sorted(set(listed)) == sorted([HINDI["Baruraj (Motipur)"], HINDI["Kusheshwar Asthan Purbi"]]), text
        assert "Baruraj" not in text and "Purbi" not in text


def test_no_reminder_when_every_block_reported(con, gazetteer):
    send(con, [b for b in GAZ_BLOCKS if b != "Gora Bauram"], at(12, 0))
    send(con, ["Gora Bauram"], at(23, 0))  # late, but not missing
    for lang in ("en", "hi"):
        for now in (at(16, 0), at(23, 30)):
            assert compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=now), lang, HINDI) == ""


def test_the_reminder_signs_with_the_district_name(con, gazetteer):
    _two_missing(con)
    settings.set_district_name(con, "Darbhanga", "दरभंगा")
    en = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=at(18, 0)), "en")
    hi = compliance.reminder(con, IND, compliance.day(con, IND, DAY, now=at(18, 0)), "hi", HINDI)
    assert not en.startswith("reporting.") and not hi.startswith("reporting."), (en, hi)
    assert "Darbhanga" in en and "दरभंगा" in hi

