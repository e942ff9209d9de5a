"""Quality-scale rules proved on the running integration (what Home Assistant itself sees)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.loader import async_get_integration
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_kraken.const import DOMAIN
from custom_components.octopus_kraken.coordinators.base import OctopusCoordinator
from custom_components.octopus_kraken.entity import OctopusEntity


def _entities(hass: HomeAssistant) -> list[Entity]:
    """Every entity our platforms added."""
    return [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        for entity in platform.entities.values()
    ]


async def test_every_entity_is_an_octopus_entity_fed_by_an_octopus_coordinator(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """common-modules: one base entity and one base coordinator carry every feature."""
    entities = _entities(hass)
    assert len(entities) > 20
    assert [e.entity_id for e in entities if not isinstance(e, OctopusEntity)] == []
    coordinators = {id(e.coordinator): e.coordinator for e in entities}.values()
    assert len({type(c) for c in coordinators}) >= 3  # account, rates, SmartFlex at least
    assert all(isinstance(c, OctopusCoordinator) for c in coordinators)
    assert all(isinstance(c, DataUpdateCoordinator) for c in coordinators)


async def test_home_assistant_reads_an_owner_and_no_requirements_from_the_manifest(
    hass: HomeAssistant,
) -> None:
    """dependency-transparency and integration-owner, as Home Assistant's loader reads them."""
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.requirements == []  # the API client ships inside the integration
    assert integration.manifest["codeowners"]
    assert integration.dependencies == ["recorder"]
    assert integration.config_flow is True
    assert integration.version is not None  # a custom integration without one is refused


async def test_every_platform_home_assistant_loaded_declares_parallel_updates(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """parallel-updates: the value Home Assistant finds on each of our platform modules."""
    platforms = async_get_platforms(hass, DOMAIN)
    assert {p.domain for p in platforms} >= {"sensor", "binary_sensor", "switch"}
    for platform in platforms:
        assert isinstance(getattr(platform.platform, "PARALLEL_UPDATES", None), int), platform


async def test_home_assistant_finds_an_icon_for_every_entity_and_action(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """icon-translations: every entity set up and every action registered has its icon."""
    entity_icons = (await async_get_icons(hass, "entity", [DOMAIN]))[DOMAIN]
    service_icons = (await async_get_icons(hass, "services", [DOMAIN]))[DOMAIN]
    entities = _entities(hass)
    missing = sorted(
        f"{entity.platform.domain}.{entity.translation_key}"
        for entity in entities
        if entity.translation_key not in entity_icons.get(entity.platform.domain, {})
    )
    assert all(entity.translation_key for entity in entities)
    services = hass.services.async_services_for_domain(DOMAIN)
    assert services
    missing += sorted(name for name in services if name not in service_icons)
    assert missing == []
