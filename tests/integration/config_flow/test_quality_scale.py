"""quality_scale.yaml lists every rule, and every rule claimed `done` has a test behind it."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import re

from PIL import Image
import pytest
import yaml

ROOT = Path(__file__).parents[3]
PACKAGE = ROOT / "custom_components" / "octopus_kraken"
TESTS = ROOT / "tests"

RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules",
        "config-flow-test-coverage", "config-flow", "dependency-transparency", "docs-actions",
        "docs-high-level-description", "docs-installation-instructions",
        "docs-removal-instructions", "entity-event-setup", "entity-unique-id", "has-entity-name",
        "runtime-data", "test-before-configure", "test-before-setup", "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery-update-info", "discovery", "docs-data-update",
        "docs-examples", "docs-known-limitations", "docs-supported-devices",
        "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
        "entity-category", "entity-device-class", "entity-disabled-by-default",
        "entity-translations", "exception-translations", "icon-translations",
        "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip

QS = "integration/config_flow/test_quality_scale.py"
SETUP = "integration/setup/test_setup.py"
EVERY_ENTITY = "test_every_entity_has_a_unique_id_a_translated_name_and_a_device"
# rule → the test (path under tests/ :: function) that proves a `done` claim.
PROOF = {
    "action-setup": f"{SETUP}::test_actions_exist_before_any_account_is_added",
    "appropriate-polling": (
        "integration/rates/test_agile.py::test_a_week_costs_at_most_three_rate_requests_a_day_per_meter"
    ),
    "brands": f"{QS}::test_brand_images_have_the_sizes_home_assistant_expects",
    "common-modules": f"{QS}::test_coordinators_and_the_base_entity_live_in_common_modules",
    "config-flow-test-coverage": f"{QS}::test_every_flow_step_error_and_abort_is_exercised",
    "config-flow": (
        "integration/config_flow/test_user_flow.py::"
        "test_a_key_with_one_account_goes_straight_to_its_meters_and_creates_the_entry"
    ),
    "dependency-transparency": f"{QS}::test_the_manifest_declares_requirements_and_an_owner",
    "docs-high-level-description": f"{QS}::test_the_readme_describes_installation_and_removal",
    "docs-installation-instructions": f"{QS}::test_the_readme_describes_installation_and_removal",
    "docs-removal-instructions": f"{QS}::test_the_readme_describes_installation_and_removal",
    "entity-unique-id": f"{SETUP}::{EVERY_ENTITY}",
    "has-entity-name": f"{SETUP}::{EVERY_ENTITY}",
    "runtime-data": f"{SETUP}::test_changing_an_option_restarts_the_entry",
    "test-before-configure": (
        "integration/config_flow/test_user_flow.py::"
        "test_a_wrong_key_is_reported_on_the_form_and_a_right_one_then_works"
    ),
    "test-before-setup": f"{SETUP}::test_an_api_that_is_down_at_start_makes_home_assistant_retry",
    "unique-config-entry": (
        "integration/config_flow/test_user_flow.py::test_adding_the_same_account_twice_is_refused"
    ),
    "action-exceptions": (
        "integration/cheapest/test_service.py::test_bad_requests_are_refused_with_a_translated_reason"
    ),
    "config-entry-unloading": f"{SETUP}::test_unloading_leaves_no_polling_behind",
    "docs-configuration-parameters": f"{QS}::test_the_setup_docs_describe_every_field_and_option",
    "docs-installation-parameters": f"{QS}::test_the_setup_docs_describe_every_field_and_option",
    "integration-owner": f"{QS}::test_the_manifest_declares_requirements_and_an_owner",
    "parallel-updates": f"{QS}::test_every_platform_declares_parallel_updates",
    "reauthentication-flow": (
        "integration/config_flow/test_reauth.py::"
        "test_a_rejected_key_starts_reauth_and_a_new_key_brings_the_entry_back"
    ),
    "devices": (
        f"{SETUP}::test_set_up_creates_a_device_for_the_account_each_meter_and_each_smartflex_device"
    ),
    "diagnostics": (
        "integration/config_flow/test_diagnostics.py::"
        "test_diagnostics_contain_no_personal_string_anywhere"
    ),
    "dynamic-devices": (
        "integration/smartflex/test_lifecycle.py::"
        "test_a_device_added_to_the_account_appears_after_the_account_refresh"
    ),
    "entity-translations": (
        f"{SETUP}::test_every_entity_has_a_unique_id_a_translated_name_and_a_device"
    ),
    "exception-translations": (
        "integration/smartflex/test_controls.py::test_a_rate_limited_action_raises_a_translated_error"
    ),
    "reconfiguration-flow": (
        "integration/config_flow/test_reconfigure.py::"
        "test_unticking_a_meter_removes_it_and_restarts_the_entry"
    ),
    "stale-devices": f"{SETUP}::test_a_meter_no_longer_selected_loses_its_device",
    "async-dependency": f"{QS}::test_the_api_client_uses_asyncio_http_only",
    "inject-websession": f"{SETUP}::test_the_client_uses_home_assistants_shared_web_session",
    "strict-typing": f"{QS}::test_mypy_checks_the_integration_strictly",
    "docs-actions": f"{QS}::test_the_readme_documents_every_action_and_its_fields",
    "docs-supported-functions": f"{QS}::test_the_readme_names_every_entity",
    "docs-data-update": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-examples": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-known-limitations": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-supported-devices": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-troubleshooting": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-use-cases": f"{QS}::test_the_readme_has_every_overview_section",
    "icon-translations": f"{QS}::test_every_entity_and_action_has_an_icon",
    "entity-unavailable": (
        f"{SETUP}::test_a_failing_api_makes_live_values_unavailable_and_is_logged_once"
    ),
    "log-when-unavailable": (
        f"{SETUP}::test_a_failing_api_makes_live_values_unavailable_and_is_logged_once"
    ),
    "entity-event-setup": (
        "integration/cheapest/test_binary_sensor.py::test_an_unloaded_window_stops_switching"
    ),
    "test-coverage": f"{QS}::test_the_test_command_fails_under_95_percent_coverage",
    "entity-device-class": f"{SETUP}::test_entities_carry_the_device_class_their_unit_implies",
    "entity-category": (
        f"{SETUP}::test_diagnostic_entities_are_categorised_and_duplicates_start_disabled"
    ),
    "entity-disabled-by-default": (
        f"{SETUP}::test_diagnostic_entities_are_categorised_and_duplicates_start_disabled"
    ),
}


def _rules() -> dict[str, dict[str, str]]:
    return yaml.safe_load((PACKAGE / "quality_scale.yaml").read_text())["rules"]


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_every_rule_of_every_tier_is_listed() -> None:
    listed = set(_rules())
    expected = {rule for tier in RULES.values() for rule in tier}
    assert sorted(expected - listed) == []
    assert sorted(listed - expected) == []


def test_every_rule_is_done_or_explained() -> None:
    for rule, entry in _rules().items():
        assert entry["status"] in ("done", "exempt", "todo"), rule
        if entry["status"] != "done":
            assert entry.get("comment"), f"{rule} is {entry['status']} without a reason"


@pytest.mark.parametrize("rule", sorted(PROOF))
def test_every_done_rule_names_a_test_that_exists(rule: str) -> None:
    path, function = PROOF[rule].split("::")
    assert (TESTS / path).is_file(), PROOF[rule]
    assert function in _test_functions(TESTS / path), PROOF[rule]


def test_no_rule_claims_done_without_a_proof() -> None:
    done = {rule for rule, entry in _rules().items() if entry["status"] == "done"}
    assert sorted(done - set(PROOF)) == []
    # A proof for a rule that is not done is a stale claim.
    assert sorted(set(PROOF) - done) == []


def test_brand_images_have_the_sizes_home_assistant_expects() -> None:
    brand = PACKAGE / "brand"
    assert Image.open(brand / "icon.png").size == (256, 256)
    assert Image.open(brand / "icon@2x.png").size == (512, 512)
    width, height = Image.open(brand / "logo.png").size
    assert height in range(128, 257)
    assert width >= height


def test_coordinators_and_the_base_entity_live_in_common_modules() -> None:
    assert (PACKAGE / "coordinators" / "base.py").is_file()
    assert "class OctopusEntity" in (PACKAGE / "entity.py").read_text()


def test_the_manifest_declares_requirements_and_an_owner() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text())
    assert manifest["codeowners"]
    assert all("==" in requirement for requirement in manifest["requirements"])
    assert manifest["config_flow"] is True


def test_every_platform_declares_parallel_updates() -> None:
    platforms = ("sensor", "binary_sensor", "switch", "select", "number", "time", "button")
    found = [PACKAGE / f"{name}.py" for name in platforms if (PACKAGE / f"{name}.py").is_file()]
    assert found
    for module in found:
        assert re.search(r"^PARALLEL_UPDATES = \d+", module.read_text(), re.M), module.name


def test_the_api_client_uses_asyncio_http_only() -> None:
    for module in (PACKAGE / "api").rglob("*.py"):
        text = module.read_text()
        for blocking in ("import requests", "import urllib3", "http.client", "time.sleep("):
            assert blocking not in text, f"{module.name}: {blocking}"


def test_mypy_checks_the_integration_strictly() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"^\[tool\.mypy\][^\[]*^strict = true", pyproject, re.M | re.S)
    assert (PACKAGE / "py.typed").is_file()


def test_the_readme_describes_installation_and_removal() -> None:
    readme = (ROOT / "README.md").read_text()
    intro = readme.split("\n## ")[0]
    assert "Octopus" in intro
    assert len(intro.split()) > 30
    for heading in ("## Installation", "### Getting an API key", "## Removing the integration"):
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        assert len(section.split()) > 20, heading


def test_the_setup_docs_describe_every_field_and_option() -> None:
    # Markdown wraps lines anywhere: compare with the text as it reads.
    docs = " ".join((ROOT / "README.md").read_text().split())
    strings = json.loads((PACKAGE / "strings.json").read_text())
    labels = [
        label
        for section in ("config", "options")
        for step in strings[section]["step"].values()
        for label in step.get("data", {}).values()
    ]
    missing = sorted({label for label in labels if label not in docs})
    assert missing == []


def test_every_flow_step_error_and_abort_is_exercised() -> None:
    strings = json.loads((PACKAGE / "strings.json").read_text())
    tests = "".join(
        p.read_text() for p in (TESTS / "integration" / "config_flow").glob("test_*.py")
    )
    tests += (TESTS / SETUP).read_text()
    config = strings["config"]
    named = [*config["step"], *config["error"], *config["abort"]]
    assert sorted(key for key in named if f'"{key}"' not in tests) == []


def _readme_text() -> str:
    return " ".join((ROOT / "README.md").read_text().split())


def _section(heading: str) -> str:
    readme = (ROOT / "README.md").read_text()
    assert heading in readme, heading
    return readme.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def test_the_readme_documents_every_action_and_its_fields() -> None:
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    readme = _readme_text()
    assert services
    for name, spec in services.items():
        assert f"octopus_kraken.{name}" in readme, name
        for field in spec.get("fields", {}):
            assert f"`{field}`" in readme or f"{field}:" in readme, f"{name}.{field}"


def test_the_readme_names_every_entity() -> None:
    strings = json.loads((PACKAGE / "strings.json").read_text())
    readme = _readme_text().lower()
    names = {
        item["name"]
        for platform in strings["entity"].values()
        for item in platform.values()
        if "name" in item
    }
    missing = sorted(
        name
        for name in names
        if name.lower() not in readme and name.lower().replace(" ", "_") not in readme
    )
    assert missing == []


@pytest.mark.parametrize(
    "heading",
    [
        "### How data is updated",
        "### Automation examples",
        "### Known limitations",
        "### Supported devices",
        "## Troubleshooting (general)",
        "### Use cases",
    ],
)
def test_the_readme_has_every_overview_section(heading: str) -> None:
    assert len(_section(heading).split()) > 40, heading


def test_every_entity_and_action_has_an_icon() -> None:
    strings = json.loads((PACKAGE / "strings.json").read_text())
    icons = json.loads((PACKAGE / "icons.json").read_text())
    missing = [
        f"{platform}.{key}"
        for platform, items in strings["entity"].items()
        for key in items
        if key not in icons["entity"].get(platform, {})
    ]
    missing += [name for name in strings["services"] if name not in icons["services"]]
    assert missing == []


def test_the_test_command_fails_under_95_percent_coverage() -> None:
    script = (ROOT / "scripts" / "test").read_text()
    assert "--include='custom_components/*' --fail-under=95" in script
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec scripts/test")
