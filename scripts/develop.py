"""Run the simulator and Home Assistant together, set up like a newcomer would see it.

Onboarding is completed through Home Assistant's own onboarding API (creating the demo user),
and the config entry is created through the integration's real config flow over the REST API,
so what you see is exactly what a user who typed the simulator's key would see.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import signal
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.request

import aiohttp
from ha_client import HomeAssistantClient

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = Path(os.environ.get("DEV_DIR", ROOT / ".dev"))
CONFIG_DIR = DEV_DIR / "config"
HA_PORT = int(os.environ.get("HA_PORT", "8123"))
SIM_PORT = int(os.environ.get("SIM_PORT", "8099"))
HA_URL = f"http://127.0.0.1:{HA_PORT}"
SIM_URL = f"http://127.0.0.1:{SIM_PORT}"
USERNAME = "demo"
PASSWORD = "octopus-demo"  # a local demo account, printed for the user
API_KEY = "sk_test_simulator"

CONFIGURATION = f"""\
# Written by scripts/develop: a minimal Home Assistant for trying the integration.
homeassistant:
  name: Octopus Kraken demo
  time_zone: Europe/London
  country: GB
  currency: GBP
  unit_system: metric
http:
  server_host: 127.0.0.1
  server_port: {HA_PORT}
frontend:
config:
energy:
history:
logbook:
recorder:
api:
automation: !include automations.yaml
logger:
  default: info
  logs:
    custom_components.octopus_kraken: debug
"""


def prepare_config() -> None:
    """Create the config folder with the integration linked in."""
    CONFIG_DIR.mkdir(parents=True, exist_ok=True)
    storage = CONFIG_DIR / ".storage"
    storage.mkdir(exist_ok=True)
    onboarding = storage / "onboarding"
    if not onboarding.exists():
        # Only the user step is left to do: the core_config step would add integrations that
        # need the internet (radio browser, weather), which is noise in a demo.
        onboarding.write_text(
            json.dumps(
                {
                    "version": 4,
                    "minor_version": 1,
                    "key": "onboarding",
                    "data": {"done": ["core_config", "analytics", "integration"]},
                }
            )
        )
    (CONFIG_DIR / "configuration.yaml").write_text(CONFIGURATION)
    automations = CONFIG_DIR / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n")
    custom = CONFIG_DIR / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / "octopus_kraken"
    if not link.exists():
        link.symlink_to(ROOT / "custom_components" / "octopus_kraken")
    blueprints = CONFIG_DIR / "blueprints" / "automation"
    source = ROOT / "blueprints" / "automation" / "octopus_kraken"
    if source.exists():
        blueprints.mkdir(parents=True, exist_ok=True)
        if not (blueprints / "octopus_kraken").exists():
            (blueprints / "octopus_kraken").symlink_to(source)


def wait_for(url: str, what: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Wait until ``url`` answers (any HTTP status) or the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{what} exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    sys.exit(f"{what} did not start within {timeout:.0f} s")


def ensure_entry(ha: HomeAssistantClient) -> None:
    """Add the integration through its config flow unless an entry exists already."""
    if ha.entries():
        print("The Octopus Energy (Kraken) entry exists already.")
        return
    created = ha.run_config_flow({"api_key": API_KEY, "url": SIM_URL})
    print(f"Created the entry '{created['title']}' against the simulator.")


def ensure_energy_dashboard(
    ha: HomeAssistantClient, hass: subprocess.Popen[bytes], timeout: float = 900
) -> None:
    """Fill the Energy dashboard with the integration's statistics once they exist.

    Left alone when it is configured already (by the user or a previous run). The first import
    (a year of hourly rows per meter) takes the recorder a few minutes.
    """
    try:
        (prefs,) = ha.ws({"type": "energy/get_prefs"})
    except RuntimeError:  # never configured
        prefs = {}
    if prefs.get("energy_sources"):
        return
    print("Waiting for the first statistics import to fill the Energy dashboard...", flush=True)
    deadline = time.monotonic() + timeout
    ids: list[str] = []
    while len(ids) < 6 and time.monotonic() < deadline and hass.poll() is None:
        time.sleep(5)
        try:
            ids = ha.statistic_ids()
        except (OSError, RuntimeError, aiohttp.ClientError):
            continue  # Home Assistant busy or stopping: ask again
    if ids and hass.poll() is None:
        ha.configure_energy(ids)
        print(f"The Energy dashboard shows {len(ids)} Octopus statistics.", flush=True)


def main() -> None:
    """Start both servers, configure Home Assistant, then wait for Ctrl-C."""
    prepare_config()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "simulator"))
    simulator = subprocess.Popen(
        [sys.executable, "-m", "octopus_simulator", "--port", str(SIM_PORT), "--host", "127.0.0.1"],
        env=env,
    )
    hass = subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "--config", str(CONFIG_DIR)], env=env
    )

    def stop(*_: Any) -> None:
        for proc in (hass, simulator):
            if proc.poll() is None:
                proc.terminate()
        for proc in (hass, simulator):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    wait_for(f"{SIM_URL}/v1/products/", "The simulator", simulator)
    wait_for(f"{HA_URL}/api/onboarding", "Home Assistant", hass)
    ha = HomeAssistantClient(HA_URL)
    ha.onboard("Demo", USERNAME, PASSWORD)
    ensure_entry(ha)
    print(
        "\n"
        f"  Home Assistant: {HA_URL}\n"
        f"  User name:      {USERNAME}\n"
        f"  Password:       {PASSWORD}\n"
        f"  Simulator:      {SIM_URL} (API key {API_KEY})\n"
        "  Press Ctrl-C to stop.\n",
        flush=True,
    )
    ensure_energy_dashboard(ha, hass)
    while hass.poll() is None:
        time.sleep(1)
    stop()


if __name__ == "__main__":
    main()
