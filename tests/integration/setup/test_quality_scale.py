"""Quality-scale rules proved on the running integration (what Home Assistant itself sees)."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import async_get_platforms
from homeassistant.helpers.icon import async_get_icons
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.loader import async_get_integration
from homeassistant.util import slugify
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


def _readme_words() -> str:
    """The README as it reads (Markdown wraps lines anywhere), lower case."""
    readme = Path(__file__).resolve().parents[3] / "README.md"
    return " ".join(readme.read_text().split()).lower()


async def test_the_readme_names_every_entity_home_assistant_set_up(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """docs-supported-functions: each entity running here is documented, by name or entity id."""
    readme = _readme_words()
    entities = _entities(hass)
    assert len(entities) > 20
    names = {str(entity.name) for entity in entities if entity.has_entity_name}
    assert all(names)
    assert (
        sorted(
            name
            for name in names
            if name.lower() not in readme and f"_{slugify(name)}" not in readme
        )
        == []
    )


async def test_the_readme_documents_every_action_and_field_home_assistant_registered(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """docs-actions: each action as registered, with each field its description offers."""
    readme = _readme_words()
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == set(hass.services.async_services_for_domain(DOMAIN))
    missing = [name for name in descriptions if f"octopus_kraken.{name}" not in readme]
    for name, description in descriptions.items():
        fields = set(description.get("fields", {}))
        for section in description.get("fields", {}).values():
            fields |= set(section.get("fields", {}))  # fields grouped in sections
        missing += [
            f"{name}.{field}"
            for field in fields
            if f"`{field}`" not in readme and f"{field}:" not in readme
        ]
    assert missing == []
