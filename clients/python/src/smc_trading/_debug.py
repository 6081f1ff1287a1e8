"""Debug logging of requests and responses, with secrets redacted."""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Mapping

__all__ = ["LOGGER_NAME", "enable_debug", "redact_headers", "redact_url", "redact_body"]

LOGGER_NAME = "smc_trading"
REDACTED = "***"
_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "set-cookie"})
_SECRET_KEYS = frozenset({"token", "refresh_token", "api_key", "apikey", "password", "secret", "access_token", "jwt"})
_TOKEN_IN_QUERY = re.compile(r"([?&](?:token|api_key|access_token)=)[^&#]*", re.IGNORECASE)
_MAX_BODY = 2000


def enable_debug(logger: logging.Logger) -> None:
    """Log at DEBUG; print to stderr unless logging is already configured (``logging.basicConfig``)."""
    logger.setLevel(logging.DEBUG)
    if not logger.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with credentials replaced: ``Authorization: Bearer ***``, ``X-API-Key: ***``."""
    out: dict[str, str] = {}
    for k, v in headers.items():
        if k.lower() in _SECRET_HEADERS:
            scheme = v.split(" ", 1)[0] if " " in v else ""
            out[k] = f"{scheme} {REDACTED}".strip()
        else:
            out[k] = v
    return out


def redact_url(url: str) -> str:
    """A URL with ``token=`` (and similar) query values replaced."""
    return _TOKEN_IN_QUERY.sub(lambda m: m.group(1) + REDACTED, url)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if k.lower() in _SECRET_KEYS and v is not None else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def redact_body(body: Any) -> str:
    """A JSON body (or text) for the log: secret fields replaced, cut at 2000 characters."""
    if body is None:
        return "-"
    if isinstance(body, (bytes, bytearray)):
        try:
            body = json.loads(body)
        except ValueError:
            body = body.decode("utf-8", "replace")
    text = json.dumps(_scrub(body), separators=(",", ":")) if not isinstance(body, str) else body
    return text if len(text) <= _MAX_BODY else f"{text[:_MAX_BODY]}… ({len(text)} chars)"
