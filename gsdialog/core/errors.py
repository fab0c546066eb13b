"""A refused change: the one error the core's commands raise."""

from __future__ import annotations


class AnswerError(Exception):
    """A change that was refused; nothing was stored.

    `reason` is a short key (the collector turns it into plain words and an
    HTTP status); `detail` says which field, for logs and tests.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
