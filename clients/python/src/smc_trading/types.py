"""The contract's schemas as TypedDicts and Literal aliases (``from smc_trading.types import Order``)."""

from ._generated.types import *  # noqa: F403
from ._generated.types import __all__ as __all__  # noqa: F401
