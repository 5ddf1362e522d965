"""``POST /imports``: a spreadsheet of graduates or of their records, previewed or applied;
``GET /imports/templates/{kind}``: the file to fill in, headed in the reader's language."""

import asyncio
from typing import Annotated

from fastapi import File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from service.auth.dependencies import Editor
from service.imports.columns import ImportKind
from service.imports.files import annotated_copy
from service.imports.results import chosen_rows
from service.imports.schemas import ImportReport
from service.imports.service import report_notes, run_import
from service.imports.templates import template_file
from service.kit.errors import InvalidInput, problem_responses
from service.kit.i18n import LOCALES, _, current_locale
from service.kit.routing import Router
from service.kit.unit_of_work import UnitOfWorkDep

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = Router(prefix="/imports", tags=["imports"], responses=problem_responses(401, 403))


@router.post(
    "",
    response_model=ImportReport,
    summary="Import a spreadsheet (preview with dry_run, then commit)",
    responses={
        **problem_responses(409, 413),
        200: {"content": {XLSX: {}}, "description": "The report (JSON, or the file annotated)."},
    },
)
async def import_file(
    uow: UnitOfWorkDep,
    principal: Editor,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1251) or XLSX.")],
    kind: Annotated[ImportKind, Form()],
    dry_run: Annotated[
        bool, Form(description="Preview: try every row, keep nothing (the default).")
    ] = True,
    sheet: Annotated[
        str | None, Form(max_length=100, description="XLSX: the sheet (default: the first).")
    ] = None,
    rows: Annotated[
        str | None,
        Form(
            max_length=200_000,
            description="Commit only these rows, as numbered in the report: `2-40, 45`.",
        ),
    ] = None,
    expect_sha256: Annotated[
        str | None,
        Form(
            pattern=r"^[0-9a-fA-F]{64}$",
            description="The previewed file's `file_sha256`: refused (409) if it is another.",
        ),
    ] = None,
    report: Annotated[
        str,
        Query(
            pattern="^(json|xlsx)$",
            description="`xlsx`: the file itself with an added column of each row's errors "
            "(a preview only).",
        ),
    ] = "json",
) -> Response:
    if report == "xlsx" and not dry_run:
        raise InvalidInput.field(
            "query.report", _("The annotated file comes with a preview."), "xlsx_needs_dry_run"
        )
    data = await file.read()
    result = await run_import(
        uow,
        principal,
        kind,
        data,
        sheet=sheet,
        dry_run=dry_run,
        chosen=chosen_rows(rows),
        expect_sha256=expect_sha256,
        file_name=file.filename or "",
    )
    if report == "xlsx":
        notes, header = report_notes(result.results), _("Errors")
        content = await asyncio.to_thread(annotated_copy, data, result.table, notes, header)
        return Response(
            content,
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="import-report.xlsx"'},
        )
    # A report holds a result per row: written out a chunk of rows at a time, as pydantic
    # serialised each chunk, never as 100,000 objects or one document in memory.
    return StreamingResponse(result.json(), media_type="application/json")


@router.get(
    "/templates/{kind}",
    summary="A spreadsheet to fill in for an import",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
)
async def import_template(
    _principal: Editor,
    kind: ImportKind,
    lang: Annotated[
        str | None, Query(pattern="^(kk|ru|en)$", description="Default: the reader's.")
    ] = None,
    format: Annotated[str, Query(pattern="^(xlsx|csv)$")] = "xlsx",
) -> Response:
    locale = lang if lang in LOCALES else current_locale.get()
    content, media_type, name = template_file(kind, locale, format)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
