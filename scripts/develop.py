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
import urllib.parse
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = Path(os.environ.get("DEV_DIR", ROOT / ".dev"))
CONFIG_DIR = DEV_DIR / "config"
HA_PORT = int(os.environ.get("HA_PORT", "8123"))
SIM_PORT = int(os.environ.get("SIM_PORT", "8099"))
HA_URL = f"http://127.0.0.1:{HA_PORT}"
SIM_URL = f"http://127.0.0.1:{SIM_PORT}"
CLIENT_ID = f"{HA_URL}/"
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


def request(
    method: str, url: str, *, body: Any = None, token: str | None = None, form: bool = False
) -> Any:
    """A small JSON-over-HTTP helper (standard library only)."""
    headers = {}
    data = None
    if body is not None:
        if form:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    return json.loads(text) if text else None


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


def onboard() -> str:
    """Complete onboarding (first run) or log in; return an access token."""
    status = request("GET", f"{HA_URL}/api/onboarding")
    done = {step["step"] for step in status if step["done"]}
    if "user" not in done:
        result = request(
            "POST",
            f"{HA_URL}/api/onboarding/users",
            body={
                "client_id": CLIENT_ID,
                "name": "Demo",
                "username": USERNAME,
                "password": PASSWORD,
                "language": "en",
            },
        )
        token = exchange_code(result["auth_code"])
    else:
        token = login()
    if "core_config" not in done:
        request("POST", f"{HA_URL}/api/onboarding/core_config", body={}, token=token)
    if "analytics" not in done:
        request("POST", f"{HA_URL}/api/onboarding/analytics", body={}, token=token)
    if "integration" not in done:
        request(
            "POST",
            f"{HA_URL}/api/onboarding/integration",
            body={"client_id": CLIENT_ID, "redirect_uri": f"{HA_URL}/?auth_callback=1"},
            token=token,
        )
    return token


def exchange_code(code: str) -> str:
    """Trade an authorization code for an access token."""
    tokens = request(
        "POST",
        f"{HA_URL}/auth/token",
        body={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
        form=True,
    )
    return str(tokens["access_token"])


def login() -> str:
    """Log in as the demo user through the login flow."""
    flow = request(
        "POST",
        f"{HA_URL}/auth/login_flow",
        body={
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{HA_URL}/?auth_callback=1",
        },
    )
    result = request(
        "POST",
        f"{HA_URL}/auth/login_flow/{flow['flow_id']}",
        body={"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD},
    )
    return exchange_code(result["result"])


def ensure_entry(token: str) -> None:
    """Add the integration through its config flow unless an entry exists already."""
    entries = request("GET", f"{HA_URL}/api/config/config_entries/entry", token=token)
    if any(entry["domain"] == "octopus_kraken" for entry in entries):
        print("The Octopus Energy (Kraken) entry exists already.")
        return
    step = request(
        "POST",
        f"{HA_URL}/api/config/config_entries/flow",
        body={"handler": "octopus_kraken", "show_advanced_options": False},
        token=token,
    )
    answers: dict[str, Any] = {"api_key": API_KEY, "url": SIM_URL}
    for _ in range(10):
        if step["type"] == "create_entry":
            print(f"Created the entry '{step['title']}' against the simulator.")
            return
        if step["type"] == "abort":
            sys.exit(f"The config flow aborted: {step['reason']}")
        if step["type"] == "menu":
            body: dict[str, Any] = {"next_step_id": step["menu_options"][0]}
        else:
            # Every later step pre-fills sensible defaults: submitting it unchanged accepts them.
            names = {field["name"] for field in step.get("data_schema", [])}
            body = {name: answers[name] for name in names if name in answers}
        step = request(
            "POST",
            f"{HA_URL}/api/config/config_entries/flow/{step['flow_id']}",
            body=body,
            token=token,
        )
        if step.get("errors"):
            sys.exit(f"The config flow reported errors: {step['errors']}")
    sys.exit("The config flow did not finish in 10 steps")


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
    token = onboard()
    ensure_entry(token)
    print(
        "\n"
        f"  Home Assistant: {HA_URL}\n"
        f"  User name:      {USERNAME}\n"
        f"  Password:       {PASSWORD}\n"
        f"  Simulator:      {SIM_URL} (API key {API_KEY})\n"
        "  Press Ctrl-C to stop.\n",
        flush=True,
    )
    while hass.poll() is None:
        time.sleep(1)
    stop()


if __name__ == "__main__":
    main()
