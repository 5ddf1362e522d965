"""Importing pension-contribution months: each creates or extends an employment with that
evidence. Idempotent (a month already recorded changes nothing); every row is checked on its
own, so the good rows of a batch are never lost because of the bad ones."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import EvidenceKind, SettlementKind
from service.kit.errors import FieldError
from service.models.employment import Employment
from service.models.monitoring import ContributionMonth
from service.models.organisations import Employer
from service.models.students import Student
from service.obligations.ledger import month_end
from service.reference.identifiers import IdentifierError, parse_iin, validate_bin

Short = Annotated[str, StringConstraints(max_length=300)]
MAX_ROWS = 10_000
SETTLEMENT_LENGTH = 120


class ContributionRow(BaseModel):
    """Fields arrive as text and are checked row by row: one bad row refuses only itself."""

    iin: Short
    employer_bin: Short
    month: Short = Field(description="YYYY-MM")
    employer_name: Short | None = Field(default=None, description="To register a new employer.")
    employer_region_code: Short | None = None
    employer_settlement: Short | None = None
    employer_rural: bool | None = None


class ContributionBatch(BaseModel):
    batch_id: Annotated[str, StringConstraints(max_length=100)] | None = None
    rows: list[ContributionRow] = Field(min_length=1, max_length=MAX_ROWS)


class RowError(FieldError):
    row: int = Field(description="0-based index in `rows`.")


class ImportReport(BaseModel):
    received: int
    applied: int = Field(description="New months recorded.")
    already_recorded: int
    employments_created: int
    employments_extended: int
    employers_created: int
    errors: list[RowError]


def _month(text: str, today: date) -> date:
    year, month = text.split("-")
    first = date(int(year), int(month), 1)
    if first > today:
        raise ValueError("in the future")
    return first


async def import_batch(
    session: AsyncSession, batch: ContributionBatch, regions: set[str], today: date
) -> ImportReport:
    errors: list[RowError] = []

    def fail(i: int, field: str, code: str, message: str) -> None:
        errors.append(RowError(row=i, field=f"body.rows.{i}.{field}", code=code, message=message))

    parsed: list[tuple[int, ContributionRow, date]] = []
    for i, row in enumerate(batch.rows):
        try:
            parse_iin(row.iin)
        except IdentifierError as exc:
            fail(i, "iin", exc.code, str(exc))
            continue
        try:
            validate_bin(row.employer_bin)
        except IdentifierError as exc:
            fail(i, "employer_bin", exc.code, str(exc))
            continue
        try:
            parsed.append((i, row, _month(row.month, today)))
        except ValueError:
            fail(i, "month", "month_invalid", "Expected a past or current month as YYYY-MM.")
    students = {
        s.iin: s
        for s in (
            await session.exec(
                select(Student).where(col(Student.iin).in_({r.iin for _, r, _ in parsed}))
            )
        ).all()
    }
    employers = {
        e.bin: e
        for e in (
            await session.exec(
                select(Employer).where(
                    col(Employer.bin).in_({r.employer_bin for _, r, _ in parsed})
                )
            )
        ).all()
    }
    created_employers = 0
    wanted: dict[tuple[int, int], dict[date, int]] = defaultdict(dict)
    for i, row, month in parsed:
        student = students.get(row.iin)
        if student is None:
            fail(i, "iin", "unknown_student", "No grant student has this IIN.")
            continue
        employer = employers.get(row.employer_bin)
        if employer is None:
            if not row.employer_name or row.employer_region_code not in regions:
                fail(
                    i,
                    "employer_bin",
                    "unknown_employer",
                    "The employer is not registered: "
                    "send employer_name and employer_region_code to register it.",
                )
                continue
            if len(row.employer_settlement or row.employer_name) > SETTLEMENT_LENGTH:
                fail(
                    i,
                    "employer_settlement",
                    "too_long",
                    f"A settlement has at most {SETTLEMENT_LENGTH} characters.",
                )
                continue
            employer = Employer(
                name=row.employer_name,
                bin=row.employer_bin,
                region_code=row.employer_region_code or "",
                settlement=row.employer_settlement or row.employer_name,
                settlement_kind=SettlementKind.rural
                if row.employer_rural
                else SettlementKind.urban,
            )
            session.add(employer)
            await session.flush()
            employers[row.employer_bin] = employer
            created_employers += 1
        assert student.id is not None
        assert employer.id is not None
        wanted[(student.id, employer.id)].setdefault(month, i)
    report = await _apply(session, wanted, employers, batch.batch_id)
    report.received, report.employers_created = len(batch.rows), created_employers
    report.errors = sorted(errors, key=lambda e: e.row)
    return report


async def _apply(
    session: AsyncSession,
    wanted: dict[tuple[int, int], dict[date, int]],
    employers: dict[str, Employer],
    batch_id: str | None,
) -> ImportReport:
    report = ImportReport(
        received=0,
        applied=0,
        already_recorded=0,
        employments_created=0,
        employments_extended=0,
        employers_created=0,
        errors=[],
    )
    if not wanted:
        return report
    student_ids = {s for s, _ in wanted}
    known = {
        (c.student_id, c.employer_id, c.month)
        for c in (
            await session.exec(
                select(ContributionMonth).where(col(ContributionMonth.student_id).in_(student_ids))
            )
        ).all()
    }
    jobs: dict[tuple[int, int], list[Employment]] = defaultdict(list)
    for job in (
        await session.exec(select(Employment).where(col(Employment.student_id).in_(student_ids)))
    ).all():
        jobs[(job.student_id, job.employer_id)].append(job)
    by_id: dict[int, Employer] = {e.id: e for e in employers.values() if e.id is not None}
    for (student_id, employer_id), months in sorted(wanted.items()):
        for month in sorted(months):
            if (student_id, employer_id, month) in known:
                report.already_recorded += 1
                continue
            fitted, change = _fit(jobs[(student_id, employer_id)], month)
            if fitted is None:
                employer = by_id[employer_id]
                job = Employment(
                    student_id=student_id,
                    employer_id=employer_id,
                    region_code=employer.region_code,
                    settlement=employer.settlement,
                    settlement_kind=employer.settlement_kind,
                    start_date=month,
                    end_date=month_end(month),
                    full_time=True,
                    evidence_kind=EvidenceKind.pension_contributions,
                    verified=True,
                )
                jobs[(student_id, employer_id)].append(job)
                report.employments_created += 1
            else:
                job = fitted
                report.employments_extended += change
            session.add(job)
            await session.flush()
            assert job.id is not None
            session.add(
                ContributionMonth(
                    student_id=student_id,
                    employer_id=employer_id,
                    month=month,
                    employment_id=job.id,
                    batch_id=batch_id,
                )
            )
            report.applied += 1
    await session.flush()
    return report


def _fit(jobs: list[Employment], month: date) -> tuple[Employment | None, bool]:
    """The employment this month belongs to, and whether it had to change (None: a new one).

    A job reported otherwise (a contract, a self-report) that covers the month is left as it
    is: the contribution is recorded beside it, without vouching for its other months. Only
    jobs that rest on contributions themselves grow to take in a neighbouring month.
    """
    last = month_end(month)
    for job in jobs:
        if job.start_date <= month and (job.end_date is None or job.end_date >= last):
            return job, False
    for job in jobs:
        if job.evidence_kind != EvidenceKind.pension_contributions:
            continue
        end: Any = job.end_date
        if job.start_date <= last + timedelta(days=1) and (
            end is None or end >= month - timedelta(days=1)
        ):
            if job.start_date > month:
                job.start_date = month
            if end is not None and end < last:
                job.end_date = last
            job.version += 1  # an ETag read before the import must not overwrite it
            return job, True
    return None, False
