"""What the doors call: the request a button press makes, the use case it runs, the result.

The command line, the Excel button and the add-in's server import the app through this one
module (Excel imports it only when a button is pressed, so a missing dependency still ends in a
short message box). The use cases themselves live in ``pipeline`` (read → compute),
``writeback`` (results → ``Changes``), ``actions`` (one per button) and ``document_actions``.
"""

from __future__ import annotations

from credit_register.app.actions import run_action
from credit_register.app.pipeline import current_user
from credit_register.app.requests import (
    EXIT_ERRORS,
    EXIT_FAILED,
    EXIT_HOLD,
    EXIT_OK,
    ActionRequest,
    ActionResult,
    DemoPicks,
    demo_picks,
    request_from_dashboard,
)

__all__ = [
    "EXIT_ERRORS",
    "EXIT_FAILED",
    "EXIT_HOLD",
    "EXIT_OK",
    "ActionRequest",
    "ActionResult",
    "DemoPicks",
    "current_user",
    "demo_picks",
    "request_from_dashboard",
    "run_action",
]
