"""An optional pandas helper: ``to_dataframe`` exists whether or not pandas does, and says so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["to_dataframe"]


def to_dataframe(data: Any, key: str | None = None) -> Any:
    """A ``pandas.DataFrame`` of a list response, a list of items or an iterator (``iter_*``).

    A response object is turned into the frame of its one list (``positions`` of ``get_positions()``,
    ``data`` of ``get_ohlcv()``), or of ``key`` when given. Needs pandas (``pip install
    'smc-trading-sdk[pandas]'``); raises ImportError saying so otherwise.

    Example::

        from smc_trading import SMCClient, to_dataframe

        candles = to_dataframe(client.get_ohlcv("BTCUSDT", interval="1h", limit=200))
        candles["close"].rolling(20).mean()
    """
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("to_dataframe needs pandas: pip install 'smc-trading-sdk[pandas]' (Debian: apt-get install python3-pandas)") from e
    rows: Any = data
    if isinstance(data, Mapping):
        if key is None:
            lists = [k for k, v in data.items() if isinstance(v, list)]
            if len(lists) != 1:
                raise ValueError(f"say which list to use: key= one of {lists}" if lists else "the response holds no list")
            key = lists[0]
        rows = data[key]
    elif not isinstance(data, list) and isinstance(data, Iterable):
        rows = list(data)
    return pd.DataFrame(rows)
