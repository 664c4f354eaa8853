"""What an upload did, in words a clerk understands (for the CLI and the app alike).

`where` is CLI (the default) or PAGE: a refusal or note whose remedy is a command-line option
names the page's own control on a page (errors.PAGE)."""

from __future__ import annotations

from samiksha import indicators
from samiksha.errors import CLI, INFO, REJECTED, WARNING
from samiksha.i18n import t
from samiksha.ingest import CHECKED, DUPLICATE, REFUSED, RESTORED, STORED, UploadResult

MAX_ISSUE_LINES = 30


def headline(result: UploadResult, lang: str | None = None, where: str = CLI) -> str:
    name = result.file_name
    if result.status == REFUSED:
        return t("report.refused", lang, file=name, reason=result.refusal.text(lang, where))
    if result.status == DUPLICATE:
        return t("report.duplicate", lang, file=name, upload=result.upload_id,
                 when=result.previous["uploaded_at"])
    if result.status == RESTORED:
        return t("report.restored", lang, file=name, upload=result.upload_id)
    staged = result.staged
    what = describe(staged, lang)
    if result.status == CHECKED:
        return t("report.checked", lang, file=name, what=what)
    return t("report.stored", lang, file=name, upload=result.upload_id, what=what)


def describe(staged, lang: str | None = None) -> str:
    parts = [t(f"kind.{staged.kind}", lang)]
    if staged.indicator:
        parts.append(indicators.display_name(staged.indicator, lang or "en"))
    if staged.report_date:
        parts.append(t("report.dated", lang, date=staged.report_date))
    elif staged.date_from:
        parts.append(t("report.date_range", lang, start=staged.date_from, end=staged.date_to))
    return ", ".join(parts)


def file_warnings(staged) -> list:
    """Warnings about the whole file (no row of their own): a totals row that does not add up,
    columns of figures not read, a date that differs from the title's."""
    return [i for i in staged.read_notes if i.severity == WARNING and i.row is None]


def counts(staged, lang: str | None = None) -> str:
    line = t("report.counts", lang, accepted=staged.rows_accepted, warned=staged.rows_warned,
             rejected=staged.rows_rejected)
    whole = len(file_warnings(staged))
    return line + (t("report.file_warnings", lang, count=whole) if whole else "")


def reading_lines(staged, lang: str | None = None, where: str = CLI) -> list[str]:
    """Format, header row, columns found, what the title said, totals found."""
    lines = [t("report.header_row", lang, row=staged.header_row)]
    for note in staged.read_notes:
        if note.severity == INFO and note.code != "column_read":
            lines.append(note.text(lang, where))
    columns = ", ".join(f"{staged.header.labels[i]} → {t('field.' + name, lang)}"
                        for name, i in staged.header.fields.items())
    lines.append(t("report.columns", lang, columns=columns))
    for total in staged.totals:
        lines.append(t("report.totals_row", lang, row=total["row"], label=total["label"]))
    return lines


def match_lines(result: UploadResult, lang: str | None = None) -> list[str]:
    staged = result.staged
    lines = []
    for level in ("block", "panchayat"):
        found = [m for m in staged.matches if m.level == level]
        if not found:
            continue
        by_how: dict[str, int] = {}
        for match in found:
            by_how[match.how] = by_how.get(match.how, 0) + 1
        summary = ", ".join(f"{t('how.' + how, lang)} {n}" for how, n in sorted(by_how.items()))
        lines.append(t("report.names", lang, level=t(f"level.{level}", lang), count=len(found),
                       summary=summary))
        for match in found:
            if match.how == "unmatched":
                hint = ", ".join(name for name, _, _ in match.candidates[:2])
                key = "report.unmatched_hint" if hint else "report.unmatched"
                lines.append("  " + t(key, lang, name=match.written, hint=hint))
            elif match.how == "fuzzy":
                lines.append("  " + t("report.fuzzy", lang, name=match.written, matched=match.name,
                                      score=match.score))
            elif match.method == "same as stored":
                lines.append("  " + t("report.same_as_stored", lang, name=match.written, stored=match.name))
            elif match.method == "like stored":
                lines.append("  " + t("report.like_stored", lang, name=match.written,
                                      stored=", ".join(n for n, _, _ in match.candidates[:2])))
    return lines


def issue_lines(staged, lang: str | None = None, limit: int = MAX_ISSUE_LINES, where: str = CLI) -> list[str]:
    shown = [i for i in staged.issues if i.severity in (REJECTED, WARNING)]
    lines = [f"{t('severity.' + i.severity, lang)}: {i.text(lang, where)}" for i in shown[:limit]]
    total = staged.rows_rejected + staged.rows_warned
    if len(shown) > limit:
        lines.append(t("report.more_issues", lang, count=len(shown) - limit, total=total))
    return lines


def replaced_lines(result: UploadResult, lang: str | None = None) -> list[str]:
    return [t("report.replaces", lang, rows=r["rows"], upload=r["upload_id"], file=r["file_name"])
            for r in result.replaced]


def shape_lines(staged, lang: str | None = None, limit: int = MAX_ISSUE_LINES, where: str = CLI) -> list[str]:
    """A boundary file: how it was read, its key columns and how its shapes matched."""
    keys = staged.keys
    lines = [t("report.shapes_read", lang, count=staged.rows_accepted, level=t(f"level.{keys.level}", lang),
               format=staged.read.file_format)]
    lines += [note.text(lang, where) for note in staged.read_notes]
    code = keys.code or "—"
    if keys.code and keys.code_level == "subdistrict":
        code = t("report.shapes_code_subdistrict", lang, code=keys.code)
    lines.append(t("report.shapes_columns", lang, name=keys.name or "—", code=code,
                   parent=keys.parent if keys.parent and keys.parent != "_district" else "—"))
    summary = ", ".join(f"{t('how.' + how, lang)} {n}" for how, n in sorted(staged.counts_by_how.items()))
    lines.append(t("report.shapes_matched", lang, matched=staged.rows_accepted - staged.rows_warned,
                   count=staged.rows_accepted, summary=summary))
    odd = [f for f in staged.features if f.how in ("unmatched", "fuzzy")]
    for item in odd[:limit]:
        if item.how == "fuzzy":
            lines.append("  " + t("report.shape_fuzzy", lang, name=item.name, matched=item.matched_name))
        else:
            why = t(f"report.shape_why_{item.note}", lang) if item.note else ""
            lines.append("  " + t("report.shape_unmatched", lang, name=item.name or "—", why=why))
    if len(odd) > limit:
        lines.append("  " + t("report.more_shapes", lang, count=len(odd) - limit))
    return lines


def full(result: UploadResult, lang: str | None = None) -> list[str]:
    """Every line for one file, as the CLI prints them."""
    lines = [headline(result, lang)]
    if result.status in (STORED, CHECKED) and result.staged.kind == "boundaries":
        lines += ["  " + line for line in shape_lines(result.staged, lang)]
    elif result.status in (STORED, CHECKED):
        staged = result.staged
        lines += ["  " + line for line in reading_lines(staged, lang)]
        lines.append("  " + counts(staged, lang))
        lines += ["  " + line for line in replaced_lines(result, lang)]
        lines += ["  " + line for line in match_lines(result, lang)]
        lines += ["  " + line for line in issue_lines(staged, lang)]
    return lines

