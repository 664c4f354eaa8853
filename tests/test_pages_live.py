"""What a live user hit on the pages: destructive clicks ask first, an upload into a store that
still holds the demo says so, a refusal on the page names the page's own control (never a
command-line flag), the uploader speaks Hindi in the Hindi view, and an SHG with no meeting
or saving recorded is told apart from one with none in the last 90 days."""

# ruff: noqa: F811 - the fixtures imported from test_pages are the tests' arguments

from __future__ import annotations

from pathlib import Path

import pytest
from test_pages import (  # noqa: F401 - fixtures are used by name
    _release_after,
    app,
    demo_master,
    demo_store,
    make_store,
    ok,
    one_block_store,
    release,
    texts,
)

from samiksha import ingest, store
from samiksha.i18n import t

UPLOAD = "pages/upload.py"


def scalar(path: Path, sql: str):
    """One value from the store at `path` (the app's connection closed first)."""
    release()
    con = store.open_store(str(path))
    try:
        return store.scalar(con, sql)
    finally:
        con.close()


def demo_count(path: Path) -> int:
    return scalar(path, "SELECT count(*) FROM uploads WHERE source = 'demo'")


def button_keys(at) -> set[str]:
    return {b.key for b in at.button if b.key}


def questions(at) -> list[str]:
    return [w.value for w in at.warning if w.icon == ":material/help:"]


# ================================================================ 1. destructive clicks ask first


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_clearing_the_demo_asks_first_and_cancel_leaves_it(demo_store, lang):
    before = demo_count(demo_store)
    assert before == 74
    at = ok(app(lang, page=UPLOAD))
    assert at.button(key="demo_clear").label == t("upload.demo_clear", lang)
    ok(at.button(key="demo_clear").click().run())
    assert demo_count(demo_store) == before  # one click removed nothing
    assert questions(at) == [t("upload.demo_clear_ask", lang, uploads=before)]
    yes = at.button(key="demo_clear_yes")
    assert yes.label == t("upload.demo_clear_yes", lang, uploads=before)
    assert yes.label == ("Yes, clear the demo (74 uploads)" if lang == "en" else "हाँ, डेमो हटाएँ (74 अपलोड)")
    assert "demo_clear" not in button_keys(at)  # the question replaces the first button
    ok(at.button(key="demo_clear_cancel").click().run())
    assert demo_count(demo_store) == before
    assert questions(at) == [] and "demo_clear_yes" not in button_keys(at) and "demo_clear" in button_keys(at)
    ok(at.run())  # a later run does not clear it either
    assert demo_count(demo_store) == before


def test_clearing_the_demo_happens_on_the_confirmation(demo_store):
    at = ok(app(page=UPLOAD))
    ok(at.button(key="demo_clear").click().run())
    ok(at.button(key="demo_clear_yes").click().run())
    assert demo_count(demo_store) == 0
    assert scalar(demo_store, "SELECT count(*) FROM uploads") == 0
    assert "demo_clear_yes" not in button_keys(at) and questions(at) == []


def stored_upload(path: Path) -> int:
    """A second upload in the one-block store (a day's report) that can be undone."""
    con = store.open_store(str(path))
    data = b"Ayushman card daily report dated 27/05/2025\nBlock,Panchayat,Achieved Today\nMusahari,Panchayat 5,20\n"
    result = ingest.ingest_file(con.cursor(), data, "day27.csv", files=store.files_dir(str(path)))
    assert result.status == "stored"
    con.close()
    return result.upload_id


def status(path: Path, upload_id: int) -> str:
    return scalar(path, f"SELECT status FROM uploads WHERE upload_id = {int(upload_id)}")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_undoing_an_upload_asks_first_and_cancel_leaves_it(one_block_store, lang):
    upload_id = stored_upload(one_block_store)
    at = ok(app(lang, page=UPLOAD))
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    ok(at.button(key="undo").click().run())
    assert status(one_block_store, upload_id) == "stored"  # one click undid nothing
    asked = questions(at)
    assert asked == [t("upload.undo_ask", lang, upload=upload_id, file="day27.csv", rows=1)]
    assert at.button(key="undo_yes").label == t("upload.undo_yes", lang, upload=upload_id)
    ok(at.button(key="undo_cancel").click().run())
    assert status(one_block_store, upload_id) == "stored"
    assert questions(at) == [] and "undo" in button_keys(at)


def test_undoing_an_upload_happens_on_the_confirmation_for_the_upload_asked_about(one_block_store):
    upload_id = stored_upload(one_block_store)
    at = ok(app(page=UPLOAD))
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    ok(at.button(key="undo").click().run())
    # Choosing another upload forgets the question: its Undo asks again, for itself.
    at.selectbox(key="detail_id").set_value(upload_id - 1)
    ok(at.run())
    assert questions(at) == [] and "undo_yes" not in button_keys(at)
    at.selectbox(key="detail_id").set_value(upload_id)
    ok(at.run())
    assert questions(at) == []
    ok(at.button(key="undo").click().run())
    ok(at.button(key="undo_yes").click().run())
    assert status(one_block_store, upload_id) == "undone"
    assert status(one_block_store, upload_id - 1) == "stored"
    assert "restore" in button_keys(at) and questions(at) == []


# ================================================================ 2. storing into a store with the demo

DAY_REPORT = b"Ayushman card daily report dated 31/05/2025\nBlock,Achieved Today\nSemrabad,20\n"


def elements_in_order(at) -> list:
    """The page's elements top to bottom (blocks opened), as AppTest holds them."""
    found = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is None:
            found.append(node)
            return
        for child in children.values():
            walk(child)

    walk(at.main)
    return found


def shown(element) -> str | None:
    """A button's key, or a text element's text."""
    if getattr(element, "key", None):
        return element.key
    try:
        value = element.value
    except Exception:  # an element without a value
        return None
    return value if isinstance(value, str) else None


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_storing_into_a_store_with_the_demo_says_so_above_the_store_button(demo_store, lang):
    at = ok(app(lang, page=UPLOAD))
    at.file_uploader[0].set_value(("day.csv", DAY_REPORT, "text/csv"))
    ok(at.run())
    said = t("upload.demo_mixes", lang, uploads=74)
    assert said in [w.value for w in at.warning]
    assert ("demo district" in said and "made-up" in said) if lang == "en" else ("डेमो ज़िला" in said)
    order = [shown(e) for e in elements_in_order(at)]
    assert order.index(said) == order.index("store_files") - 1  # right above the Store button
    assert demo_count(demo_store) == 74  # nothing was stored by being told


def test_no_demo_warning_when_the_store_has_no_demo(one_block_store):
    at = ok(app(page=UPLOAD))
    at.file_uploader[0].set_value(("day.csv", DAY_REPORT.replace(b"Semrabad", b"Musahari"), "text/csv"))
    ok(at.run())
    assert "store_files" in button_keys(at)
    assert t("upload.demo_mixes", "en", uploads=0).split("(")[0] not in texts(at)
