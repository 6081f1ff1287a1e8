"""The optional pandas helper, used as seed 000's data-analysis example uses pandas."""

from __future__ import annotations

import subprocess
import sys
import unittest

from smc_trading import to_dataframe

from .support import client, fresh_user_client, have, needs_server

needs_pandas = unittest.skipUnless(have("pandas"), "pandas is not installed (apt-get install python3-pandas)")


@needs_server
@needs_pandas
class DataAnalysis(unittest.TestCase):
    def test_candles_as_a_frame_with_the_seeds_indicators(self) -> None:
        candles = to_dataframe(client().get_ohlcv("BTCUSDT", interval="15m", limit=100))
        self.assertEqual(len(candles), 100)
        self.assertTrue({"timestamp", "open", "high", "low", "close", "volume"} <= set(candles.columns))
        # The seed's analyzer: SMA 20/50 and RSI 14 over the closes.
        sma_20 = candles["close"].rolling(window=20).mean()
        self.assertEqual(int(sma_20.notna().sum()), 81)
        delta = candles["close"].diff()
        gain = delta.where(delta > 0, 0).rolling(window=14).mean()
        loss = (-delta.where(delta < 0, 0)).rolling(window=14).mean()
        rsi = (100 - 100 / (1 + gain / loss)).dropna()
        self.assertTrue(((rsi >= 0) & (rsi <= 100)).all())
        self.assertTrue(candles["timestamp"].is_monotonic_increasing)

    def test_fills_from_the_iterator_as_a_frame(self) -> None:
        c = fresh_user_client()
        for side in ("buy", "sell", "buy", "sell"):
            c.execute_trade(symbol="ETHUSDT", side=side, type="market", quantity=0.01)
        fills = to_dataframe(c.iter_trade_history(symbol="ETHUSDT", limit=3))
        self.assertEqual(len(fills), 4)
        self.assertEqual(list(fills["side"].value_counts().sort_index()), [2, 2])
        self.assertAlmostEqual(float(fills["pnl"].sum()), sum(t["pnl"] for t in c.get_trade_history(symbol="ETHUSDT")["trades"]))
        with self.assertRaises(ValueError):
            to_dataframe(c.get_market_data("ETHUSDT"))  # a response with no list


class WithoutPandas(unittest.TestCase):
    def test_to_dataframe_says_how_to_install_pandas(self) -> None:
        code = "import sys; sys.modules['pandas'] = None\nfrom smc_trading import to_dataframe\nto_dataframe([{'a': 1}])\n"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("pip install 'smc-trading-sdk[pandas]'", r.stderr)


if __name__ == "__main__":
    unittest.main()
