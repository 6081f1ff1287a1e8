"""The stream (/v1/ws) through the checking proxy: callbacks, frames, reconnect and resume."""

from __future__ import annotations

import subprocess
import sys
import threading
import unittest
from typing import Any

from smc_trading.stream import ReconnectPolicy

from .support import ADMIN_TOKEN, client, eventually, fresh_user_client, have, needs_server, proxy

needs_websockets = unittest.skipUnless(have("websockets"), "websockets is not installed (apt-get install python3-websockets)")
QUICK = ReconnectPolicy(initial_delay=0.05, max_delay=0.2)


class Collector:
    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, frame: dict[str, Any]) -> None:
        with self.lock:
            self.frames.append(frame)

    def of(self, type_: str) -> list[dict[str, Any]]:
        with self.lock:
            return [f for f in self.frames if f["type"] == type_]


@needs_server
@needs_websockets
class Stream(unittest.TestCase):
    def test_subscribe_to_trades_calls_back_with_the_accounts_fills(self) -> None:
        c = fresh_user_client()
        self.addCleanup(c.close)
        updates: list[dict[str, Any]] = []
        c.subscribe_to_trades(updates.append)
        c.connect()
        order = c.execute_trade(symbol="BTCUSDT", side="buy", type="market", quantity=0.01)
        eventually(lambda: any(u["order_id"] == order["order_id"] and u["status"] == "filled" for u in updates), what="the fill's trade_update")

    def test_market_data_frames_as_an_iterator(self) -> None:
        c = client()
        self.addCleanup(c.close)
        stream = c.stream()
        stream.subscribe("market_data", "btc/usdt")
        stream.connect()
        self.assertEqual(stream.subscriptions, ["market_data.BTCUSDT"])
        frames = []
        for frame in stream.messages(types=["market_data_update"], timeout=10):
            frames.append(frame)
            if len(frames) == 2:
                break
        self.assertEqual([f["data"]["symbol"] for f in frames], ["BTCUSDT", "BTCUSDT"])
        self.assertEqual(frames[0]["channel"], "market_data.BTCUSDT")

    def test_a_lost_connection_is_replaced_resubscribed_and_resumed(self) -> None:
        c = fresh_user_client()
        stream = c.stream(reconnect=QUICK)
        self.addCleanup(c.close)
        seen = Collector()
        stream.on("*", seen)
        stream.subscribe("trades")
        stream.connect()
        before = c.execute_trade(symbol="ETHUSDT", side="buy", type="market", quantity=0.01)
        eventually(lambda: any(f["data"].get("order_id") == before["order_id"] for f in seen.of("trade_update")), what="the first fill")
        cursor = stream.cursor
        try:
            proxy("block")
            proxy("drop")
            eventually(lambda: seen.of("disconnected"), what="the drop")
            missed = [c.execute_trade(symbol="ETHUSDT", side="buy", type="market", quantity=0.01) for _ in range(2)]
        finally:
            proxy("unblock")
        eventually(lambda: any(f["data"].get("reconnected") for f in seen.of("connected")), what="the reconnection")
        eventually(lambda: seen.of("resumed"), what="resumed")
        missed_ids = {o["order_id"] for o in missed}
        replayed = [f for f in seen.of("trade_update") if f["data"]["order_id"] in missed_ids]
        self.assertEqual({f["data"]["order_id"] for f in replayed}, missed_ids)
        self.assertTrue(all(f.get("replayed") for f in replayed), "the missed events come back marked replayed")
        firsts = [f for f in seen.of("trade_update") if f["data"]["order_id"] == before["order_id"]]
        self.assertFalse(any(f.get("replayed") for f in firsts), "events already processed are not replayed")
        self.assertNotEqual(stream.cursor, cursor)
        self.assertGreaterEqual(stream.reconnects, 1)
        self.assertEqual(stream.subscriptions, ["trades"])
        # Live again after the resume.
        after = c.execute_trade(symbol="ETHUSDT", side="sell", type="market", quantity=0.01)
        eventually(lambda: any(f["data"].get("order_id") == after["order_id"] and not f.get("replayed") for f in seen.of("trade_update")), what="a live fill")

    def test_a_refused_subscription_is_an_error_event_and_the_others_stay(self) -> None:
        pair = client(ADMIN_TOKEN).generate_token(user_id="py-market-only", permissions=["read_market_data"])
        c = client(pair["token"])
        self.addCleanup(c.close)
        stream = c.stream()
        errors = Collector()
        stream.on("error", errors)
        stream.subscribe("market_data", "ETHUSDT")
        stream.subscribe("positions")
        stream.connect()
        eventually(lambda: errors.frames, what="the refusal")
        self.assertEqual(errors.frames[0]["data"]["code"], "INSUFFICIENT_PERMISSIONS")
        self.assertEqual(stream.subscriptions, ["market_data.ETHUSDT"])


class WithoutWebsockets(unittest.TestCase):
    def test_the_stream_says_how_to_install_websockets(self) -> None:
        code = (
            "import sys; sys.modules['websockets'] = None\n"
            "from smc_trading import SMCClient\n"
            "c = SMCClient(api_token='t')\n"
            "print(c.get_market_data.__name__)\n"
            "c.stream()\n"
        )
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("get_market_data", r.stdout)  # REST works without it
        self.assertIn("ImportError", r.stderr)
        self.assertIn("pip install 'smc-trading-sdk[stream]'", r.stderr)


if __name__ == "__main__":
    unittest.main()
