"""The add-in's manifest (``addin/manifest.xml``): every URL on the server's origin, and one
ribbon button per Dashboard action, written from ``manifest.template.xml``."""

from __future__ import annotations

from pathlib import Path

from credit_register.core import dashboard

#: where the add-in's files are: the repository's ``addin/`` (the package is installed editable)
ADDIN_DIR = Path(__file__).resolve().parents[3] / "addin"
DEFAULT_ORIGIN = "https://localhost:3000"
ORIGIN_PLACEHOLDER = "{{ORIGIN}}"


def _xml(text: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(text)


def _action_controls() -> tuple[str, str, str]:
    """One ribbon button per Dashboard action (``ExecuteFunction`` in commands.js), with its
    label and tip in Chinese (the default) and English; ids from ``dashboard.ACTIONS``."""
    controls, short, long = [], [], []
    icons = "\n".join(
        f'                    <bt:Image size="{n}" resid="Icon.{n}x{n}"/>' for n in (16, 32, 80)
    )
    for action in dashboard.ACTIONS:
        key = action.key
        controls.append(
            f"""                <Control xsi:type="Button" id="CreditRegister.{key}">
                  <Label resid="{key}.Label"/>
                  <Supertip>
                    <Title resid="{key}.Label"/>
                    <Description resid="{key}.Tip"/>
                  </Supertip>
                  <Icon>
{icons}
                  </Icon>
                  <Action xsi:type="ExecuteFunction">
                    <FunctionName>{key}</FunctionName>
                  </Action>
                </Control>"""
        )
        short.append(
            f"""        <bt:String id="{key}.Label" DefaultValue={_xml(action.zh)}>
          <bt:Override Locale="en-US" Value={_xml(action.en)}/>
        </bt:String>"""
        )
        tip_zh = _xml(action.zh + "：与控制台按钮相同")
        tip_en = _xml(action.en + ": the same as the Dashboard button")
        long.append(
            f"""        <bt:String id="{key}.Tip" DefaultValue={tip_zh}>
          <bt:Override Locale="en-US" Value={tip_en}/>
        </bt:String>"""
        )
    return "\n".join(controls), "\n".join(short), "\n".join(long)


def render_manifest(origin: str, addin_dir: Path = ADDIN_DIR) -> str:
    """The add-in manifest for a server at ``origin`` (``https://credit.example.com``): every
    URL in it (task pane, commands, icons) on that origin, a ribbon button per action."""
    template = (addin_dir / "manifest.template.xml").read_text(encoding="utf-8")
    controls, short, long = _action_controls()
    return (
        template.replace(ORIGIN_PLACEHOLDER, origin.rstrip("/"))
        .replace("<!--ACTIONS:CONTROLS-->", controls)
        .replace("<!--ACTIONS:SHORTSTRINGS-->", short)
        .replace("<!--ACTIONS:LONGSTRINGS-->", long)
    )
