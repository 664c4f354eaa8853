"""The command line: ingest, check, query, demo (and uploads, undo) as in PRODUCT.md.

Exit codes: 0 every file stored, 1 a file refused (nothing of it stored), 2 a usage error.
No traceback reaches the person at the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from samiksha import fmt, i18n, places, queries, settings, store, values
from samiksha.errors import IntakeError
from samiksha.i18n import t
from samiksha.kinds import registry

if TYPE_CHECKING:
    from samiksha import ingest

# The commands import what only they need (ingest, report, render...): a query's process starts
# sooner without them.
IMAGE_LAYOUTS = ("wide", "phone")  # images.LAYOUTS (images is imported only by the commands that draw)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="python -m samiksha", description="Samiksha: the district review dashboard.")
    top.add_argument("--lang", choices=i18n.LANGUAGES, default=None, help="language of messages")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def with_db(p):
        p.add_argument("--db", help="store path (default: $SAMIKSHA_DB or data/samiksha.duckdb)")
        p.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS)
        return p

    for name, helptext in (("ingest", "store report files"), ("check", "read and validate only")):
        p = with_db(sub.add_parser(name, help=helptext))
        p.add_argument("files", nargs="+", metavar="FILE")
        p.add_argument("--kind", choices=registry.NAMES)
        p.add_argument("--indicator")
        p.add_argument("--date", help="report date, YYYY-MM-DD (or dd-mm-yyyy)")
        p.add_argument("--sheet", help="Excel sheet to read (default: the first with data)")
        p.add_argument("--column", action="append", default=[], metavar='"HEADER=field"',
                       help="what a column is (a field, or - for not used); remembered for later files")
        p.add_argument("--name-column", dest="name_column", metavar="COLUMN",
                       help="boundary files: the column of the places' names (default: found from its values)")
        p.add_argument("--code-column", dest="code_column", metavar="COLUMN",
                       help="boundary files: the column of the places' LGD codes, of blocks, panchayats or "
                            "sub-districts (default: found from its values)")
    p = with_db(sub.add_parser("query", help="run a named query; prints CSV"))
    p.add_argument("name")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    p = with_db(sub.add_parser("image", help="write a chart as a PNG image"))
    p.add_argument("chart", choices=("block_progress", "panchayat_progress", "map"))
    p.add_argument("--out", required=True, metavar="FILE.png")
    p.add_argument("--indicator", help="indicator (default: the one with the latest report)")
    p.add_argument("--as-of", dest="as_of", help="date, YYYY-MM-DD (default: the latest report date)")
    p.add_argument("--district", help="one district of a state's store: LGD code or name (default: the whole store)")
    p.add_argument("--level", choices=("block", "panchayat"), default="panchayat", help="map level")
    p.add_argument("--block", help="block (panchayat_progress; default: the weakest block)")
    p.add_argument("--measure", choices=("pct", "achieved", "gap", "below_minimum", "shg_inactive_pct",
                                         "shg_ayushman_pct", "shg_insured_pct"), default="pct",
                   help="what the map colours (default: % achieved)")
    p.add_argument("--matches", metavar="FILE.csv", help="map: write the shapes' name matching as CSV")
    p.add_argument("--layout", choices=IMAGE_LAYOUTS, default="wide",
                   help="wide: landscape, 1,920 pixels (default); phone: portrait, 1,080 pixels wide, large type")
    p = with_db(sub.add_parser("brief", help="write the one-page review brief (PDF or PNG)"))
    p.add_argument("--indicator", help="indicator (default: the one with the latest report)")
    p.add_argument("--as-of", dest="as_of", help="date, YYYY-MM-DD (default: the latest report date)")
    p.add_argument("--district", help="one district of a state's store: LGD code or name (default: the whole store)")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.png")
    p = with_db(sub.add_parser("demo", help="load the demo district (or --clear it)"))
    p.add_argument("--clear", action="store_true", help="remove the demo district's uploads")
    with_db(sub.add_parser("uploads", help="list uploads"))
    p = with_db(sub.add_parser("columns", help="list the column readings remembered (or --forget one)"))
    p.add_argument("--forget", type=int, metavar="ID", help="forget the remembered reading ID")
    p = with_db(sub.add_parser("district", help="pick the store's district from the built-in LGD lists "
                                                "(or list those a name could be)"))
    p.add_argument("name", nargs="?", default="", help="the district's name (English or Hindi) or LGD code")
    p.add_argument("--state", default=None, help="the state's name or LGD code, to look in one state")
    p = with_db(sub.add_parser("undo", help="take an upload out of the figures"))
    p.add_argument("upload_id", type=int)
    p = sub.add_parser("password", help="make the operator password's hash (for secrets.toml or the environment)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS)
    p = with_db(sub.add_parser("restore", help="bring an undone upload back"))
    p.add_argument("upload_id", type=int)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = args.lang or i18n.default_lang()
    try:
        return COMMANDS[args.command](args, lang)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except IntakeError as exc:
        print(exc.issue.text(lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except Exception as exc:  # the last guard: a plain sentence, never a traceback
        render = sys.modules.get("samiksha.render")  # imported by the commands that draw
        if render is not None and isinstance(exc, render.RenderError):
            print(t("cli.render_failed", lang, error=str(exc)), file=sys.stderr)
            return 1
        print(t("cli.unexpected", lang, error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1
    finally:  # a browser left open at exit races Python's removal of its profile folder (a traceback)
        if "samiksha.render" in sys.modules:
            sys.modules["samiksha.render"].renderer().close()


LOCK_WAIT_S = 120.0  # how long a command waits for a store another process has open (SAMIKSHA_LOCK_WAIT)


def _open(path: str, lang: str, read_only: bool = False):
    """The store, waiting (and saying so) while another command or the app has it open."""
    try:
        wait = float(os.environ.get("SAMIKSHA_LOCK_WAIT", LOCK_WAIT_S))
    except ValueError:
        wait = LOCK_WAIT_S
    return store.open_store(path, read_only=read_only, wait=wait, on_wait=lambda: print(
        t("cli.store_busy", lang, path=path, seconds=int(wait)), file=sys.stderr, flush=True))


@contextmanager
def _using(path: str, lang: str, read_only: bool = False):
    """The store for one piece of a command's work, closed at its end (the app and other
    commands share it: see store.py). While the command waits and works, the app's page runs
    let it go first. A write leaves the stored caches up to date for the readers."""
    with store.first_in_line(path):
        con = _open(path, lang, read_only=read_only)
        try:
            yield con
            if not read_only:
                store.refresh_caches(con)
        finally:
            with contextlib.suppress(Exception):  # a store DuckDB gave up: closing says nothing new
                con.close()


def _given(args, lang: str) -> tuple:
    """--column "HEADER=field" (repeatable): what a column is, said by its header's text."""
    from samiksha import columns

    known = sorted({spec.name for kind in registry.TABLE_KINDS for spec in kind.FIELDS})
    given = []
    for item in args.column:
        header, sep, name = item.rpartition("=")
        name = name.strip()
        if not sep or not header.strip():
            raise UsageError(t("cli.bad_column", lang, value=item))
        if name not in (*known, columns.NOT_USED):
            raise UsageError(t("cli.unknown_field", lang, field=name, known=", ".join(known)))
        given.append(columns.Given(None if name == columns.NOT_USED else name, header=header.strip()))
    return tuple(given)


def _options(args) -> dict:
    options = {"kind": args.kind, "indicator": args.indicator, "sheet": args.sheet}
    shape_columns = {k: getattr(args, k) for k in ("name_column", "code_column") if getattr(args, k) is not None}
    if shape_columns and args.kind not in (None, registry.BOUNDARIES):
        raise UsageError(t("cli.shape_columns_kind", args.lang, kind=args.kind))
    options.update(shape_columns)
    if args.date:
        try:
            options["report_date"] = values.parse_date(args.date)
        except ValueError:
            raise UsageError(t("cli.bad_date", None, value=args.date)) from None
    return options


def _read(path_text: str, lang: str) -> Path:
    """The file to read (all are checked before any is read; each is read in its turn)."""
    path = Path(path_text)
    if not path.is_file():
        raise UsageError(t("cli.no_file", lang, path=path_text))
    return path


def _contents(path: Path) -> bytes | ingest.UploadResult:
    """The file's bytes, or its refusal when it is over the upload limit (never read whole)."""
    from samiksha import ingest, readers

    try:
        readers.check_size(path.stat().st_size)
    except IntakeError as exc:
        return ingest.UploadResult(values.clean_name(path.name), ingest.REFUSED, refusal=exc.issue)
    return path.read_bytes()


def cmd_ingest(args, lang: str) -> int:
    from samiksha import ingest, report

    options = {**_options(args), "given": _given(args, lang), "given_by": "command"}
    files = [(p, _read(p, lang)) for p in args.files]
    path = store.db_path(args.db)
    with _using(path, lang) as con:  # made if new; a store holding the demo says so first
        _warn_demo(con, lang)
    refused = 0
    for name, file in files:
        data = _contents(file)
        if isinstance(data, ingest.UploadResult):
            result = data
        else:
            with _using(path, lang) as con:  # one file at a time: the app's pages go on between files
                result = ingest.ingest_file(con.cursor(), data, Path(name).name, files=store.files_dir(path),
                                            **options)
        refused += not result.ok
        print("\n".join(report.full(result, lang)))
    return 1 if refused else 0


def cmd_check(args, lang: str) -> int:
    from samiksha import ingest, report

    options = {**_options(args), "given": _given(args, lang)}
    files = [(p, _read(p, lang)) for p in args.files]
    path = store.db_path(args.db)
    refused = 0
    for name, file in files:
        data = _contents(file)
        remember = False
        if isinstance(data, ingest.UploadResult):
            result = data
        else:
            with _using(path, lang, read_only=True) if Path(path).exists() else \
                    store.connected(store.MEMORY) as con:
                result = ingest.check_file(con.cursor(), data, Path(name).name, **options)
                if result.ok and result.staged.kind != registry.BOUNDARIES:
                    if result.staged.questions:  # what ingest would refuse: said the same way
                        result = ingest.UploadResult(result.file_name, ingest.REFUSED,
                                                     refusal=ingest.unsure_columns(result.staged))
                    else:
                        remember = bool(options["given"]) and Path(path).exists()
            if remember:  # the store read-only above: opened again to keep what --column said
                _remember(path, lang, result.staged, options["given"])
        refused += not result.ok
        print("\n".join(report.full(result, lang)))
    return 1 if refused else 0


def _remember(path: str, lang: str, staged, given) -> None:
    """What --column said of a checked file, remembered for later files (the store opened for it)."""
    from samiksha import columns

    with _using(path, lang) as con, store.transaction(con):
        columns.save(con, staged.kind, staged.header, list(given), "command")


def cmd_query(args, lang: str) -> int:
    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(t("cli.bad_param", lang, value=item))
        params[key.strip()] = value
    try:
        query = queries.load(args.name)
    except IntakeError as exc:
        raise UsageError(exc.issue.text(lang)) from None
    absent = queries.missing(query, params)
    if absent:
        raise UsageError(t("cli.missing_param", lang, name=args.name, params=", ".join(absent)))
    path = store.db_path(args.db)
    if not Path(path).is_file():
        raise UsageError(t("cli.no_store", lang, path=path))
    with _using(path, lang, read_only=True) as con:
        try:
            columns, rows = queries.run_rows(con, args.name, **params)
        except IntakeError as exc:
            raise UsageError(exc.issue.text(lang)) from None
        notes = _query_notes(con, params, lang)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(columns)
    for row in rows:
        out.writerow(["" if v is None else v for v in row])
    for line in notes:
        print(line, file=sys.stderr)
    return 0


def _query_notes(con, params: dict, lang: str) -> list[str]:
    """For stderr (the CSV stays clean): an indicator with no data; names not yet matched; the demo."""
    from samiksha import indicators

    notes = []
    given = params.get("indicator")
    if given and indicators.key_for(given) not in queries.indicators_with_data(con):
        known = ", ".join(queries.indicators_with_data(con)) or "—"
        notes.append(t("cli.no_such_indicator", lang, indicator=given, known=known))
    from samiksha import naming

    key = indicators.key_for(given) if given else None
    as_of = params.get("as_of") or (queries.latest_date(con, key) if key else None)
    pending = naming.pending(con, key, as_of)
    if pending["count"]:
        names = ", ".join(item["written"] for item in pending["names"][:5])
        notes.append(t("cli.unmatched_in_figures" if as_of else "cli.pending_names", lang, count=pending["count"],
                       names=names, achieved=fmt.number(pending["achieved"])))
    from samiksha import demo

    if demo.demo_uploads(con):
        notes.append(t("cli.demo_in_store", lang))
    return notes


def _warn_demo(con, lang: str) -> None:
    from samiksha import demo

    if demo.demo_uploads(con):
        print(t("cli.demo_in_store", lang), file=sys.stderr)


def _store_to_read(args, lang: str, suffixes: tuple[str, ...]) -> str:
    """The store `image` and `brief` read (it must exist) and a check of the output's name."""
    path = store.db_path(args.db)
    if not Path(path).exists():
        raise UsageError(t("cli.no_store", lang, path=path))
    if not args.out.lower().endswith(suffixes):
        raise UsageError(t(f"cli.{args.command}_out", lang, path=args.out))
    return path


def _reading(con, args, lang: str):
    """The indicator and as-of date for `image` and `brief`."""
    from samiksha import indicators

    with_data = queries.indicators_with_data(con)
    if not with_data:
        raise UsageError(t("cli.image_no_data", lang))
    indicator = indicators.key_for(args.indicator) if args.indicator else _latest_indicator(con)
    if indicator not in with_data:
        raise UsageError(t("cli.unknown_indicator", lang, indicator=args.indicator, known=", ".join(with_data)))
    if args.as_of:
        try:
            as_of = values.parse_date(args.as_of)
        except ValueError:
            raise UsageError(t("cli.bad_date", lang, value=args.as_of)) from None
    else:
        as_of = queries.latest_date(con, indicator)
    if as_of is None or as_of < queries.report_dates(con, indicator)[-1]:
        raise UsageError(t("cli.image_no_reports", lang, indicator=settings.indicator_name(con, indicator, lang)))
    if args.district:
        queries.check_district(con, args.district)
    return indicator, as_of


def cmd_image(args, lang: str) -> int:
    from samiksha import images, shapes

    path = _store_to_read(args, lang, (".png",))
    with _using(path, lang, read_only=True) as con:  # the figure is made; the store is let go before drawing
        indicator, as_of = _reading(con, args, lang)
        made = images.chart(con, args.chart, indicator, as_of, lang, level=args.level, block=args.block,
                            measure=args.measure, district=args.district)
        matches = None
        if made.map_data is not None and args.matches:
            level = args.level if args.level in shapes.levels(con) else "panchayat"
            matches = queries.run(con, "boundary_matches", level=level)
    Path(args.out).write_bytes(images.png(made.figure, layout=args.layout))
    print(t("cli.image_written", lang, path=args.out))
    if made.map_data is not None:
        data = made.map_data
        print(f"matched {data.matched}/{data.total}")
        if matches is not None:
            with open(args.matches, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["name", "matched_name", "matched_code", "how"])
                for row in matches.itertuples():
                    writer.writerow([_cell(row.name), _cell(row.matched_name), _cell(row.matched_code), row.how])
    elif args.matches:
        print(t("cli.matches_map_only", lang), file=sys.stderr)
    return 0


def cmd_brief(args, lang: str) -> int:
    from samiksha import brief

    path = _store_to_read(args, lang, (".pdf", ".png"))
    suffix = Path(args.out).suffix.lower().lstrip(".")
    with _using(path, lang, read_only=True) as con:  # the figures are gathered; the store is let go before drawing
        indicator, as_of = _reading(con, args, lang)
        gathered = brief.gather(con, indicator, as_of, lang, district=args.district)
    Path(args.out).write_bytes(brief.render_brief(gathered, formats=(suffix,))[suffix])
    print(t("cli.brief_written", lang, path=args.out))
    return 0


def cmd_password(args, lang: str) -> int:
    """Asks for the operator password (twice at a terminal; one line from a pipe) and prints its
    hash as the lines for .streamlit/secrets.toml and the environment. The password itself is
    never written anywhere."""
    import getpass

    from samiksha import roles

    if sys.stdin.isatty():
        first = getpass.getpass(t("cli.password_ask", lang))
        if getpass.getpass(t("cli.password_again", lang)) != first:
            raise UsageError(t("cli.password_differ", lang))
    else:
        first = sys.stdin.readline().rstrip("\r\n")
    hashed = roles.hash_password(first)
    print(t("cli.password_made", lang, secret=roles.HASH_SECRET, env=roles.HASH_ENV), file=sys.stderr)
    print(f'{roles.HASH_SECRET} = "{hashed}"')
    print(f"{roles.HASH_ENV}='{hashed}'")
    return 0


def _cell(value) -> str:
    return "" if fmt.missing(value) else str(value)


def _latest_indicator(con) -> str | None:
    found = queries.indicators_with_data(con)
    if not found:
        return None
    return max(found, key=lambda key: queries.latest_date(con, key))


def cmd_demo(args, lang: str) -> int:
    from samiksha import demo

    path = store.db_path(args.db)
    with _using(path, lang) as con:
        if args.clear:
            print(t("cli.demo_cleared", lang, uploads=demo.clear(con)))
            return 0
        if demo.demo_uploads(con):
            print(t("cli.demo_already", lang, uploads=demo.demo_uploads(con)))
            return 0
    # file by file, each with the store to itself for a moment: the app's pages go on meanwhile
    summary = demo.load(connect=lambda: _using(path, lang), files=store.files_dir(path))
    print(t("cli.demo_loaded", lang, **summary))
    return 0


def cmd_columns(args, lang: str) -> int:
    """The column readings people said, remembered for later files; --forget ID removes one."""
    from samiksha import columns

    path = store.db_path(args.db)
    if not Path(path).is_file():
        raise UsageError(t("cli.no_store", lang, path=path))
    if args.forget is not None:
        with _using(path, lang) as con:
            if not columns.forget(con, args.forget):
                raise UsageError(t("cli.no_column_reading", lang, id=args.forget))
        print(t("cli.column_forgotten", lang, id=args.forget))
        return 0
    with _using(path, lang, read_only=True) as con:
        listed = columns.listed(con)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "kind", "scope", "header", "field", "saved_at", "said_by"])
    for r in listed:
        out.writerow([r["reading_id"], r["kind"], r["scope"], r["header"], r["field"] or columns.NOT_USED,
                      fmt.datetime_ist(r["saved_at"]), r["source"]])
    return 0


def cmd_district(args, lang: str) -> int:
    """Pick the district whose built-in LGD list reports are matched against: one district
    found (by LGD code or name) is stored and used; several are listed, to be said by code."""
    from samiksha import lgd

    state = None
    if args.state:
        states = [u for u in lgd.states() if args.state.strip() in (u.code, u.name) or
                  u.name.casefold() == args.state.strip().casefold()]
        if len(states) != 1:
            raise UsageError(t("cli.no_state", lang, state=args.state,
                               known=", ".join(u.name for u in lgd.states())))
        state = states[0].code
    found = [lgd.district(args.name.strip())] if lgd.district(args.name.strip()) else \
        lgd.find_districts(args.name, state)
    exact = [u for u in found if places.exact_key(u.name) == places.exact_key(args.name)]
    if len(exact) == 1 or (len(found) == 1 and args.name.strip()):
        chosen = (exact or found)[0]
        with _using(store.db_path(args.db), lang) as con:
            changed = lgd.use(con, chosen.code)
        print(t("cli.district_used", lang, district=lgd.district_label(chosen), code=chosen.code,
                blocks=len(lgd.blocks_of(chosen.code)), changed=changed, source=lgd.ATTRIBUTION))
        return 0
    if not found:
        raise UsageError(t("cli.no_district", lang, name=args.name))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "district", "state"])
    for u in found:
        out.writerow([u.code, u.name, lgd.state_name(u.parent_code)])
    return 1 if args.name.strip() else 0


def cmd_uploads(args, lang: str) -> int:
    from samiksha import ingest

    with _using(store.db_path(args.db), lang, read_only=True) as con:
        listed = ingest.uploads(con)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["upload_id", "file_name", "kind", "indicator", "report_date", "uploaded_at",
                  "rows_accepted", "rows_warned", "rows_rejected", "status"])
    for u in listed:
        out.writerow([u["upload_id"], u["file_name"], u["kind"], u["indicators"] or "",
                      fmt.date(u["report_date"]) if u["report_date"] else "",
                      fmt.datetime_ist(u["uploaded_at"]), u["rows_accepted"], u["rows_warned"],
                      u["rows_rejected"], u["status"]])
    return 0


def _set_status(args, lang: str, status: str) -> int:
    from samiksha import ingest

    with _using(store.db_path(args.db), lang) as con:
        before = store.scalar(con, "SELECT status FROM uploads WHERE upload_id = ?", [args.upload_id])
        if before is None:
            raise UsageError(t("cli.no_upload", lang, upload=args.upload_id))
        if before == status:
            print(t(f"cli.{args.command}_already", lang, upload=args.upload_id))
            return 0
        ingest.set_status(con, args.upload_id, status)
    print(t(f"cli.{args.command}_done", lang, upload=args.upload_id))
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "check": cmd_check,
    "query": cmd_query,
    "image": cmd_image,
    "brief": cmd_brief,
    "demo": cmd_demo,
    "uploads": cmd_uploads,
    "columns": cmd_columns,
    "district": cmd_district,
    "undo": lambda args, lang: _set_status(args, lang, "undone"),
    "restore": lambda args, lang: _set_status(args, lang, "stored"),
    "password": cmd_password,
}
