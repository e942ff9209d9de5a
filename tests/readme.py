"""The README's code blocks and states as other programs receive them, for contract tests."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import JSONEncoder
import yaml

README = Path(__file__).resolve().parents[1] / "README.md"
# What Predbat's strptime("%Y-%m-%dT%H:%M:%S%z") and Date.parse both accept, and nothing looser.
STRICT_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def readme_blocks(language: str) -> list[str]:
    """The README's fenced code blocks in ``language``."""
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.DOTALL)


def readme_yaml(marker: str) -> Any:
    """The one README YAML block that contains ``marker``, parsed."""
    (block,) = [block for block in readme_blocks("yaml") if marker in block]
    return yaml.safe_load(block)


def served(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """The state as ``/api/states`` and the websocket serialise it (Home Assistant's encoder)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    result: dict[str, Any] = json.loads(json.dumps(state.as_dict(), cls=JSONEncoder))
    return result
