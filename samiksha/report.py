"""What an upload did, in words a clerk understands (for the CLI and the app alike)."""

from __future__ import annotations

from samiksha import indicators
from samiksha.errors import INFO, REJECTED, WARNING
from samiksha.i18n import t
from samiksha.ingest import CHECKED, DUPLICATE, REFUSED, RESTORED, STORED, UploadResult

MAX_ISSUE_LINES = 30


def headline(result: UploadResult, lang: str | None = None) -> str:
    name = result.file_name
    if result.status == REFUSED:
        return t("report.refused", lang, file=name, reason=result.refusal.text(lang))
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


def counts(staged, lang: str | None = None) -> str:
    return t("report.counts", lang, accepted=staged.rows_accepted, warned=staged.rows_warned,
             rejected=staged.rows_rejected)


def reading_lines(staged, lang: str | None = None) -> list[str]:
    """Format, header row, columns found, what the title said, totals found."""
    lines = [t("report.header_row", lang, row=staged.header_row)]
    for note in staged.read_notes:
        if note.severity == INFO and note.code != "column_read":
            lines.append(note.text(lang))
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
    return lines


def issue_lines(staged, lang: str | None = None, limit: int = MAX_ISSUE_LINES) -> list[str]:
    shown = [i for i in staged.issues if i.severity in (REJECTED, WARNING)]
    lines = [f"{t('severity.' + i.severity, lang)}: {i.text(lang)}" for i in shown[:limit]]
    total = staged.rows_rejected + staged.rows_warned
    if len(shown) > limit:
        lines.append(t("report.more_issues", lang, count=len(shown) - limit, total=total))
    return lines


def replaced_lines(result: UploadResult, lang: str | None = None) -> list[str]:
    return [t("report.replaces", lang, rows=r["rows"], upload=r["upload_id"], file=r["file_name"])
            for r in result.replaced]


def full(result: UploadResult, lang: str | None = None) -> list[str]:
    """Every line for one file, as the CLI prints them."""
    lines = [headline(result, lang)]
    if result.status in (STORED, CHECKED):
        staged = result.staged
        lines += ["  " + line for line in reading_lines(staged, lang)]
        lines.append("  " + counts(staged, lang))
        lines += ["  " + line for line in replaced_lines(result, lang)]
        lines += ["  " + line for line in match_lines(result, lang)]
        lines += ["  " + line for line in issue_lines(staged, lang)]
    return lines

