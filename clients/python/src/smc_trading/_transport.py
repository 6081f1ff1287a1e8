"""One HTTP exchange over the standard library (``urllib.request``): no third-party dependency.

``urllib`` opens a connection per request (no keep-alive pool); that keeps the SDK dependency-free,
and the server's latency, not connection setup, dominates a trading bot's calls.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

__all__ = ["RawResponse", "TransportError", "send"]


@dataclass
class RawResponse:
    status: int
    reason: str
    #: Header names in lower case.
    headers: dict[str, str]
    body: bytes


class TransportError(Exception):
    """No answer: the connection failed (``timeout`` False) or the attempt timed out."""

    def __init__(self, message: str, timeout: bool) -> None:
        super().__init__(message)
        self.timeout = timeout


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # The API never redirects; following one would resend the Authorization header elsewhere.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect())


def send(method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: float) -> RawResponse:
    """Send one request; error statuses are answers too (returned, not raised)."""
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _opener.open(req, timeout=timeout) as res:
            return RawResponse(res.status, res.reason or "", {k.lower(): v for k, v in res.headers.items()}, res.read())
    except urllib.error.HTTPError as e:
        with e:
            data = e.read()
        return RawResponse(e.code, str(e.reason or ""), {k.lower(): v for k, v in (e.headers or {}).items()}, data)
    except urllib.error.URLError as e:
        reason = e.reason
        raise TransportError(str(reason), isinstance(reason, (socket.timeout, TimeoutError))) from e
    except (socket.timeout, TimeoutError) as e:
        raise TransportError(f"timed out after {timeout} s", True) from e
    except (OSError, HTTPException) as e:
        raise TransportError(f"{type(e).__name__}: {e}", False) from e
