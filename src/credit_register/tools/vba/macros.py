"""The workbook's own VBA module: one parameterless macro per action, each a line of Python.

A button bound to ``CreditRegister.CR_Run`` runs ``RunPython "import credit_register.excel as cr;
cr.button('run')"``: the macro names the action, so nothing depends on the workbook's file name
(xlwings' ``SampleCall`` imported a module named after it), on ``Application.Caller`` (which the
Python process may not see) or on the Dashboard's action cell (which is sticky, and on a Mac read
after the macro returned). The module is ASCII only: VBA source is stored in the project's code
page (1252), so captions in Chinese stay on the sheets, never here.
"""

from __future__ import annotations

from credit_register.core import dashboard

#: the VBA module holding the macros (buttons are bound to ``CreditRegister.CR_…``)
MODULE = "CreditRegister"
#: actions whose use cases other issues add (hand-over to a colleague, importing a register);
#: their macros exist from the start so that buttons added later need no new VBA project
FUTURE_ACTIONS = ("handover", "import")
#: what every macro runs, with the action's key in place of {action}
PYTHON_CALL = "import credit_register.excel as cr; cr.button('{action}')"


def actions() -> tuple[str, ...]:
    """Every action a macro runs: the Dashboard's buttons first, then the other use cases (rate,
    calibrate…), then the ones still to come."""
    from credit_register.app.actions import ACTION_HANDLERS

    keys = [a.key for a in dashboard.ACTIONS] + list(ACTION_HANDLERS) + list(FUTURE_ACTIONS)
    return tuple(dict.fromkeys(keys))


def macro_name(action: str) -> str:
    """``check_order`` → ``CR_CheckOrder``: the macro's name as Alt+F8 lists it.

    >>> macro_name("run"), macro_name("check_order")
    ('CR_Run', 'CR_CheckOrder')
    """
    return "CR_" + "".join(part.capitalize() for part in action.split("_"))


def qualified_macro(action: str) -> str:
    """The name a button is bound to, ``CreditRegister.CR_Run``: module and macro, so that no
    other macro of the same name in the workbook can be picked instead."""
    return f"{MODULE}.{macro_name(action)}"


def module_source(keys: tuple[str, ...] | None = None) -> str:
    """The module's VBA source (CRLF line ends, as the VBA editor stores it)."""
    lines = [
        f'Attribute VB_Name = "{MODULE}"',
        "' Credit Register: one macro per action. Each button of the workbook is bound to one.",
        "' Made by scripts/make_vba_project.py (credit_register.tools.vba); edits here are lost",
        "' when the workbook is built again. RunPython is xlwings' (module xlwings, BSD licence).",
        "Option Explicit",
    ]
    for action in keys if keys is not None else actions():
        if not action.replace("_", "").isalnum() or not action.isascii():
            raise ValueError(f"not an action key: {action!r}")
        lines += [
            "",
            f"Public Sub {macro_name(action)}()",
            f'    RunPython "{PYTHON_CALL.format(action=action)}"',
            "End Sub",
        ]
    return "\r\n".join(lines) + "\r\n"
