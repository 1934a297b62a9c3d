"""The exceptions of reviewguard: every failure carries the core's stable ``code``."""

from __future__ import annotations

from typing import Optional

__all__ = ["ReviewguardError", "CaseError", "PolicyError"]


class ReviewguardError(ValueError):
    """A case or a policy pack could not be read.

    ``code`` is the core's stable machine code (``"unknown_field"``, ``"pack_syntax"``, ...),
    ``message`` the lowercase description, ``location`` where the problem is (a JSON path such
    as ``reviews[3].rating``, ``line L column C``, or ``FILE:LINE:COLUMN`` in a pack) or
    ``None``, and ``index`` the position of the item in a batch call, when there is one.
    """

    code: str
    message: str
    location: Optional[str]
    index: Optional[int]

    def __init__(
        self,
        message: str,
        code: str,
        location: Optional[str] = None,
        index: Optional[int] = None,
    ) -> None:
        super().__init__(message, code, location, index)
        self.message = message
        self.code = code
        self.location = location
        self.index = index

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        item = f" (item {self.index})" if self.index is not None else ""
        return f"{self.code}: {self.message}{where}{item}"


class CaseError(ReviewguardError):
    """A case (or a text) cannot be read: bad JSON, an unknown field, a dangling reference,
    a value out of range, an input over a limit."""


class PolicyError(ReviewguardError):
    """A policy pack is invalid: TOML syntax, an unknown concept or kind, a bad pattern, a
    rule whose own examples fail."""
