"""REST calls against the real server: results, typed errors, iterators, tokens."""

from __future__ import annotations

import unittest
import uuid

from smc_trading import SMCApiError, SMCClient

from .support import ADMIN_TOKEN, API_KEY, BASE_URL, client, fresh_user_client, needs_server


@needs_server
class Rest(unittest.TestCase):
    def test_health_and_market_data(self) -> None:
        c = client()
        self.assertIn(c.get_health()["status"], ("healthy", "degraded", "unhealthy"))
        ticker = c.get_market_data("BTCUSDT")
        self.assertEqual(ticker["symbol"], "BTCUSDT")
        self.assertLessEqual(ticker["bid"], ticker["ask"])
        candles = c.get_ohlcv("BTCUSDT", interval="1h", limit=5)
        self.assertEqual(len(candles["data"]), 5)
        book = c.get_order_book("ETHUSDT", limit=3)
        self.assertEqual(len(book["bids"]), 3)
        self.assertIn("# HELP", c.get_metrics())

    def test_the_base_url_may_end_in_v1(self) -> None:
        c = SMCClient(api_token=client().token, base_url=BASE_URL + "/v1/")
        self.assertEqual(c.get_price("BTCUSDT")["symbol"], "BTCUSDT")

    def test_an_order_by_keyword_arguments_then_its_lifecycle(self) -> None:
        c = fresh_user_client()
        price = c.get_market_data("BTCUSDT")["price"]
        # A resting limit buy far below the market: open until cancelled.
        order = c.execute_trade(symbol="BTCUSDT", side="buy", type="limit", quantity=0.01, price=round(price * 0.5, 2), time_in_force="GTC")
        self.assertIn(order["status"], ("new", "open"))
        self.assertEqual(c.get_order(order["order_id"])["order_id"], order["order_id"])
        self.assertEqual([o["order_id"] for o in c.iter_orders(status="open", limit=1)], [order["order_id"]])
        cancelled = c.cancel_order(order["order_id"])
        self.assertEqual(cancelled["status"], "cancelled")
        with self.assertRaises(SMCApiError) as caught:
            c.cancel_order(order["order_id"])
        self.assertEqual(caught.exception.code, "ORDER_NOT_CANCELLABLE")

    def test_a_repeated_client_order_id_answers_the_original_order(self) -> None:
        c = fresh_user_client()
        key = f"py-{uuid.uuid4().hex[:12]}"
        first = c.execute_trade(symbol="ETHUSDT", side="buy", type="market", quantity=0.05, client_order_id=key)
        again = c.execute_trade(symbol="ETHUSDT", side="buy", type="market", quantity=0.05, client_order_id=key)
        self.assertEqual(first["order_id"], again["order_id"])
        self.assertEqual(first["status"], "filled")
        self.assertEqual(c.get_positions(symbol="ETHUSDT")["positions"][0]["quantity"], 0.05)

    def test_errors_are_typed_with_the_envelope(self) -> None:
        c = client()
        with self.assertRaises(SMCApiError) as caught:
            c.get_market_data("NOPE1")
        e = caught.exception
        self.assertIn(e.status, (400, 404))
        self.assertEqual(e.code, "INVALID_SYMBOL")
        self.assertTrue(e.message)
        self.assertTrue(e.request_id)
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="not-a-token", base_url=BASE_URL).get_positions()
        self.assertEqual((caught.exception.status, caught.exception.code), (401, "AUTHENTICATION_FAILED"))
        with self.assertRaises(SMCApiError) as caught:
            fresh_user_client().execute_trade(symbol="BTCUSDT", side="buy", type="market", quantity=100)
        self.assertEqual(caught.exception.status, 400)
        self.assertTrue(caught.exception.details)

    def test_iterators_walk_every_page(self) -> None:
        c = fresh_user_client()
        for sym in ("BTCUSDT", "ETHUSDT"):
            c.execute_trade(symbol=sym, side="buy", type="market", quantity=0.01)
        for _ in range(3):
            c.execute_trade(symbol="ETHUSDT", side="sell", type="market", quantity=0.003)
        positions = list(c.iter_positions(limit=1))
        self.assertEqual(sorted(p["symbol"] for p in positions), ["BTCUSDT", "ETHUSDT"])
        fills = list(c.iter_trade_history(limit=2))
        self.assertEqual(len(fills), c.get_trade_history(limit=100)["total_count"])
        self.assertEqual(len({f["id"] for f in fills}), len(fills))
        self.assertGreaterEqual(len(fills), 5)

    def test_tokens_from_an_api_key_and_refresh(self) -> None:
        anonymous = SMCClient(base_url=BASE_URL)
        pair = anonymous.generate_token(user_id="demo", permissions=["read_market_data"], api_key=API_KEY)
        self.assertEqual(pair["permissions"], ["read_market_data"])
        c = SMCClient(api_token=pair["token"], base_url=BASE_URL)
        self.assertEqual(c.get_price("ETHUSDT")["symbol"], "ETHUSDT")
        with self.assertRaises(SMCApiError) as caught:
            c.get_positions()
        self.assertEqual(caught.exception.status, 403)
        nxt = c.refresh_token(refresh_token=pair["refresh_token"])
        c.set_token(nxt["token"])
        self.assertEqual(c.get_price("BTCUSDT")["symbol"], "BTCUSDT")
        with self.assertRaises(SMCApiError):
            c.refresh_token(refresh_token=pair["refresh_token"])  # rotated: the old one stopped working

    def test_bodies_with_keys_that_are_not_identifiers_go_as_one_dict(self) -> None:
        admin = client(ADMIN_TOKEN)
        before = admin.get_config()
        updated = admin.update_config({"trading.max_daily_loss": 1234.0})
        self.assertEqual(updated["trading"]["max_daily_loss"], 1234.0)
        admin.update_config({"trading.max_daily_loss": before["trading"]["max_daily_loss"]})


if __name__ == "__main__":
    unittest.main()
