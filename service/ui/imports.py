"""The workspace's import: choose what the file holds, upload it, see every row's result
(nothing is saved yet), then import the chosen rows at once. The uploaded file is kept
between the two steps (``ImportUpload``), so the confirmation applies exactly the file that
was shown, without sending it again."""

from contextlib import suppress
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from service.auth.principal import Principal
from service.imports import uploads
from service.imports.columns import LAYOUTS, ImportKind
from service.imports.results import Results, chosen_rows
from service.imports.schemas import RowOutcome
from service.imports.service import ImportRefused, run_import
from service.imports.templates import hints, kind_title, template_file
from service.kit.errors import Forbidden, InvalidInput, ProblemError
from service.kit.fields import MAX_ID, IdPath
from service.kit.i18n import LOCALES, _
from service.kit.unit_of_work import UnitOfWorkDep
from service.ui.session import PREFIX, StaffPage, page_router
from service.ui.templating import render

router = page_router()
SHOWN_ROWS = 500
"""Rows listed in the preview table; refused rows are always listed first."""


def _editor(principal: Principal) -> Principal:
    if not principal.is_editor:
        raise Forbidden(_("Imports are made by career centres."))
    return principal


def _context(kind: ImportKind, **more: Any) -> dict[str, Any]:
    return {
        "kinds": [(k, kind_title(k)) for k in ImportKind],
        "hints": {k: hints(k) for k in ImportKind},
        "kind": kind,
        "layout": LAYOUTS[kind],
        "template_locales": LOCALES,
        # What the page shows once there is something to show (the templates are strict).
        "done": None,
        "import_id": None,
        "report": None,
        "file_error": None,
        "refused_commit": False,
        "sheet": "",
        "file_name": "",
        **more,
    }


def _table(results: Results) -> dict[str, Any]:
    """The rows to list: every refused row, then the others up to ``SHOWN_ROWS``; the rows not
    listed that passed are chosen as ranges."""
    refused = results.refused
    room = max(SHOWN_ROWS - len(refused), 0)
    shown = results.passed[:room]
    # Rows left out of a refused commit are listed unticked, and never chosen unseen.
    unlisted = [r for r in results.passed[room:] if r.outcome != RowOutcome.skipped]
    listed_beyond = ",".join(str(r.row) for r in unlisted)
    rest = ",".join(t for t in (listed_beyond, results.more_passed_text()) if t)
    return {
        "shown": refused[:SHOWN_ROWS] + shown,
        "rest": rest,
        "rest_count": len(unlisted) + results.more_passed_count(),
        "passed": len(shown) + len(unlisted) + results.more_passed_count(),
    }


@router.get("/imports")
async def imports_page(
    request: Request, principal: StaffPage, kind: ImportKind = ImportKind.graduates
) -> Response:
    _editor(principal)
    return render(request, "imports.html", _context(kind))


@router.get("/imports/templates/{kind}")
async def template(principal: StaffPage, kind: ImportKind, lang: str = "en") -> Response:
    _editor(principal)
    content, media_type, name = template_file(kind, lang if lang in LOCALES else "en", "xlsx")
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/imports")
async def preview(
    request: Request,
    uow: UnitOfWorkDep,
    principal: StaffPage,
    file: Annotated[UploadFile, Form()],
    kind: Annotated[ImportKind, Form()],
    sheet: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    _editor(principal)
    data = await file.read()
    sheet = (sheet or "").strip() or None
    context = _context(kind, sheet=sheet or "", file_name=file.filename or "")
    try:
        report = await run_import(uow, principal, kind, data, sheet=sheet, dry_run=True)
    except ProblemError as exc:
        await uow.discard()
        return _page(
            request,
            {**context, "file_error": exc.errors[0].message if exc.errors else exc.detail},
            422,
        )
    # The preview was rolled back; the file itself is kept for the confirmation.
    upload_id = await uploads.keep(
        uow.session,
        principal,
        kind.value,
        file.filename or "",
        sheet,
        report.summary.file_sha256,
        data,
    )
    return _page(
        request,
        {**context, "report": report.summary, "upload_id": upload_id, **_table(report.results)},
    )


def _page(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    # htmx asks for the report alone; without it the whole page comes.
    partial = request.headers.get("HX-Request") == "true"
    return render(
        request, "_import_report.html" if partial else "imports.html", context, status_code
    )


def _row_number(text: str) -> bool:
    # ASCII digits alone: "²" is a digit to str.isdigit, and int() of it fails.
    return text.isascii() and text.isdigit() and len(text) <= 7


@router.post("/imports/{upload_id}/commit")
async def commit(
    request: Request, uow: UnitOfWorkDep, principal: StaffPage, upload_id: IdPath
) -> Response:
    _editor(principal)
    upload = await uploads.kept(uow.session, principal, upload_id)
    form = await request.form()
    chosen = {int(v) for v in form.getlist("row") if isinstance(v, str) and _row_number(v)}
    rest = form.get("rest")
    if isinstance(rest, str):
        with suppress(InvalidInput):  # not ranges: the page was not ours; the ticks stand
            chosen |= chosen_rows(rest) or set()
    kind = ImportKind(upload.kind)
    context = _context(kind, sheet=upload.sheet or "", file_name=upload.file_name)
    if not chosen:
        return _page(
            request, {**context, "file_error": _("Choose at least one row to import.")}, 422
        )
    content, sheet, digest = upload.content, upload.sheet, upload.sha256
    try:
        report = await run_import(
            uow,
            principal,
            kind,
            content,
            sheet=sheet,
            dry_run=False,
            chosen=chosen,
            expect_sha256=digest,
            file_name=upload.file_name,
        )
    except ImportRefused as exc:
        return _page(
            request,
            {
                **context,
                "report": exc.report.summary,
                "upload_id": upload_id,
                "refused_commit": True,
                **_table(exc.report.results),
            },
            422,
        )
    await uploads.forget(uow.session, upload_id)
    done = report.summary
    counts = {"created": done.created, "updated": done.updated, "unchanged": done.unchanged}
    found = counts | {"kind": kind.value, "import_id": done.import_id}
    target = f"{PREFIX}/imports/done?{urlencode(found)}"
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/imports/done")
async def done(
    request: Request,
    principal: StaffPage,
    kind: ImportKind = ImportKind.graduates,
    created: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    import_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    _editor(principal)
    counts = {"created": created, "updated": updated, "unchanged": unchanged}
    return render(request, "imports.html", _context(kind, done=counts, import_id=import_id))
