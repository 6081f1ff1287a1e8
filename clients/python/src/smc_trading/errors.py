"""Errors raised by the SDK: one typed error per failed API call, one per stream failure."""

from __future__ import annotations

from typing import Any, Mapping

__all__ = ["SMCApiError", "SMCStreamError"]


class SMCApiError(Exception):
    """An API error: the HTTP status plus the error envelope's stable code, message, details and request id.

    Network failures and timeouts are ``SMCApiError``\\ s too, with ``status`` 0 and ``code``
    ``NETWORK_ERROR`` or ``TIMEOUT``; an answer outside the envelope (e.g. from a proxy) has code
    ``UNEXPECTED_RESPONSE``.

    Example::

        try:
            client.execute_trade(symbol="BTCUSDT", side="buy", type="market", quantity=100)
        except SMCApiError as e:
            if e.code == "INSUFFICIENT_BALANCE":
                print(e.details)
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.request_id = request_id

    def __str__(self) -> str:
        rid = f", request_id={self.request_id}" if self.request_id else ""
        return f"{self.code} ({self.status}): {self.message}{rid}"

    def __repr__(self) -> str:
        return f"SMCApiError(status={self.status!r}, code={self.code!r}, message={self.message!r}, request_id={self.request_id!r})"

    @classmethod
    def from_response(cls, status: int, reason: str, headers: Mapping[str, str], body: Any) -> SMCApiError:
        """Build from a response: the envelope's fields when the body is one."""
        request_id = headers.get("x-request-id")
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict) and isinstance(err.get("code"), str):
            details = err.get("details")
            return cls(
                status,
                err["code"],
                str(err.get("message") or reason),
                details if isinstance(details, dict) else {},
                err.get("request_id") or request_id,
            )
        return cls(status, "UNEXPECTED_RESPONSE", reason or f"HTTP {status}", {}, request_id)


class SMCStreamError(Exception):
    """A stream failure: a server ``error`` frame (its code, message, details) or a client-side one.

    Client-side codes: ``CONNECTION_LOST``, ``PROTOCOL_ERROR``, ``STREAM_CLOSED``, ``TIMEOUT``.
    """

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None, request_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.request_id = request_id

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
