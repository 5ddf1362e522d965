"""Why a pull ends, each with its own exit code and one line that says it plainly, in the
server's words (its problem `detail`) when it gave any."""

import json
from enum import IntEnum

import httpx


class Exit(IntEnum):
    ok = 0
    failed = 1  # the mirror file cannot be used (not a mirror, not writable)
    usage = 2  # a wrong option (the command line's own code)
    token_refused = 3  # 401: a wrong, expired or revoked token
    not_allowed = 4  # 403: the token's account or scopes may not pull
    not_the_service = 5  # 404 or an answer that is not the service's: a wrong URL
    unreachable = 6  # no connection: a wrong host or port, or the server is down
    server_failed = 7  # the server kept failing (5xx) or refused a request otherwise
    interrupted = 130  # Ctrl-C: the mirror keeps what was complete


class PullError(Exception):
    def __init__(self, message: str, code: Exit) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def problem_detail(response: httpx.Response) -> str | None:
    """The RFC 9457 problem's detail (or title), when the answer is one."""
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    said = body.get("detail") or body.get("title")
    return str(said) if said else None


def from_response(response: httpx.Response) -> PullError:
    """A refusal, said plainly."""
    status = response.status_code
    detail = problem_detail(response)
    where = f"{response.request.method} {response.request.url}"
    if status == 401:
        return PullError(
            f"the server refused the token: {detail or 'not valid'}", Exit.token_refused
        )
    if status == 403:
        return PullError(
            f"the token may not pull: {detail or 'forbidden'} (it needs a Financial Center "
            "or administrator account and the monitoring scope)",
            Exit.not_allowed,
        )
    if status == 404 or (status < 500 and detail is None):
        return PullError(
            f"{response.request.url.copy_with(path='/', query=None)} does not look like a "
            f"Serpin Tracker server ({where} answered {status}): check --url",
            Exit.not_the_service,
        )
    return PullError(
        f"the server answered {status} to {where}: {detail or response.reason_phrase}",
        Exit.server_failed,
    )


def from_transport(error: httpx.TransportError, url: str) -> PullError:
    kind = type(error).__name__
    reason = str(error) or kind
    return PullError(f"cannot reach {url}: {reason} ({kind})", Exit.unreachable)
