"""Workbooks of several sheets: the data sheet after a cover, a sheet named by the person, each sheet
its own upload with the workbook kept once.

Every awkward file is written inline. Figures are checked through the named queries
(block_progress, district_summary, panchayat_progress) and worked out by hand in comments;
row numbers are the rows a person sees in the file (title rows count).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import bp, ingest, stored, summary, xlsx_bytes

from samiksha import store

D27 = dt.date(2025, 5, 27)


# ---------------------------------------------------------------- a cover sheet before the data


def _cover_workbook() -> bytes:
    return xlsx_bytes(
        [["To, The District Magistrate, Araria"], ["Subject: Ayushman card progress report dated 27.05.2025"]],
        sheet_title="Cover",
        extra_sheets={"Data": [["Block", "Target", "Cumulative"], ["Araria", 1000, 110], ["Palasi", 2000, 220]]},
    )


def test_the_data_sheet_is_read_after_a_cover_sheet(con):
    result = stored(con, _cover_workbook(), "cover.xlsx", indicator="ayushman_cards", report_date=D27)
    assert result.staged.grid.sheet == "Data"
    mentioned = [n for n in result.staged.read_notes if "Data" in " ".join(map(str, n.params.values()))]
    assert mentioned, [(n.code, n.params) for n in result.staged.read_notes]
    assert bp(con, "2025-05-27") == {"Araria": (1000, 110), "Palasi": (2000, 220)}


def test_a_sheet_named_by_the_person_is_read_even_when_it_is_the_cover(con):
    # --sheet Cover names the cover: it has no header, so the file is refused, not silently read elsewhere.
    result = ingest(con, _cover_workbook(), "cover.xlsx", indicator="ayushman_cards", report_date=D27, sheet="Cover")
    assert result.status == "refused"
    assert result.refusal.code == "no_header"


# ---------------------------------------------------------------- one workbook, stored once per sheet

AYUSHMAN_SHEET = [["Ayushman card report 27.05.2025"], ["Block", "Target", "Cumulative"],
                  ["Araria", 4000, 1100], ["Bhargama", 3000, 600]]

INSURANCE_SHEET = [["Insurance enrolment report 27.05.2025"], ["Block", "Target", "Cumulative"],
                   ["Araria", 2000, 300], ["Bhargama", 1500, 200]]


def _two_sheet_book(second: str = "Insurance", rows=INSURANCE_SHEET) -> bytes:
    return xlsx_bytes(AYUSHMAN_SHEET, sheet_title="Ayushman", extra_sheets={second: rows})


def test_each_sheet_of_a_workbook_is_its_own_upload(con, tmp_path):
    book = _two_sheet_book()
    first = stored(con, book, "camp.xlsx", sheet="Ayushman", files=tmp_path)
    second = ingest(con, book, "camp.xlsx", sheet="Insurance", files=tmp_path)
    assert second.status == "stored"
    assert second.upload_id != first.upload_id
    again = ingest(con, book, "camp.xlsx", sheet="Ayushman", files=tmp_path)
    assert (again.status, again.upload_id) == ("duplicate", first.upload_id)
    assert store.scalar(con, "SELECT count(*) FROM uploads") == 2
    assert bp(con, "2025-05-27") == {"Araria": (4000, 1100), "Bhargama": (3000, 600)}
    assert bp(con, "2025-05-27", "insurance") == {"Araria": (2000, 300), "Bhargama": (1500, 200)}
    # The raw workbook is kept once, for both uploads.
    kept = list(tmp_path.iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == book
    paths = con.execute("SELECT DISTINCT raw_path FROM uploads").fetchall()
    assert paths == [(str(kept[0]),)]


def test_the_same_sheet_again_is_a_duplicate(con, tmp_path):
    book = _two_sheet_book()
    first = stored(con, book, "camp.xlsx", sheet="Insurance", files=tmp_path)
    again = ingest(con, book, "camp.xlsx", sheet="Insurance", files=tmp_path)
    assert (again.status, again.upload_id) == ("duplicate", first.upload_id)
    assert store.scalar(con, "SELECT count(*) FROM uploads") == 1
    assert summary(con, "2025-05-27", "insurance")[:2] == (3500, 500)


def test_a_refused_sheet_does_not_delete_the_kept_workbook(con, tmp_path):
    book = _two_sheet_book("Notes", [["Notes"], ["Camp sites were changed on 26.05.2025"]])
    first = stored(con, book, "camp.xlsx", sheet="Ayushman", files=tmp_path)
    notes = ingest(con, book, "camp.xlsx", sheet="Notes", files=tmp_path)
    assert (notes.status, notes.refusal.code) == ("refused", "no_header")
    kept = list(tmp_path.iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == book
    raw = store.scalar(con, "SELECT raw_path FROM uploads WHERE upload_id = ?", [first.upload_id])
    assert Path(raw).read_bytes() == book
    assert store.scalar(con, "SELECT count(*) FROM uploads") == 1
    assert bp(con, "2025-05-27") == {"Araria": (4000, 1100), "Bhargama": (3000, 600)}
