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

__all__ = [
    "DEFAULT_BASE_URL",
    "RetryPolicy",
    "SMCApiError",
    "SMCClient",
    "SMCStreamError",
    "UNSET",
    "Unset",
    "__version__",
    "to_dataframe",
]
