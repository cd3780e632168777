"""What peacetrack raises on purpose: one base class, one subclass per kind of failure.

Catch `PeacetrackError` to handle every failure the toolkit reports with a message meant for
its user (a release that cannot be found, a file that cannot be read, a wrong call); anything
else that escapes is a bug. Each message says where and what, and never echoes more than the
user's own input.
"""

from __future__ import annotations

from peacetrack.faults import Fault


class PeacetrackError(Exception):
    """The root of every error peacetrack raises on purpose."""


class DataError(PeacetrackError):
    """A release cannot be found, fetched or read; the message says which and why."""


class ReleaseError(PeacetrackError):
    """A release or diff that cannot go ahead; the message says why and what to do."""


class CallError(PeacetrackError):
    """A call to the validator is wrong (an unknown table, say): nothing was validated."""


class ActionError(PeacetrackError):
    """The GitHub Action cannot tell what to validate."""


class Refused(PeacetrackError):
    """A path that is, or goes through, a link; climbs out with `..`; or is no regular file.
    The message names the path as given, never what a link points at."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message


class FaultError(PeacetrackError):
    """A failure that is one located fault of the data (a file that cannot be used at all)."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


class FileFault(FaultError):
    """A file of a seed that cannot be used: its fault says why."""


class Unreadable(FaultError):
    """A contributed file that cannot be read at all: its fault says why."""


class StaleIndexWarning(UserWarning):
    """The mirror did not answer: its index is used as cached, older than its lifetime."""
