"""Retries, timeouts and debug logging of the transport, against a scripted local HTTP server.

The scripted server stands in for a proxy or an overloaded gateway (answers the real server does
not give on demand: 429 with Retry-After, 503, a connection dropped mid-request).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from smc_trading import RetryPolicy, SMCApiError, SMCClient

ORDER = {"order_id": "ord_1", "status": "filled"}


class Scripted:
    """An HTTP server answering each request with the next scripted (status, headers, body)."""

    def __init__(self, script: list[tuple[int, dict[str, str], Any]]) -> None:
        self.script = list(script)
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                status, headers, payload = outer.script.pop(0) if outer.script else (200, {}, {})
                if status == 0:  # drop the connection without an answer
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def envelope(code: str, status_message: str = "x") -> dict[str, Any]:
    return {"error": {"code": code, "message": status_message, "details": {"limit": 1}, "timestamp": "2024-01-01T00:00:00Z", "request_id": "req_abc"}}


FAST = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.02)


class Retries(unittest.TestCase):
    def serve(self, script: list[tuple[int, dict[str, str], Any]]) -> Scripted:
        s = Scripted(script)
        self.addCleanup(s.close)
        return s

    def test_a_get_waits_out_retry_after_then_succeeds(self) -> None:
        s = self.serve([(429, {"Retry-After": "1"}, envelope("RATE_LIMIT_EXCEEDED")), (200, {}, {"symbol": "BTCUSDT"})])
        started = time.monotonic()
        got = SMCClient(api_token="t", base_url=s.url, retry=FAST).get_price("BTCUSDT")
        self.assertEqual(got["symbol"], "BTCUSDT")
        self.assertGreaterEqual(time.monotonic() - started, 0.95)  # Retry-After, not the 10 ms backoff
        self.assertEqual(len(s.requests), 2)

    def test_a_retry_after_beyond_the_cap_is_returned_as_the_error(self) -> None:
        s = self.serve([(429, {"Retry-After": "120"}, envelope("RATE_LIMIT_EXCEEDED"))])
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="t", base_url=s.url, retry=FAST).get_price("BTCUSDT")
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.request_id), (429, "RATE_LIMIT_EXCEEDED", "req_abc"))
        self.assertEqual(caught.exception.details, {"limit": 1})
        self.assertEqual(len(s.requests), 1)

    def test_503s_are_retried_up_to_max_retries(self) -> None:
        s = self.serve([(503, {}, envelope("SYSTEM_OVERLOAD"))] * 5)
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="t", base_url=s.url, retry=FAST).get_positions()
        self.assertEqual(caught.exception.code, "SYSTEM_OVERLOAD")
        self.assertEqual(len(s.requests), 4)  # the first attempt and 3 retries

    def test_an_order_without_client_order_id_is_sent_once(self) -> None:
        s = self.serve([(503, {}, envelope("SYSTEM_OVERLOAD")), (201, {}, ORDER)])
        with self.assertRaises(SMCApiError):
            SMCClient(api_token="t", base_url=s.url, retry=FAST).execute_trade(symbol="BTCUSDT", side="buy", type="market", quantity=0.1)
        self.assertEqual(len(s.requests), 1)

    def test_an_order_with_client_order_id_is_retried_even_after_a_lost_answer(self) -> None:
        s = self.serve([(0, {}, None), (429, {"Retry-After": "0.2"}, envelope("RATE_LIMIT_EXCEEDED")), (201, {}, ORDER)])
        order = SMCClient(api_token="t", base_url=s.url, retry=FAST).execute_trade(
            symbol="BTCUSDT", side="buy", type="market", quantity=0.1, client_order_id="bot-42"
        )
        self.assertEqual(order, ORDER)
        self.assertEqual(len(s.requests), 3)
        bodies = [json.loads(r[3]) for r in s.requests]
        self.assertTrue(all(b == bodies[0] for b in bodies))
        self.assertEqual(bodies[0], {"symbol": "BTCUSDT", "side": "buy", "type": "market", "quantity": 0.1, "client_order_id": "bot-42"})

    def test_retry_false_disables_retries(self) -> None:
        s = self.serve([(503, {}, envelope("SYSTEM_OVERLOAD")), (200, {}, {})])
        with self.assertRaises(SMCApiError):
            SMCClient(api_token="t", base_url=s.url, retry=False).get_positions()
        self.assertEqual(len(s.requests), 1)

    def test_no_server_is_a_network_error_and_a_silent_one_a_timeout(self) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="t", base_url=f"http://127.0.0.1:{port}", retry=FAST).get_positions()
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.details["attempts"]), (0, "NETWORK_ERROR", 4))
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        self.addCleanup(silent.close)
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="t", base_url=f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3, retry=False).get_positions()
        self.assertEqual(caught.exception.code, "TIMEOUT")

    def test_an_answer_outside_the_envelope(self) -> None:
        s = self.serve([(502, {"X-Request-Id": "req_gw"}, {"oops": True})])
        with self.assertRaises(SMCApiError) as caught:
            SMCClient(api_token="t", base_url=s.url, retry=False).get_positions()
        self.assertEqual((caught.exception.status, caught.exception.code, caught.exception.request_id), (502, "UNEXPECTED_RESPONSE", "req_gw"))

    def test_debug_logs_requests_and_responses_without_secrets(self) -> None:
        s = self.serve([(200, {}, {"token": "secret-access", "refresh_token": "secret-refresh", "expires_at": "x"})])
        logger = logging.getLogger("smc_trading.test")
        with self.assertLogs(logger, level="DEBUG") as logs:
            SMCClient(base_url=s.url, debug=True, logger=logger).generate_token(user_id="demo", permissions=["read_trades"], api_key="secret-key")
        text = "\n".join(logs.output)
        self.assertIn("→ POST", text)
        self.assertIn("← 200 POST", text)
        self.assertIn('"user_id":"demo"', text)
        for secret in ("secret-access", "secret-refresh", "secret-key"):
            self.assertNotIn(secret, text)
        self.assertEqual({k.lower(): v for k, v in s.requests[0][2].items()}.get("x-api-key"), "secret-key")


if __name__ == "__main__":
    unittest.main()
