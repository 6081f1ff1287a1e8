"""``SMCClient``: every operation of the contract as a method, over the standard library."""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.parse
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ._debug import LOGGER_NAME, enable_debug, redact_body, redact_headers, redact_url
from ._generated import GeneratedOperations
from ._retry import IDEMPOTENT_METHODS, RETRY_STATUSES, RetryPolicy, retry_after_seconds
from ._transport import RawResponse, TransportError, send
from ._unset import UNSET, Unset
from ._version import __version__
from .errors import SMCApiError

if TYPE_CHECKING:
    from ._generated.types import MarketDataUpdate, PositionUpdate, RiskEvent, TradeUpdate
    from .stream import ReconnectPolicy, StreamClient

__all__ = ["SMCClient", "DEFAULT_BASE_URL"]

#: The development server of seed 000 (``http://localhost:8000/v1``); paths already start with ``/v1``.
DEFAULT_BASE_URL = "http://localhost:8000"


def _origin(base_url: str) -> str:
    """``http://host:8000/v1/`` → ``http://host:8000`` (the seed writes its base URL with ``/v1``)."""
    url = base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def _query_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ",".join(_query_value(x) for x in v)
    return str(v)


class SMCClient(GeneratedOperations):
    """The SMC Trading client: one method per operation of the contract, typed from it.

    Errors raise :class:`~smc_trading.SMCApiError`; idempotent requests (and orders with a
    ``client_order_id``) are retried on 429 (honouring ``Retry-After``), 502, 503, network errors
    and timeouts. ``debug=True`` logs each request and response on the ``smc_trading`` logger with
    tokens and keys redacted.

    Example::

        from smc_trading import SMCClient

        client = SMCClient(api_token="YOUR_API_TOKEN", base_url="http://localhost:8000")
        positions = client.get_positions()
        trade = client.execute_trade(symbol="BTCUSDT", side="buy", quantity=0.1, type="market")
        market_data = client.get_market_data("BTCUSDT")

    Args:
        api_token: The access token, sent as ``Authorization: Bearer …`` (default: the
            ``SMC_API_TOKEN`` environment variable).
        base_url: The server (``http://localhost:8000``, with or without ``/v1``; default: the
            ``SMC_BASE_URL`` environment variable, else ``http://localhost:8000``).
        timeout: Seconds per attempt.
        retry: The retry policy; ``False`` disables retries.
        debug: Log every request and response (secrets redacted) at DEBUG on ``smc_trading``.
        headers: Extra headers on every request.
        ws_url: The stream's URL (default derived from ``base_url``: ``ws://host/v1/ws``).
        logger: The logger to use instead of ``logging.getLogger("smc_trading")``.
    """

    def __init__(
        self,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | bool = True,
        debug: bool = False,
        headers: Mapping[str, str] | None = None,
        ws_url: str | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self._token = api_token if api_token is not None else os.environ.get("SMC_API_TOKEN")
        self.base_url = _origin(base_url or os.environ.get("SMC_BASE_URL") or DEFAULT_BASE_URL)
        self.timeout = timeout
        self.retry = retry if isinstance(retry, RetryPolicy) else RetryPolicy() if retry else RetryPolicy(max_retries=0)
        self.debug = debug
        self.ws_url = ws_url
        self._headers = dict(headers or {})
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        if debug:
            enable_debug(self.logger)
        self._stream: StreamClient | None = None

    # ---- token --------------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        """The access token used from now on."""
        return self._token

    def set_token(self, token: str | None) -> None:
        """Replace the access token (e.g. after ``refresh_token``); the stream uses it on reconnect.

        Example::

            pair = client.refresh_token(refresh_token=old["refresh_token"])
            client.set_token(pair["token"])
        """
        self._token = token

    # ---- transport ----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        template: str,
        *,
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        body: Any,
        body_required: bool,
        ok: tuple[int, ...],
        headers: Mapping[str, str] | None = None,
        api_key: str | None = None,
        text: bool = False,
    ) -> Any:
        url = self.base_url + template
        for name, value in path.items():
            url = url.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        pairs = [(k, _query_value(v)) for k, v in query.items() if not isinstance(v, Unset) and v is not None]
        if pairs:
            url += "?" + urllib.parse.urlencode(pairs)
        payload: Any = UNSET
        if isinstance(body, dict) and not isinstance(body, Unset):
            fields = {k: v for k, v in body.items() if not isinstance(v, Unset)}
            if fields or body_required:
                payload = fields
        elif not isinstance(body, Unset):
            payload = body
        hdrs = {"Accept": "text/plain" if text else "application/json", "User-Agent": f"smc-trading-sdk-python/{__version__}"}
        hdrs.update(self._headers)
        if api_key is not None:
            hdrs["X-API-Key"] = api_key
        elif self._token:
            hdrs["Authorization"] = f"Bearer {self._token}"
        if headers:
            hdrs.update(headers)
        data: bytes | None = None
        if not isinstance(payload, Unset):
            data = json.dumps(payload).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        # A POST is safe to repeat only when the server deduplicates it (an order's client_order_id).
        keyed = isinstance(payload, dict) and bool(payload.get("client_order_id"))
        res = self._send(method, url, hdrs, data, idempotent=method in IDEMPOTENT_METHODS or keyed, logged_body=payload)
        parsed = self._parse(res)
        if res.status not in ok:
            raise SMCApiError.from_response(res.status, res.reason, res.headers, parsed)
        return parsed

    @staticmethod
    def _parse(res: RawResponse) -> Any:
        if not res.body:
            return None
        ctype = res.headers.get("content-type", "")
        text = res.body.decode("utf-8", "replace")
        if "json" in ctype:
            try:
                return json.loads(text)
            except ValueError:
                return text
        return text

    def _send(self, method: str, url: str, headers: dict[str, str], data: bytes | None, *, idempotent: bool, logged_body: Any) -> RawResponse:
        policy = self.retry
        attempt = 0
        while True:
            last = not idempotent or attempt >= policy.max_retries
            started = time.monotonic()
            if self.debug:
                self.logger.debug(
                    "→ %s %s headers=%s body=%s",
                    method,
                    redact_url(url),
                    redact_headers(headers),
                    "-" if isinstance(logged_body, Unset) else redact_body(logged_body),
                )
            try:
                res = send(method, url, headers, data, self.timeout)
            except TransportError as e:
                if self.debug:
                    self.logger.debug("✗ %s %s: %s (attempt %d)", method, redact_url(url), e, attempt + 1)
                if last:
                    code = "TIMEOUT" if e.timeout else "NETWORK_ERROR"
                    message = f"Request timed out after {self.timeout} s" if e.timeout else f"Network error: {e}"
                    raise SMCApiError(0, code, message, {"method": method, "url": redact_url(url), "attempts": attempt + 1}) from e
                time.sleep(policy.backoff(attempt))
                attempt += 1
                continue
            if self.debug:
                self.logger.debug(
                    "← %d %s %s (%.0f ms) request_id=%s body=%s",
                    res.status,
                    method,
                    redact_url(url),
                    (time.monotonic() - started) * 1000,
                    res.headers.get("x-request-id", "-"),
                    redact_body(res.body if res.body else None),
                )
            if last or res.status not in RETRY_STATUSES:
                return res
            after = retry_after_seconds(res.headers.get("retry-after"))
            wait = after if after is not None else policy.backoff(attempt)
            if wait > policy.max_retry_after:
                return res
            if self.debug:
                self.logger.debug("↻ retrying %s %s in %.2f s (status %d)", method, redact_url(url), wait, res.status)
            time.sleep(wait)
            attempt += 1

    # ---- the stream (/v1/ws) ------------------------------------------------------------------

    def stream(self, *, reconnect: ReconnectPolicy | bool = True, last_event_id: str | None = None, fresh: bool = False) -> StreamClient:
        """The client's stream (``/v1/ws``), created on first use with this client's URL and token
        (a token set later with ``set_token`` is used on reconnect). Needs the ``websockets`` package.

        Example::

            stream = client.stream()
            stream.subscribe("market_data", "BTCUSDT")
            for frame in stream.messages(types=["market_data_update"]):
                print(frame["data"]["price"])
        """
        from .stream import StreamClient  # the optional part: imports websockets only when used

        def make() -> StreamClient:
            return StreamClient(
                url=self.ws_url or self.base_url.replace("http", "ws", 1) + "/v1/ws",
                token=lambda: self._token,
                reconnect=reconnect,
                last_event_id=last_event_id,
                logger=self.logger,
                debug=self.debug,
            )

        if fresh:
            return make()
        if self._stream is None or self._stream.state == "closed":
            self._stream = make()
        return self._stream

    def subscribe_to_trades(self, callback: Callable[[TradeUpdate], Any]) -> Callable[[], None]:
        """Call ``callback`` with each ``trade_update`` of your account (seed 000's usage).

        Subscribes the stream to ``trades`` and connects it in the background (a non-daemon
        thread, so a script that ends here keeps listening, like the JavaScript SDK's
        ``onTradeUpdate`` + ``connect``). Returns the function that removes the callback;
        ``client.close()`` ends the stream.

        Example::

            def on_trade_update(data):
                print(f"Trade update: {data}")

            client.subscribe_to_trades(on_trade_update)
        """
        return self._listen("trade_update", callback, "trades")

    def on_trade_update(self, callback: Callable[[TradeUpdate], Any]) -> Callable[[], None]:
        """The same as :meth:`subscribe_to_trades` (the JavaScript SDK's ``onTradeUpdate``)."""
        return self._listen("trade_update", callback, "trades")

    def on_position_update(self, callback: Callable[[PositionUpdate], Any]) -> Callable[[], None]:
        """Call ``callback`` with each ``position_update`` of your account; subscribes to ``positions``."""
        return self._listen("position_update", callback, "positions")

    def on_market_data_update(self, callback: Callable[[MarketDataUpdate], Any], symbol: str) -> Callable[[], None]:
        """Call ``callback`` with each ``market_data_update`` of ``symbol``; subscribes to ``market_data.{symbol}``."""
        return self._listen("market_data_update", callback, f"market_data.{symbol}")

    def on_risk_event(self, callback: Callable[[RiskEvent], Any]) -> Callable[[], None]:
        """Call ``callback`` with each ``risk_event`` of your account; subscribes to ``risk``."""
        return self._listen("risk_event", callback, "risk")

    def _listen(self, type_: str, callback: Callable[[Any], Any], channel: str) -> Callable[[], None]:
        s = self.stream()
        off = s.on(type_, lambda frame: callback(frame["data"]))
        s.subscribe(channel, wait=False)
        s.start()
        return off

    def connect(self, timeout: float = 10.0) -> None:
        """Connect the stream and wait until it is authenticated and subscribed (seed 000's ``client.connect()``)."""
        self.stream().connect(timeout)

    def close(self) -> None:
        """Close the stream, if any (HTTP needs no closing: ``urllib`` opens a connection per request)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    disconnect = close

    def __enter__(self) -> SMCClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
