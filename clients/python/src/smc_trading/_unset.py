"""The marker of an argument left out (so `None` can still be sent as JSON null)."""

from __future__ import annotations

from typing import Final

__all__ = ["UNSET", "Unset"]


class Unset:
    """The type of :data:`UNSET`: an argument the caller did not pass."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: Left out: the request does not carry the field at all (the server applies its default).
UNSET: Final = Unset()
