"""The progress series after a change: only the series an upload, an undo or a restore touched are
worked out again, and the result is always the series of the whole store worked out afresh."""

from __future__ import annotations

import pytest
from conftest import csv_bytes, ingest

from samiksha import demo, store
from samiksha import ingest as ingest_module

HEADER = ["Block", "Panchayat", "Target", "Today", "Achieved"]


def report(day: str, *rows) -> bytes:
    return csv_bytes([[f"Ayushman card panchayat-wise report dated {day}"], HEADER, *rows])


def worked_out(con) -> list[tuple]:
    store.refresh_series(con)
    return con.execute("SELECT * FROM series_cache ORDER BY ALL").fetchall()


def afresh(con) -> list[tuple]:
    return con.execute("SELECT * FROM progress_series_live ORDER BY ALL").fetchall()


@pytest.fixture
def paths(monkeypatch) -> list[str]:
    """Which way each refresh went: 'in place' (the touched series) or 'whole' (every series)."""
    taken = []
    in_place = store._series_in_place

    def spy(con):
        done = in_place(con)
        taken.append("in place" if done else "whole")
        return done

    monkeypatch.setattr(store, "_series_in_place", spy)
    return taken


def test_each_change_works_out_only_the_series_it_touched(con, gazetteer, paths):
    first = ingest(con, report("26.05.2025", ["Musahari", "Panchayat 5", "100", "5", "50"],
                               ["Musahari", "Panchayat 6", "100", "4", "40"],
                               ["Gora Bauram", "Bauram", "80", "3", "30"]), "day1.csv")
    assert first.ok
    assert worked_out(con) == afresh(con)

    # the second day of one block: the other block's series are not worked out again
    second = ingest(con, report("27.05.2025", ["Musahari", "Panchayat 5", "100", "6", "56"]), "day2.csv")
    con.execute("CREATE TEMP TABLE seen AS SELECT * FROM series_cache")
    assert worked_out(con) == afresh(con)
    assert paths[-1] == "in place"
    changed = con.execute("SELECT panchayat, report_date FROM series_cache EXCEPT SELECT panchayat, report_date "
                          "FROM seen").fetchall()
    assert [str(p) for p, _ in changed] == ["Panchayat 5"]

    # an undo, a restore and a correction of the first day all land as a fresh working-out would
    assert ingest_module.undo(con, second.upload_id)
    assert worked_out(con) == afresh(con) and paths[-1] == "in place"
    assert con.execute("SELECT max(report_date) FROM series_cache").fetchone()[0].isoformat() == "2025-05-26"
    assert ingest_module.restore(con, second.upload_id)
    assert worked_out(con) == afresh(con) and paths[-1] == "in place"
    corrected = ingest(con, report("26.05.2025", ["Gora Bauram", "Bauram", "80", "9", "36"]), "day1_again.csv")
    assert corrected.ok
    assert worked_out(con) == afresh(con) and paths[-1] == "in place"
    assert con.execute("SELECT cumulative FROM series_cache WHERE panchayat = 'Bauram'").fetchall() == [(36,)]


def test_new_place_names_or_views_work_out_every_series(con, gazetteer, paths):
    assert ingest(con, report("26.05.2025", ["Musahri", "Panchayat 5", "100", "5", "50"]), "day1.csv").ok
    worked_out(con)
    store.names_changed(con)
    assert worked_out(con) == afresh(con) and paths[-1] == "whole"
    con.execute("UPDATE schema_views SET digest = 'older'")
    assert worked_out(con) == afresh(con) and paths[-1] == "whole"


def test_removing_the_demo_removes_its_series(demo_store):
    con = store.open_store(str(demo_store))
    try:
        store.refresh_series(con)
        assert store.scalar(con, "SELECT count(*) FROM series_cache") > 0
        mine = ingest(con, csv_bytes([["Ayushman card block-wise report dated 30.06.2025"],
                                      ["Block", "Target", "Achieved"], ["Amlapur", "9000", "8000"]]), "mine.csv")
        assert mine.ok
        store.refresh_series(con)
        demo.clear(con)
        assert worked_out(con) == afresh(con)
        assert con.execute("SELECT DISTINCT upload_id FROM series_cache").fetchall() == [(mine.upload_id,)]
    finally:
        con.close()


def test_a_store_from_before_keeps_its_figures(con, gazetteer, paths):
    """A store whose series were made before the marks existed is worked out whole once."""
    assert ingest(con, report("26.05.2025", ["Musahari", "Panchayat 5", "100", "5", "50"]), "day1.csv").ok
    worked_out(con)
    con.execute("UPDATE series_state SET base = NULL")
    con.execute("DELETE FROM series_marks")
    assert ingest(con, report("27.05.2025", ["Musahari", "Panchayat 5", "100", "6", "56"]), "day2.csv").ok
    assert worked_out(con) == afresh(con) and paths[-1] == "whole"
