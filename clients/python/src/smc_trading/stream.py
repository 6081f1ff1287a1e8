"""The real-time stream (``/v1/ws``, described by ``openapi/smc-trading.ws.yaml``).

A :class:`StreamClient` runs its socket on a background thread (an asyncio loop driving the
``websockets`` package, an optional dependency: ``pip install 'smc-trading-sdk[stream]'``) and calls
your callbacks from that thread. It behaves as the TypeScript SDK's stream client does: frames are
checked (JSON, consecutive ``seq``), a lost connection is replaced with exponential backoff, the
subscriptions are restored in one ``subscribe`` that carries ``last_event_id`` (the id of the last
account event processed), and the server replays the events missed meanwhile (``replayed: true``)
then sends ``resumed`` — or ``resync_required`` when they are no longer in its replay buffer.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import queue
import random as _random
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from ._debug import LOGGER_NAME, redact_url
from .errors import SMCStreamError

__all__ = ["StreamClient", "ReconnectPolicy", "StreamState", "channel_name", "ACCOUNT_EVENT_TYPES"]

StreamState = Literal["idle", "connecting", "open", "reconnecting", "closed"]
#: Account events: numbered per user (``evt_<epoch>_<n>``), replayed after a reconnect.
ACCOUNT_EVENT_TYPES = frozenset({"trade_update", "position_update", "risk_event"})
#: Lifecycle events passed to ``on`` listeners as ``{"type": name, "data": {...}}``.
LIFECYCLE_EVENTS = frozenset({"connected", "disconnected", "reconnecting", "error"})
_NON_RETRYABLE_WITH_FIXED_TOKEN = frozenset({"AUTHENTICATION_FAILED", "TOKEN_EXPIRED"})
#: After an HTTP 429 on the upgrade: the server counts failed authentications per address over a minute.
_REFUSED_DELAY = 60.0


def _websockets() -> Any:
    try:
        import websockets
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The SMC Trading stream needs the 'websockets' package: pip install 'smc-trading-sdk[stream]' "
            "(or pip install websockets; on Debian: apt-get install python3-websockets). "
            "The REST methods work without it."
        ) from e
    return websockets


@dataclass(frozen=True)
class ReconnectPolicy:
    """Reconnection policy: exponential delays with "equal jitter" (half fixed, half random).

    Example::

        stream = client.stream(reconnect=ReconnectPolicy(initial_delay=0.5, max_delay=60, max_attempts=20))
    """

    initial_delay: float = 0.25
    max_delay: float = 30.0
    factor: float = 2.0
    #: Give up after this many consecutive failed attempts (None: never).
    max_attempts: int | None = None
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def delay(self, attempt: int) -> float:
        base = min(self.max_delay, self.initial_delay * self.factor ** min(attempt, 60))
        return base / 2 + self.random() * base / 2


def channel_name(channel: str, symbol: str | None = None) -> str:
    """The server's canonical channel name: ``market_data`` + ``btc/usdt`` → ``market_data.BTCUSDT``."""

    def norm(s: str) -> str:
        return s.replace("/", "").upper()

    if symbol is not None:
        return f"{channel}.{norm(symbol)}"
    dot = channel.find(".")
    if dot > 0 and channel != "system.health":
        return f"{channel[:dot]}.{norm(channel[dot + 1:])}"
    return channel


Listener = Callable[[dict[str, Any]], Any]


class StreamClient:
    """One stream connection, kept alive and resumed across reconnects.

    Listeners get whole frames (``{"seq", "type", "data", "timestamp", "id", "channel"?}``); ``"*"``
    gets every frame. Lifecycle events (``connected``, ``disconnected``, ``reconnecting``,
    ``error``) and the server's ``resumed`` / ``resync_required`` are delivered the same way.

    Example::

        stream = client.stream()
        stream.on("trade_update", lambda f: print(f["data"]["status"]))
        stream.subscribe("trades")
        stream.connect()
        ...
        stream.close()
    """

    def __init__(
        self,
        *,
        url: str,
        token: str | Callable[[], str | None] | None = None,
        reconnect: ReconnectPolicy | bool = True,
        last_event_id: str | None = None,
        logger: logging.Logger | None = None,
        debug: bool = False,
        ping_interval: float = 15.0,
        open_timeout: float = 10.0,
    ) -> None:
        self._ws_mod = _websockets()  # fail early and clearly when websockets is missing
        self.url = url
        self._token = token
        self._reconnect: ReconnectPolicy | None = (
            reconnect if isinstance(reconnect, ReconnectPolicy) else ReconnectPolicy() if reconnect else None
        )
        #: The resume cursor: id of the last account event processed.
        self.cursor: str | None = last_event_id
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        self.debug = debug
        self.ping_interval = ping_interval
        self.open_timeout = open_timeout
        self.state: StreamState = "idle"
        self.user: dict[str, Any] | None = None
        self._desired: dict[str, None] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._queues: list[tuple[queue.Queue[dict[str, Any] | None], frozenset[str] | None]] = []
        self._lock = threading.RLock()
        self._opened = threading.Event()
        self._closed = threading.Event()
        self._final_error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ws: Any = None
        self._seq = 0
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._wake: asyncio.Event | None = None
        self.reconnects = 0

    # ---- listeners ----------------------------------------------------------------------------

    def on(self, type_: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener(frame)`` for each frame of ``type_`` (``"*"``: every frame); returns the remover."""
        with self._lock:
            self._listeners.setdefault(type_, []).append(listener)

        def off() -> None:
            with self._lock:
                if listener in self._listeners.get(type_, []):
                    self._listeners[type_].remove(listener)

        return off

    def messages(self, types: Iterable[str] | None = None, timeout: float | None = None) -> Iterator[dict[str, Any]]:
        """Iterate over frames (of ``types``) as they arrive; ends when the stream closes, or after
        ``timeout`` seconds without a frame."""
        q: queue.Queue[dict[str, Any] | None] = queue.Queue()
        entry = (q, frozenset(types) if types is not None else None)
        with self._lock:
            self._queues.append(entry)
        try:
            while not (self._closed.is_set() and q.empty()):
                try:
                    frame = q.get(timeout=timeout)
                except queue.Empty:
                    return
                if frame is None:
                    return
                yield frame
        finally:
            with self._lock:
                if entry in self._queues:
                    self._queues.remove(entry)

    def _emit(self, frame: dict[str, Any]) -> None:
        with self._lock:
            listeners = [*self._listeners.get(frame["type"], []), *self._listeners.get("*", [])]
            queues = [q for q, types in self._queues if types is None or frame["type"] in types]
        for q in queues:
            q.put(frame)
        for fn in listeners:
            try:
                fn(frame)
            except Exception:  # a failing callback must not kill the stream
                self.logger.exception("smc_trading stream: a %s listener raised", frame["type"])

    def _lifecycle(self, type_: str, **data: Any) -> None:
        if self.debug:
            self.logger.debug("stream %s %s", type_, {k: v for k, v in data.items() if k != "user"})
        self._emit({"type": type_, "data": data})

    # ---- subscriptions ------------------------------------------------------------------------

    @property
    def subscriptions(self) -> list[str]:
        """The channels kept subscribed across reconnects."""
        with self._lock:
            return list(self._desired)

    def subscribe(self, channel: str, symbol: str | None = None, *, wait: bool = True, timeout: float = 10.0) -> list[str]:
        """Subscribe to a channel (kept across reconnects); with ``wait``, once connected, returns
        after the server's acknowledgement. Raises :class:`SMCStreamError` when the server refuses it."""
        name = channel_name(channel, symbol)
        with self._lock:
            self._desired[name] = None
        if wait and self.state == "open":
            ack = self._call({"type": "subscribe", "channel": name}, timeout)
            return list(ack["data"]["channels"])
        return self.subscriptions

    def unsubscribe(self, channel: str, symbol: str | None = None, *, timeout: float = 10.0) -> list[str]:
        """Stop a subscription; returns the channels still subscribed."""
        name = channel_name(channel, symbol)
        with self._lock:
            self._desired.pop(name, None)
        if self.state == "open":
            self._call({"type": "unsubscribe", "channel": name}, timeout)
        return self.subscriptions

    # ---- connection ---------------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background (no wait); a no-op when already started."""
        with self._lock:
            if self._thread is not None or self.state == "closed":
                return
            self.state = "connecting"
            # Not a daemon: a script that only subscribes keeps running, as a listening bot should.
            self._thread = threading.Thread(target=self._thread_main, name="smc-trading-stream", daemon=False)
            self._thread.start()

    def connect(self, timeout: float = 10.0) -> None:
        """Connect and wait until authenticated and subscribed."""
        if self.state == "closed":
            raise SMCStreamError("STREAM_CLOSED", "This stream client was closed; create a new one")
        self.start()
        done = self._opened.wait(timeout)
        if self._final_error is not None and not self._opened.is_set():
            raise self._final_error
        if not done:
            raise SMCStreamError("TIMEOUT", f"The stream did not open within {timeout} s")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the stream closes for good; True if it did within ``timeout``."""
        return self._closed.wait(timeout)

    def close(self) -> None:
        """Close for good (callbacks stop, iterators end)."""
        with self._lock:
            if self.state == "closed" and self._thread is None:
                return
            self.state = "closed"
            loop, thread = self._loop, self._thread
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._interrupt)
            except RuntimeError:
                pass
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)
        with self._lock:
            self._thread = None
        self._end()

    def _end(self) -> None:
        self._closed.set()
        with self._lock:
            queues = [q for q, _ in self._queues]
        for q in queues:
            q.put(None)

    def _interrupt(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if self._ws is not None:
            asyncio.ensure_future(self._ws.close(1000, "client closed"))

    def _call(self, msg: dict[str, Any], timeout: float) -> dict[str, Any]:
        loop = self._loop
        if loop is None or self.state != "open":
            raise SMCStreamError("CONNECTION_LOST", "Not connected")
        fut: Future[dict[str, Any]] = asyncio.run_coroutine_threadsafe(self._request(msg), loop)
        try:
            return fut.result(timeout)
        except TimeoutError as e:
            raise SMCStreamError("TIMEOUT", f"No answer to {msg.get('type')} within {timeout} s") from e

    # ---- the loop (stream thread) -------------------------------------------------------------

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as e:  # pragma: no cover - last resort
            self._final_error = e
            self.logger.exception("smc_trading stream stopped")
        finally:
            with self._lock:
                self.state = "closed"
                self._thread = None if self._thread is threading.current_thread() else self._thread
            self._end()

    def _is_closed(self) -> bool:
        # A method, not an inline comparison: another thread may close while this one awaits.
        return self.state == "closed"

    def _token_now(self) -> str | None:
        return self._token() if callable(self._token) else self._token

    async def _run(self) -> None:
        ws_mod = self._ws_mod
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        attempt = 0
        ever_connected = False
        while not self._is_closed():
            token = self._token_now()
            url = self.url if token is None else f"{self.url}{'&' if '?' in self.url else '?'}token={urllib.parse.quote(token, safe='')}"
            self._seq = 0
            self.user = None
            last_error: SMCStreamError | None = None
            refused = False
            code, reason = 1006, ""
            if self.debug:
                self.logger.debug("stream connecting to %s", redact_url(url))
            try:
                async with ws_mod.connect(
                    url,
                    open_timeout=self.open_timeout,
                    ping_interval=self.ping_interval or None,
                    ping_timeout=(self.ping_interval * 2) or None,
                    max_size=16 * 2**20,
                ) as ws:
                    self._ws = ws
                    try:
                        async for raw in ws:
                            err = await self._receive(ws, raw, ever_connected)
                            if err is not None:
                                last_error = err
                            if self.state == "open":
                                ever_connected = True
                                attempt = 0
                    finally:
                        code = getattr(ws, "close_code", None) or 1006
                        reason = getattr(ws, "close_reason", None) or ""
            except Exception as e:  # connection refused, bad status, timeout, closed
                status = getattr(e, "status_code", None) or getattr(getattr(e, "response", None), "status_code", None)
                refused = status == 429
                reason = f"{type(e).__name__}: {e}"
                if self.debug:
                    self.logger.debug("stream connection failed: %s", reason)
            finally:
                self._ws = None
                for fut in self._pending.values():
                    if not fut.done():
                        fut.set_exception(SMCStreamError("CONNECTION_LOST", "The connection closed before the server answered"))
                self._pending.clear()
            if self._is_closed():
                break
            fixed_token = not callable(self._token)
            policy = self._reconnect
            fatal = (
                (last_error is not None and fixed_token and last_error.code in _NON_RETRYABLE_WITH_FIXED_TOKEN)
                or policy is None
                or (policy.max_attempts is not None and attempt >= policy.max_attempts)
            )
            self._opened.clear()
            self._lifecycle("disconnected", code=code, reason=reason, will_reconnect=not fatal, error=str(last_error) if last_error else None)
            if fatal:
                self._final_error = last_error or SMCStreamError("CONNECTION_LOST", f"Connection closed ({code}{': ' + reason if reason else ''})")
                break
            assert policy is not None
            delay = policy.delay(attempt)
            if refused:
                delay = max(delay, _REFUSED_DELAY)
            attempt += 1
            self.state = "reconnecting"
            self.reconnects += 1
            self._lifecycle("reconnecting", attempt=attempt, delay=delay, code=code, reason=reason)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), delay)
            except asyncio.TimeoutError:
                pass
        self.state = "closed"

    async def _receive(self, ws: Any, raw: Any, ever_connected: bool) -> SMCStreamError | None:
        try:
            frame = json.loads(raw)
        except ValueError:
            return await self._protocol_error(ws, "The server sent a frame that is not JSON")
        if not isinstance(frame, dict) or frame.get("seq") != self._seq + 1:
            seq = frame.get("seq") if isinstance(frame, dict) else None
            return await self._protocol_error(ws, f"Frame seq {seq} after {self._seq}: frames were lost")
        self._seq = frame["seq"]
        type_ = frame.get("type")
        data = frame.get("data") or {}
        error: SMCStreamError | None = None
        if type_ == "authenticated":
            if self.user is None:
                self.user = data
                asyncio.ensure_future(self._restore(ws, ever_connected))
        elif type_ == "subscribed":
            if data.get("last_event_id") is not None and self.cursor is None:
                self.cursor = data["last_event_id"]
        elif type_ == "resumed":
            self.cursor = data.get("last_event_id", self.cursor)
        elif type_ == "resync_required":
            self.cursor = data.get("latest_event_id", self.cursor)
        elif type_ == "error":
            rid = data.get("request_id")
            err = SMCStreamError(str(data.get("code")), str(data.get("message")), data.get("details"), rid)
            if rid is None or rid not in self._pending:
                error = err
                self._emit({"type": "error", "data": data})
        elif type_ in ACCOUNT_EVENT_TYPES and frame.get("id"):
            self.cursor = frame["id"]
        rid = data.get("request_id") if isinstance(data, dict) else None
        if rid is not None and rid in self._pending:
            fut = self._pending.pop(rid)
            if not fut.done():
                if type_ == "error":
                    fut.set_exception(SMCStreamError(str(data.get("code")), str(data.get("message")), data.get("details"), rid))
                else:
                    fut.set_result(frame)
        if type_ != "error":
            self._emit(frame)
        return error

    async def _protocol_error(self, ws: Any, message: str) -> SMCStreamError:
        err = SMCStreamError("PROTOCOL_ERROR", message)
        self._emit({"type": "error", "data": {"code": err.code, "message": message}})
        await ws.close(1002, "protocol error")
        return err

    async def _request(self, msg: dict[str, Any]) -> dict[str, Any]:
        ws = self._ws
        if ws is None:
            raise SMCStreamError("CONNECTION_LOST", "Not connected")
        rid = f"py{next(self._ids)}"
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        await ws.send(json.dumps({**msg, "request_id": rid}))
        return await fut

    async def _restore(self, ws: Any, reconnected: bool) -> None:
        """Restore the subscriptions in one request that also resumes account events from the cursor."""
        acked: set[str] = set()
        cursor = self.cursor
        try:
            while True:
                wanted = [n for n in self.subscriptions if n not in acked]
                if not wanted:
                    break
                msg: dict[str, Any] = {"type": "subscribe", "channels": wanted}
                if cursor:
                    msg["last_event_id"] = cursor
                try:
                    ack = await self._request(msg)
                    acked.update(ack["data"]["channels"])
                    acked.update(wanted)
                except SMCStreamError as e:
                    if e.code == "CONNECTION_LOST":
                        return
                    # One refused channel fails the batch: subscribe one by one, drop the refused.
                    for name in wanted:
                        try:
                            await self._request({"type": "subscribe", "channel": name})
                        except SMCStreamError as err:
                            if err.code == "CONNECTION_LOST":
                                return
                            with self._lock:
                                self._desired.pop(name, None)
                            self._emit({"type": "error", "data": {"code": err.code, "message": err.message, "channel": name}})
                        acked.add(name)
                    if cursor:
                        try:
                            await self._request({"type": "resume", "last_event_id": cursor})
                        except SMCStreamError:
                            pass
                cursor = None
        except Exception:
            self.logger.exception("smc_trading stream: restoring subscriptions failed")
            return
        if ws is not self._ws or self._is_closed():
            return
        self.state = "open"
        self._opened.set()
        self._lifecycle("connected", reconnected=reconnected, user=self.user)
