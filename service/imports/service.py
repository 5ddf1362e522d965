"""An import: a spreadsheet read a chunk of rows at a time, each row applied through the
API's rules and services in one transaction (new graduates in bulk, ``bulk``; every other row
in a savepoint of its own), and a report of every row.

A dry run (the preview) rolls the whole transaction back, so nothing changes and nothing
reaches the change feed. A commit applies the chosen rows all at once: if any of them is
refused, none is kept. Either way every row is tried, so one pass reports every problem."""

import asyncio
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from service.auth.principal import Principal
from service.enrolments.schemas import EnrolmentCreate
from service.imports import batches
from service.imports.bulk import NewGraduate, Rules, insert, known_iins, new_graduate
from service.imports.columns import LAYOUTS, ImportKind
from service.imports.files import FileProblem, Row, Sheet, open_sheet
from service.imports.identities import identities
from service.imports.matching import Candidate, unchanged_graduates, unchanged_records
from service.imports.problems import Headers
from service.imports.readers import REFERENCE_FIELDS, References, read_row
from service.imports.results import Results
from service.imports.schemas import (
    CellProblem,
    ColumnMatch,
    ImportSummary,
    RowOutcome,
    RowResult,
)
from service.imports.writers import (
    RECORD_SPECS,
    RowRefused,
    Written,
    write_graduate,
    write_record,
)
from service.kit.config import get_settings
from service.kit.errors import Conflict, FieldError, InvalidInput, ProblemError
from service.kit.i18n import _, current_locale, ngettext
from service.kit.unit_of_work import UnitOfWork
from service.students.schemas import StudentCreate

IIN_GIVES = frozenset({"birth_date", "sex"})
"""What a valid IIN encodes, so a graduates row may leave it blank."""
CHUNK = 1000
"""Rows read, checked and written together; memory holds one chunk of rows at a time."""


class ImportRefused(InvalidInput):
    """A commit with refused rows: nothing was saved; the report says why, row by row."""

    def __init__(self, report: "Imported") -> None:
        errors = [
            FieldError(
                field=f"file.rows.{r.row}" + (f".{e.field}" if e.field else ""),
                message=f"{e.column}: {e.message}" if e.column else e.message,
                code=e.code,
            )
            for r in report.results.refused
            for e in r.errors
        ]
        refused = report.summary.refused
        super().__init__(
            ngettext(
                "%(num)d chosen row was refused; nothing was imported.",
                "%(num)d chosen rows were refused; nothing was imported.",
                refused,
            )
            % {"num": refused},
            errors,
        )
        self.report = report


@dataclass
class Imported:
    """An import's report: its summary, and every row's result (``Results``)."""

    summary: ImportSummary
    results: Results
    table: Sheet
    """The file as read, for the annotated copy of a preview."""

    def json(self) -> Iterator[bytes]:
        """The report as ``ImportReport``'s JSON, written a chunk of rows at a time."""
        head = self.summary.model_dump_json().encode()
        yield head[:-1] + b',"results":'
        yield from self.results.json()
        yield b"}"


def read_sheet(data: bytes, kind: ImportKind, sheet: str | None) -> Sheet:
    """The file's table, or a 422 that says what is wrong with the file as a whole."""
    layout = LAYOUTS[kind]
    try:
        found = open_sheet(
            data, layout.specs(), sheet=sheet, max_rows=get_settings().import_max_rows
        )
    except FileProblem as exc:
        raise InvalidInput.field("file", exc.message, exc.code) from None
    missing = list(found.missing)
    if kind != ImportKind.graduates and not {"iin", "student_id"} & set(found.fields):
        missing.append("iin")
    if missing:
        names = ", ".join(f"“{layout.column(m).header(_current())}”" for m in missing)
        raise InvalidInput.field(
            "file",
            _("The file has no column for: %(columns)s.") % {"columns": names},
            "missing_columns",
        )
    return found


def _current() -> str:
    return current_locale.get()


@dataclass
class Job:
    """One import: its unit of work, who runs it, and what every row is checked against."""

    uow: UnitOfWork
    principal: Principal
    kind: ImportKind
    refs: References
    rules: Rules
    headers: Headers

    async def read(self, row: Row) -> tuple[dict[str, Any], set[str], list[CellProblem]]:
        """The row's request body, the body fields its cells gave, and what could not be read."""
        body, unreadable = await read_row(self.uow.session, self.kind, row.values, self.refs)
        if self.kind == ImportKind.graduates and self.principal.institution_id is not None:
            body.setdefault("institution_id", self.principal.institution_id)
        given = {REFERENCE_FIELDS.get(f, f) for f in row.values}
        return body, given, self.headers.unreadable(unreadable)

    def validate(self, body: dict[str, Any]) -> tuple[list[Any], list[CellProblem]]:
        """The row's request bodies, or every problem any of them has (not the first's)."""
        schemas = (
            (StudentCreate, EnrolmentCreate)
            if self.kind == ImportKind.graduates
            else (RECORD_SPECS[self.kind].create,)
        )
        models, problems = [], []
        for schema in schemas:
            try:
                models.append(
                    schema.model_validate({k: body[k] for k in schema.model_fields.keys() & body})
                )
            except ValidationError as exc:
                problems += self.headers.refusal(exc)
        return models, problems

    def every_problem(
        self, body: dict[str, Any], unreadable: list[CellProblem]
    ) -> list[CellProblem]:
        """The problems of a row with unreadable cells, and those of the rest of it: one
        preview shows them all. A field is reported once, and a blank birth date or sex is
        not reported beside a wrong IIN, which would have given them."""
        reported = {p.field for p in unreadable}
        problems = list(unreadable)
        for problem in self.validate(body)[1]:
            if problem.field in reported:
                continue
            reported.add(problem.field)
            problems.append(problem)
        if "iin" in reported:
            problems = [
                p
                for p in problems
                if not (p.field in IIN_GIVES and p.code == "missing" and p.field not in body)
            ]
        order = {c.name: n for n, c in enumerate(LAYOUTS[self.kind].columns)}
        return sorted(problems, key=lambda p: order.get(p.field or "", len(order)))

    async def one(self, row: Candidate) -> RowResult:
        """A row through the services, in a savepoint: a refused row leaves nothing behind."""
        uow, body, given = self.uow, row.body, row.given
        try:
            async with uow.savepoint():
                written = (
                    await write_graduate(uow, self.principal, body, given, row.bodies)
                    if self.kind == ImportKind.graduates
                    else await write_record(uow, self.principal, self.kind, body, given)
                )
        except (ValidationError, ProblemError, RowRefused) as exc:
            return _refused(row.number, self.headers.refusal(exc))
        return _written(row.number, written)

    async def rows(self, rows: list[Row]) -> list[RowResult]:
        """A chunk of rows. New graduates go in bulk; every other row one by one."""
        results: dict[int, RowResult] = {}
        later: list[Candidate] = []
        fresh: list[NewGraduate] = []
        candidates = []
        for row in rows:
            body, given, problems = await self.read(row)
            if problems:
                results[row.number] = _refused(row.number, self.every_problem(body, problems))
            elif self.kind != ImportKind.graduates:
                later.append(Candidate(row.number, body, given))
            else:
                models, problems = self.validate(body)
                if problems:
                    results[row.number] = _refused(row.number, self.every_problem(body, problems))
                    continue
                student, enrolment = models
                candidates.append((row.number, body, given, student, enrolment))
        known = await known_iins(self.uow.session, [c[3].iin for c in candidates])
        for number, body, given, student, enrolment in candidates:
            if student.iin in known:
                # Stored already, or earlier in this file: compared with what is stored.
                later.append(Candidate(number, body, given, (student, enrolment)))
                continue
            known.add(student.iin)
            try:
                fresh.append(new_graduate(number, student, enrolment, self.principal, self.rules))
            except ProblemError as exc:
                known.discard(student.iin)
                results[number] = _refused(number, self.headers.refusal(exc))
        await insert(self.uow, fresh)
        for graduate in fresh:
            results[graduate.row] = _written(
                graduate.row,
                Written(
                    created=True,
                    student_id=graduate.student["id"],
                    record_id=graduate.enrolment["id"],
                ),
            )
        unchanged = (
            await unchanged_graduates(self.uow.session, self.principal, later)
            if self.kind == ImportKind.graduates
            else await unchanged_records(self.uow.session, self.principal, self.kind, later)
        )
        for number, written in unchanged.items():
            results[number] = _written(number, written)
        for left in later:
            if left.number not in unchanged:
                results[left.number] = await self.one(left)
        who = await identities(self.uow.session, self.principal, self.kind, rows)
        for row in rows:
            results[row.number].student_name = who[row.number].name
            results[row.number].iin_masked = who[row.number].iin_masked
        return [results[row.number] for row in rows]


def _refused(number: int, problems: list[CellProblem]) -> RowResult:
    return RowResult(row=number, outcome=RowOutcome.refused, errors=problems)


def _written(number: int, written: Written) -> RowResult:
    outcome = (
        RowOutcome.created
        if written.created
        else RowOutcome.updated
        if written.updated
        else RowOutcome.unchanged
    )
    return RowResult(
        row=number, outcome=outcome, student_id=written.student_id, record_id=written.record_id
    )


def _chunks(rows: Iterable[Row], wanted: set[int] | None) -> Iterator[tuple[list[Row], list[int]]]:
    """Chunks of the chosen rows, each with the numbers of the rows skipped before it."""
    chunk: list[Row] = []
    skipped: list[int] = []
    for row in rows:
        if wanted is not None and row.number not in wanted:
            skipped.append(row.number)
            continue
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk, skipped
            chunk, skipped = [], []
    if chunk or skipped:
        yield chunk, skipped


async def run_import(
    uow: UnitOfWork,
    principal: Principal,
    kind: ImportKind,
    data: bytes,
    *,
    sheet: str | None = None,
    dry_run: bool = True,
    chosen: Iterable[int] | None = None,
    expect_sha256: str | None = None,
    file_name: str = "",
) -> Imported:
    digest = hashlib.sha256(data).hexdigest()
    if expect_sha256 is not None and expect_sha256.lower() != digest:
        raise Conflict(
            _("The file is not the one that was previewed; preview it again before importing.")
        )
    # Parsing a workbook is CPU work of seconds: off the event loop, so other requests go on.
    table = await asyncio.to_thread(read_sheet, data, kind, sheet)
    session = uow.session
    job = Job(
        uow,
        principal,
        kind,
        await References.load(session),
        await Rules.load(session),
        Headers(LAYOUTS[kind], table),
    )
    wanted = set(chosen) if chosen is not None else None
    results = Results()
    chunks = _chunks(table.rows(), wanted)
    while (found := await asyncio.to_thread(next, chunks, None)) is not None:
        chunk, skipped = found
        group = [RowResult(row=n, outcome=RowOutcome.skipped) for n in skipped]
        results.add(group + await job.rows(chunk))
    counts = results.counts
    applied = not dry_run and counts[RowOutcome.refused] == 0
    if not applied:
        # The preview, or a commit that cannot be whole: nothing of it is kept.
        await uow.discard()
    summary = ImportSummary(
        kind=kind,
        dry_run=dry_run,
        applied=applied,
        file_sha256=digest,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet_name,
        header_row=table.header_row,
        columns=[
            ColumnMatch(header=h, field=f)
            for h, f in zip(table.headers, table.fields, strict=True)
            if h or f
        ],
        unknown_columns=list(table.unknown),
        rows=len(results),
        created=counts[RowOutcome.created],
        updated=counts[RowOutcome.updated],
        unchanged=counts[RowOutcome.unchanged],
        refused=counts[RowOutcome.refused],
        skipped=counts[RowOutcome.skipped],
    )
    if applied:
        summary.import_id = await batches.record(
            session, principal, summary, file_name, results.student_ids
        )
    report = Imported(summary, results, table)
    if not dry_run and not applied:
        raise ImportRefused(report)
    return report


def report_notes(results: Results) -> dict[int, str]:
    """Each refused row's problems as one line, for the annotated copy of the file."""
    return {
        r.row: "; ".join(f"{e.column}: {e.message}" if e.column else e.message for e in r.errors)
        for r in results.refused
    }
