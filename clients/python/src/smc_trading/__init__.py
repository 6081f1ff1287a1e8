"""SMC Trading SDK for Python: ``from smc_trading import SMCClient``.

The types and one method per operation are generated from the OpenAPI contract (``_generated``);
HTTP runs on the standard library, the stream on the optional ``websockets`` package.
"""

from ._retry import RetryPolicy
from ._unset import UNSET, Unset
from ._version import __version__
from .client import DEFAULT_BASE_URL, SMCClient
from .dataframe import to_dataframe
from .errors import SMCApiError, SMCStreamError
from .stream import ReconnectPolicy, StreamClient, channel_name  # websockets is imported only when a stream starts

__all__ = [
    "DEFAULT_BASE_URL",
    "ReconnectPolicy",
    "RetryPolicy",
    "SMCApiError",
    "SMCClient",
    "SMCStreamError",
    "StreamClient",
    "UNSET",
    "Unset",
    "__version__",
    "channel_name",
    "to_dataframe",
]
