"""The service's app with one more route for bench/caseload.py's ceiling: the same bytes as a
caseload page, through the same middleware, with no database and no template.

    uvicorn bench.caseload_app:app   (BENCH_PAYLOAD names the file of bytes to serve)

The file is read on the first request (the benchmark writes it after fetching a real page)
and kept; it is never part of the service itself.
"""

import os

import anyio
from fastapi import Response

from service.main import app

_payload: list[bytes] = []


@app.get("/bench/same-bytes", include_in_schema=False)
async def same_bytes() -> Response:
    if not _payload:
        _payload.append(await anyio.Path(os.environ["BENCH_PAYLOAD"]).read_bytes())
    return Response(_payload[0], media_type="text/html; charset=utf-8")


__all__ = ["app"]
