"""Validate contributed rows: every fault, with file, line and column, against a release."""

from peacetrack.validator.report import FORMATS, render_github, render_json, render_text
from peacetrack.validator.validate import Report, Stopped, checking, validate

__all__ = [
    "FORMATS",
    "CallError",
    "Report",
    "Stopped",
    "checking",
    "render_github",
    "render_json",
    "render_text",
    "validate",
]
