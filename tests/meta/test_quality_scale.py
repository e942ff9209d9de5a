"""quality_scale.yaml lists every rule, and every rule claimed `done` has a test behind it."""

from __future__ import annotations

import ast
import json
from pathlib import Path
import subprocess
import sys
from typing import Any

import coverage
from PIL import Image
import pytest
import yaml

ROOT = Path(__file__).parents[2]
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

QS = "meta/test_quality_scale.py"
SETUP = "integration/setup/test_setup.py"
PROVEN = "integration/setup/test_quality_scale.py"
EVERY_ENTITY = "test_every_entity_has_a_unique_id_a_translated_name_and_a_device"
# rule → the test (path under tests/ :: function) that exercises what a `done` claim says.
# Documentation rules are proved on the documentation itself (the README against the
# integration's own strings and services), everything else on running code.
PROOF = {
    "action-setup": f"{SETUP}::test_actions_exist_before_any_account_is_added",
    "appropriate-polling": (
        "integration/rates/test_agile.py::"
        "test_days_across_the_clocks_going_back_cost_at_most_three_rate_requests_a_day_per_meter"
    ),
    "brands": f"{QS}::test_brand_images_have_the_sizes_home_assistant_expects",
    "common-modules": (
        f"{PROVEN}::test_every_entity_is_an_octopus_entity_fed_by_an_octopus_coordinator"
    ),
    "config-flow-test-coverage": (
        "integration/config_flow/test_user_flow.py::"
        "test_a_wrong_key_is_reported_on_the_form_and_a_right_one_then_works"
    ),
    "config-flow": (
        "integration/config_flow/test_user_flow.py::"
        "test_a_key_with_one_account_goes_straight_to_its_meters_and_creates_the_entry"
    ),
    "dependency-transparency": (
        f"{PROVEN}::test_home_assistant_reads_an_owner_and_no_requirements_from_the_manifest"
    ),
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
    "integration-owner": (
        f"{PROVEN}::test_home_assistant_reads_an_owner_and_no_requirements_from_the_manifest"
    ),
    "parallel-updates": (
        f"{PROVEN}::test_every_platform_home_assistant_loaded_declares_parallel_updates"
    ),
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
    "async-dependency": (
        "api/test_async_client.py::test_every_client_call_is_a_coroutine_and_they_run_concurrently"
    ),
    "inject-websession": f"{SETUP}::test_the_client_uses_home_assistants_shared_web_session",
    "strict-typing": f"{QS}::test_mypy_reads_a_strict_configuration_for_the_integration",
    "docs-actions": (
        f"{PROVEN}::test_the_readme_documents_every_action_and_field_home_assistant_registered"
    ),
    "docs-supported-functions": (
        f"{PROVEN}::test_the_readme_names_every_entity_home_assistant_set_up"
    ),
    "docs-data-update": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-examples": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-known-limitations": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-supported-devices": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-troubleshooting": f"{QS}::test_the_readme_has_every_overview_section",
    "docs-use-cases": f"{QS}::test_the_readme_has_every_overview_section",
    "icon-translations": (
        f"{PROVEN}::test_home_assistant_finds_an_icon_for_every_entity_and_action"
    ),
    "entity-unavailable": (
        f"{SETUP}::test_a_failing_api_makes_live_values_unavailable_and_is_logged_once"
    ),
    "log-when-unavailable": (
        f"{SETUP}::test_a_failing_api_makes_live_values_unavailable_and_is_logged_once"
    ),
    "entity-event-setup": (
        "integration/cheapest/test_binary_sensor.py::test_an_unloaded_window_stops_switching"
    ),
    "test-coverage": f"{QS}::test_coverage_fails_under_95_percent_of_the_integration",
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


def test_every_named_proof_is_collected_by_pytest(request: pytest.FixtureRequest) -> None:
    """A proof pytest would not run (a name clash, a wrong file name) proves nothing."""
    wanted = {f"tests/{proof}" for proof in PROOF.values()}
    # In a whole-suite run the session collected them already; otherwise ask pytest.
    collected = {item.nodeid.split("[")[0] for item in request.session.items}
    missing = sorted(wanted - collected)
    if missing:
        listing = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
             "-p", "no:xdist", "-p", "no:cov", *missing],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        collected |= {line.split("[")[0] for line in listing.stdout.splitlines()}
    assert sorted(wanted - collected) == []


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


def _readme_text() -> str:
    return " ".join((ROOT / "README.md").read_text().split())


def _section(heading: str) -> str:
    readme = (ROOT / "README.md").read_text()
    assert heading in readme, heading
    return readme.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


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


def test_mypy_reads_a_strict_configuration_for_the_integration() -> None:
    """strict-typing: the options mypy itself derives from pyproject.toml are the strict set."""
    # mypy is a pinned-lane tool (scripts/test type-checks there only); other lanes lack it.
    process_options = pytest.importorskip("mypy.main").process_options

    files, options = process_options(["--config-file", str(ROOT / "pyproject.toml")])
    paths = {source.path for source in files}
    assert f"{PACKAGE.relative_to(ROOT)}/__init__.py" in paths
    assert all(path.startswith(str(PACKAGE.relative_to(ROOT))) for path in paths)
    assert options.disallow_untyped_defs
    assert options.disallow_any_generics
    assert options.warn_return_any
    assert not options.implicit_reexport
    assert options.strict_equality
    assert options.disallow_untyped_calls
    assert (PACKAGE / "py.typed").is_file()  # users' type checkers see the package typed


def test_coverage_fails_under_95_percent_of_the_integration(tmp_path: Path) -> None:
    """test-coverage: the test command's coverage report fails a run that measures < 95%."""
    config = str(ROOT / "pyproject.toml")
    assert coverage.Coverage(config_file=config).get_option("report:fail_under") == 95
    # A run that executes one module of the integration half-way.
    module = tmp_path / "half.py"
    module.write_text("def used():\n    return 1\n\n\ndef unused():\n    return 2\n")
    data = tmp_path / ".coverage"
    cov = coverage.Coverage(data_file=str(data), config_file=config, source=[str(tmp_path)])
    cov.start()
    try:
        namespace: dict[str, Any] = {}
        exec(compile(module.read_text(), str(module), "exec"), namespace)
        namespace["used"]()
    finally:
        cov.stop()
    cov.save()
    # The report scripts/test runs, reading pyproject.toml as it does from the project root.
    report = subprocess.run(
        [sys.executable, "-m", "coverage", "report", f"--data-file={data}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert report.returncode == 2, report.stdout + report.stderr
    assert "less than fail-under=95" in report.stdout
