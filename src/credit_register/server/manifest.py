"""The add-in's manifest (the package's ``addin/manifest.xml``): every URL on the server's origin,
and the ribbon, written from ``manifest.template.xml``.

The ribbon is a tab of the add-in's own (资信管理 Credit Register), not a group on Home: nine
buttons do not fit Microsoft's rule of at most six controls in a group, and a tab of its own
keeps them together. Its groups follow what a credit manager does: the register as a whole, the
selected customers, the monthly batch. Each button runs one Dashboard action
(``ExecuteFunction`` in commands.js); the first opens the task pane.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from credit_register import __version__
from credit_register.core import dashboard
from credit_register.core.package_data import package_folder

#: where the add-in's files are: the package's ``addin/`` (package data, so ``serve`` works from
#: an installed wheel as from a checkout)
ADDIN_DIR = package_folder("addin")
DEFAULT_ORIGIN = "https://localhost:3000"
ORIGIN_PLACEHOLDER = "{{ORIGIN}}"
#: Microsoft's limit for the controls in one ribbon group
MAX_GROUP_CONTROLS = 6
#: the control that opens the task pane (not an action)
PANE = "pane"


@dataclass(frozen=True)
class RibbonGroup:
    key: str
    zh: str
    en: str
    #: ``PANE`` or Dashboard action keys, in ribbon order
    controls: tuple[str, ...]


RIBBON: tuple[RibbonGroup, ...] = (
    RibbonGroup("Register", "登记簿", "Register", (PANE, "validate", "run")),
    RibbonGroup(
        "Customers",
        "所选客户",
        "Selected customers",
        ("contract", "report", "approve", "check_order"),
    ),
    RibbonGroup("Batch", "批量", "Batch", ("letters", "review")),
)


def _icon_lines(indent: str) -> str:
    sizes = (16, 32, 80)
    return "\n".join(f'{indent}<bt:Image size="{n}" resid="Icon.{n}x{n}"/>' for n in sizes)


def check_ribbon(groups: tuple[RibbonGroup, ...] = RIBBON) -> None:
    """Every Dashboard action the pane can run (not importing: no Excel file dialog there) on
    the ribbon exactly once, the pane button once, and no group over Microsoft's six controls:
    a manifest that breaks a rule is never written."""
    placed = [c for g in groups for c in g.controls]
    wanted = [PANE, *(a.key for a in dashboard.PANE_ACTIONS)]
    if sorted(placed) != sorted(wanted):
        raise ValueError(f"ribbon controls {placed} are not the pane and the actions {wanted}")
    for group in groups:
        if len(group.controls) > MAX_GROUP_CONTROLS:
            raise ValueError(
                f"ribbon group {group.key} has more than {MAX_GROUP_CONTROLS} controls"
            )


def _control(key: str) -> str:
    icons = _icon_lines(" " * 20)
    control_id = key
    if key == PANE:
        control_id, label, tip = "Pane", "Pane.Label", "Pane.Tip"
        action = """                  <Action xsi:type="ShowTaskpane">
                    <TaskpaneId>CreditRegisterPane</TaskpaneId>
                    <SourceLocation resid="Taskpane.Url"/>
                  </Action>"""
    else:
        label, tip = f"{key}.Label", f"{key}.Tip"
        action = f"""                  <Action xsi:type="ExecuteFunction">
                    <FunctionName>{key}</FunctionName>
                  </Action>"""
    return f"""                <Control xsi:type="Button" id="CreditRegister.{control_id}">
                  <Label resid="{label}"/>
                  <Supertip>
                    <Title resid="{label}"/>
                    <Description resid="{tip}"/>
                  </Supertip>
                  <Icon>
{icons}
                  </Icon>
{action}
                </Control>"""


def _groups() -> str:
    out = []
    for group in RIBBON:
        controls = "\n".join(_control(key) for key in group.controls)
        out.append(
            f"""              <Group id="CreditRegister.Group.{group.key}">
                <Label resid="Group.{group.key}"/>
                <Icon>
{_icon_lines(" " * 18)}
                </Icon>
{controls}
              </Group>"""
        )
    return "\n".join(out)


def _string(resid: str, zh: str, en: str) -> str:
    return f"""        <bt:String id="{resid}" DefaultValue={quoteattr(zh)}>
          <bt:Override Locale="en-US" Value={quoteattr(en)}/>
        </bt:String>"""


def _strings() -> tuple[str, str]:
    """The labels (short strings: groups and actions) and the tips (long strings), Chinese by
    default with an English override; ids from ``dashboard.PANE_ACTIONS`` and ``RIBBON``."""
    short = [_string(f"Group.{g.key}", g.zh, g.en) for g in RIBBON]
    long = []
    for action in dashboard.PANE_ACTIONS:
        short.append(_string(f"{action.key}.Label", action.zh, action.en))
        long.append(
            _string(
                f"{action.key}.Tip",
                action.zh + "：与控制台按钮相同",
                action.en + ": the same as the Dashboard button",
            )
        )
    return "\n".join(short), "\n".join(long)


def manifest_version(version: str = __version__) -> str:
    """The package's version as Office wants it: four numbers (``0.1.0`` → ``0.1.0.0``); the
    version lives in ``pyproject.toml`` only.

    >>> manifest_version("1.2.3"), manifest_version("1.2.3rc1")
    ('1.2.3.0', '1.2.3.0')
    """
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    return ".".join(str(n) for n in [*numbers, 0, 0, 0, 0][:4])


def render_manifest(origin: str, addin_dir: Path = ADDIN_DIR) -> str:
    """The add-in manifest for a server at ``origin`` (``https://credit.example.com``): every
    URL in it (task pane, commands, icons) on that origin, the ribbon tab of ``RIBBON``."""
    check_ribbon()
    template = (addin_dir / "manifest.template.xml").read_text(encoding="utf-8")
    short, long = _strings()
    return (
        template.replace(ORIGIN_PLACEHOLDER, origin.rstrip("/"))
        .replace("<!--VERSION-->", manifest_version())
        .replace("<!--RIBBON:GROUPS-->", _groups())
        .replace("<!--ACTIONS:SHORTSTRINGS-->", short)
        .replace("<!--ACTIONS:LONGSTRINGS-->", long)
    )
