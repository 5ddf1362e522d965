"""The interactive API documentation, Swagger UI at ``/docs`` and ReDoc at ``/redoc``, served
with the application's own copies of their scripts (``static/``, see its README): a closed
government network reaches no CDN and no Google Fonts.

Each page allows only what the service itself serves (``'self'``). The one inline script of
Swagger UI's page (its start-up call) is allowed by its hash rather than by allowing inline
scripts; inline styles are allowed, as both libraries set styles from their scripts.
"""

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PATH = "/docs/static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def content_security_policy(html: str) -> str:
    """Only the service's own origin, and the page's inline scripts by their hashes."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            # Swagger UI's stylesheet draws its icons as data: images; ReDoc runs its search
            # in a worker made from a blob of its own script.
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _page(page: HTMLResponse) -> HTMLResponse:
    html = bytes(page.body).decode()
    return HTMLResponse(html, headers={"Content-Security-Policy": content_security_policy(html)})


def install_api_docs(app: FastAPI, openapi_url: str, title: str) -> None:
    """``/docs`` and ``/redoc`` for the document at ``openapi_url``, from local files."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="api-docs-static")

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{title} - API",
                swagger_js_url=f"{root}{STATIC_PATH}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{STATIC_PATH}/swagger-ui.css",
                swagger_favicon_url=f"{root}{STATIC_PATH}/favicon-32x32.png",
                # The password flow needs no redirect page; the online validator is a
                # third-party site.
                oauth2_redirect_url=None,
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{title} - API",
                redoc_js_url=f"{root}{STATIC_PATH}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{STATIC_PATH}/favicon-32x32.png",
                with_google_fonts=False,
            )
        )

    app.add_api_route("/docs", swagger_ui, methods=["GET"], include_in_schema=False)
    app.add_api_route("/redoc", redoc, methods=["GET"], include_in_schema=False)
