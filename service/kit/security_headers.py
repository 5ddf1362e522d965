"""Headers every response carries, so a browser treats the service's answers as data that may
not be framed, sniffed, cached or leaked through a referrer."""

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Frames are refused everywhere; pages that need more (scripts of their own) set their own.
_DEFAULT_CSP = b"frame-ancestors 'none'"
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeadersMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        no_store_prefixes: tuple[str, ...] = ("/api/",),
        always_https: Callable[[], bool] = lambda: False,
    ) -> None:
        """``always_https``: whether the service is reached over HTTPS (its public address
        says so), whatever the scheme a proxy passes on: every answer then tells browsers to
        keep to it."""
        self.app = app
        self.no_store_prefixes = no_store_prefixes
        self.always_https = always_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        personal = scope.get("path", "").startswith(self.no_store_prefixes)
        secure = scope.get("scheme") == "https" or self.always_https()

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _ALWAYS if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", _DEFAULT_CSP))
                if personal:
                    # Personal data is never kept by browsers or shared caches.
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                if secure:
                    headers.append(_HSTS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)
