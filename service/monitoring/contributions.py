"""Importing pension-contribution months: each creates or extends an employment with that
evidence. Idempotent (a month already recorded changes nothing); every row is checked on its
own, so the good rows of a batch are never lost because of the bad ones."""

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, ValidationError, WithJsonSchema
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import EvidenceKind, SettlementKind
from service.kit.errors import FieldError
from service.kit.fields import EARLIEST_DAY, example
from service.kit.unit_of_work import UnitOfWork
from service.models.employment import Employment
from service.models.monitoring import ContributionMonth
from service.models.organisations import Employer
from service.models.students import Student
from service.obligations.ledger import month_end
from service.organisations.schemas import EmployerCreate
from service.reference.identifiers import IdentifierError, parse_iin, validate_bin

Short = Annotated[str, StringConstraints(max_length=300)]
MAX_ROWS = 10_000


class ContributionRow(BaseModel):
    """One month of contributions. Rows are checked one by one: a bad row refuses only
    itself, the good ones are kept."""

    iin: Short
    employer_bin: Short
    month: Short = Field(description="YYYY-MM")
    employer_name: Short | None = Field(default=None, description="To register a new employer.")
    employer_region_code: Short | None = None
    employer_settlement: Short | None = None
    employer_rural: bool | None = None


class ContributionBatch(BaseModel):
    model_config = example(
        {
            "batch_id": "enpf-2026-09",
            "rows": [
                {
                    "iin": "020314600010",
                    "employer_bin": "080440000038",
                    "month": "2026-09",
                    "employer_name": "Petropavl school-gymnasium No. 1",
                    "employer_region_code": "KZ-59",
                    "employer_settlement": "Petropavl",
                    "employer_rural": False,
                }
            ],
        }
    )

    batch_id: Annotated[str, StringConstraints(max_length=100)] | None = None
    # Rows arrive as they are and are validated each on its own (``ContributionRow``).
    rows: list[Annotated[dict[str, Any], WithJsonSchema(ContributionRow.model_json_schema())]] = (
        Field(min_length=1, max_length=MAX_ROWS)
    )


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


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str, today: date) -> date:
    """The first day of a ``YYYY-MM`` month from 2000 to this one (``19-1`` is no month)."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("not YYYY-MM")
    first = date(int(match.group(1)), int(match.group(2)), 1)
    if not EARLIEST_DAY <= first <= today:
        raise ValueError("out of range")
    return first


class _Rows:
    """The rows of a batch, each validated on its own, with the errors of those refused."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def fail(self, i: int, field: str, code: str, message: str) -> None:
        where = f"body.rows.{i}.{field}" if field else f"body.rows.{i}"
        self.errors.append(RowError(row=i, field=where, code=code, message=message))

    def parse(
        self, i: int, raw: dict[str, Any], today: date
    ) -> tuple[ContributionRow, date] | None:
        try:
            row = ContributionRow.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                self.fail(i, field, err["type"], str(err["msg"]))
            return None
        for field, check in (("iin", parse_iin), ("employer_bin", validate_bin)):
            try:
                check(getattr(row, field))
            except IdentifierError as exc:
                self.fail(i, field, exc.code, str(exc))
                return None
        try:
            return row, parse_month(row.month, today)
        except ValueError:
            self.fail(i, "month", "month_invalid", "Expected a month as YYYY-MM, from 2000 to now.")
            return None

    def new_employer(self, i: int, row: ContributionRow, regions: set[str]) -> Employer | None:
        """An employer the import registers, valid as one registered through the API (so it
        can be corrected later like any other)."""
        if not row.employer_name or row.employer_region_code not in regions:
            self.fail(
                i,
                "employer_bin",
                "unknown_employer",
                "The employer is not registered: "
                "send employer_name and employer_region_code to register it.",
            )
            return None
        rural = SettlementKind.rural if row.employer_rural else SettlementKind.urban
        try:
            data = EmployerCreate.model_validate(
                {
                    "name": row.employer_name,
                    "bin": row.employer_bin,
                    "region_code": row.employer_region_code,
                    "settlement": row.employer_settlement or row.employer_name,
                    "settlement_kind": rural,
                }
            )
        except ValidationError as exc:
            for err in exc.errors():
                self.fail(i, f"employer_{err['loc'][0]}", err["type"], str(err["msg"]))
            return None
        return Employer.model_validate(data)


async def import_batch(
    uow: UnitOfWork,
    batch: ContributionBatch,
    regions: set[str],
    today: date,
    importer: Principal,
) -> ImportReport:
    session = uow.session
    rows = _Rows()
    parsed = [
        (i, *found) for i, raw in enumerate(batch.rows) if (found := rows.parse(i, raw, today))
    ]
    students = {
        s.iin: s
        for s in (
            await session.exec(
                select(Student).where(col(Student.iin).in_({r.iin for _, r, _ in parsed}))
            )
        ).all()
    }
    # Every student the batch touches is locked at once, in id order, before any write.
    await uow.lock_students(s.id for s in students.values() if s.id is not None)
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
            rows.fail(i, "iin", "unknown_student", "No grant student has this IIN.")
            continue
        if month < student.birth_date.replace(day=1):
            rows.fail(i, "month", "date_order", "The month is before the graduate was born.")
            continue
        employer = employers.get(row.employer_bin)
        if employer is None:
            employer = rows.new_employer(i, row, regions)
            if employer is None:
                continue
            employer.registered_by_user_id = importer.user_id
            session.add(employer)
            await session.flush()
            employers[row.employer_bin] = employer
            created_employers += 1
        assert student.id is not None
        assert employer.id is not None
        wanted[(student.id, employer.id)].setdefault(month, i)
    report = await _apply(session, wanted, employers, batch.batch_id)
    report.received, report.employers_created = len(batch.rows), created_employers
    report.errors = sorted(rows.errors, key=lambda e: e.row)
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
        await session.exec(
            select(Employment).where(
                col(Employment.student_id).in_(student_ids), col(Employment.voided_at).is_(None)
            )
        )
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
