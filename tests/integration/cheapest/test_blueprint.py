"""The shipped blueprint "Run a switch during the cheapest window"."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

BLUEPRINT = (
    Path(__file__).parents[3] / "blueprints/automation/octopus_kraken/cheapest_window_switch.yaml"
)
SENSOR = "binary_sensor.dishwasher"
SWITCH = "switch.dishwasher"


def install_blueprint(hass: HomeAssistant, config_dir: Path) -> None:
    """Put the blueprint where Home Assistant looks for automation blueprints."""
    hass.config.config_dir = str(config_dir)
    folder = config_dir / "blueprints/automation/octopus_kraken"
    folder.mkdir(parents=True)
    shutil.copy(BLUEPRINT, folder / BLUEPRINT.name)


async def test_blueprint_passes_home_assistants_blueprint_loader(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """The automation blueprint loader accepts it, with the three documented inputs."""
    install_blueprint(hass, tmp_path)
    blueprint = await async_get_blueprints(hass).async_get_blueprint(
        f"octopus_kraken/{BLUEPRINT.name}"
    )
    assert blueprint.domain == "automation"
    assert set(blueprint.inputs) == {"window_sensor", "target_switch", "turn_off_at_end"}


async def test_automation_from_blueprint_follows_the_window(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """The switch turns on when the window starts and off when it ends."""
    install_blueprint(hass, tmp_path)
    hass.states.async_set(SENSOR, "off")
    assert await async_setup_component(hass, "homeassistant", {})
    turned_on = async_mock_service(hass, "switch", "turn_on")
    turned_off = async_mock_service(hass, "switch", "turn_off")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"octopus_kraken/{BLUEPRINT.name}",
                    "input": {
                        "window_sensor": SENSOR,
                        "target_switch": {"entity_id": SWITCH},
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()

    hass.states.async_set(SENSOR, "on")
    await hass.async_block_till_done()
    assert [call.data["entity_id"] for call in turned_on] == [[SWITCH]]

    hass.states.async_set(SENSOR, "off")
    await hass.async_block_till_done()
    assert [call.data["entity_id"] for call in turned_off] == [[SWITCH]]
