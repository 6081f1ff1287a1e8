"""What the tests share: the server under test (from the environment the runner sets) and clients."""

from __future__ import annotations

import importlib.util
import os
import time
import unittest
import urllib.request
import uuid
from typing import Any, Callable

from smc_trading import SMCClient

BASE_URL = os.environ.get("SMC_BASE_URL", "")
WS_URL = os.environ.get("SMC_WS_URL") or None
PROXY_URL = os.environ.get("SMC_PROXY_URL", "")
TOKEN = os.environ.get("SMC_TOKEN", "")
ADMIN_TOKEN = os.environ.get("SMC_ADMIN_TOKEN", "")
API_KEY = os.environ.get("SMC_API_KEY", "")

#: Skips a test class when no server was given (the suite is normally run by
#: packages/server/src/python-sdk/python-sdk.test.ts, which starts one).
needs_server = unittest.skipUnless(BASE_URL and TOKEN, "no server: SMC_BASE_URL and SMC_TOKEN are not set")


def have(module: str) -> bool:
    """Whether ``module`` is installed (found, not imported: importing setuptools here would disturb distutils)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def client(token: str | None = None, **kw: Any) -> SMCClient:
    return SMCClient(api_token=token or TOKEN, base_url=BASE_URL, ws_url=WS_URL, **kw)


def fresh_user_client(**kw: Any) -> SMCClient:
    """A client of a new user (its own paper account), its token issued by the admin."""
    admin = client(ADMIN_TOKEN)
    pair = admin.generate_token(
        user_id=f"py-{uuid.uuid4().hex[:10]}",
        permissions=["read_trades", "write_trades", "read_market_data", "read_risk_metrics"],
        expires_in=3600,
    )
    return client(pair["token"], **kw)


def proxy(command: str) -> None:
    """Tell the stream proxy to `drop` its connections, `block` new ones or `unblock`."""
    urllib.request.urlopen(urllib.request.Request(f"{PROXY_URL}/{command}", method="POST"), timeout=5).close()


def eventually(check: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(0.05)
