"""The simulator and a real ``hass`` process on loopback, sharing one clock the test can move.

Both processes run under libfaketime (Debian's ``faketime`` package) reading their offset from a
file, so moving the clock is writing a new offset: the simulator publishes tomorrow's Agile prices
and Home Assistant's timers (slot boundaries, the 16:00 poll) fire exactly as they would at that
time of day. The offset only ever grows: monotonic clocks move with it, and they must not go back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
# Debian's faketime package (installed by scripts/setup), whatever the architecture.
FAKETIME_LIBRARY = next(
    iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))),
    Path("/usr/lib/faketime/libfaketime.so.1"),
)

CONFIGURATION = """\
homeassistant:
  name: Octopus Kraken end-to-end
  time_zone: Europe/London
  country: GB
  currency: GBP
  unit_system: metric
  latitude: 51.5
  longitude: -0.12
  elevation: 10
http:
  server_host: 127.0.0.1
  server_port: {port}
frontend:
config:
energy:
history:
recorder:
  commit_interval: 1
api:
logger:
  default: info
  logs:
    custom_components.octopus_kraken: debug
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Clock:
    """The shared fake clock: an offset in whole seconds from the machine's clock."""

    path: Path
    offset: int = 0

    def write(self) -> None:
        """Hand the offset to both processes (they re-read it within a second)."""
        self.path.write_text(f"+{self.offset}\n")

    def now(self) -> datetime:
        """What both processes read as the time now."""
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def move_to(self, instant: datetime) -> None:
        """Jump forward to ``instant`` (a move back is refused: monotonic clocks follow)."""
        step = int((instant - self.now()).total_seconds())
        if step < 0:
            raise ValueError("the shared clock only moves forward")
        self.offset += step
        self.write()


@dataclass
class Stack:
    """Where everything runs and the processes that run it."""

    workdir: Path
    clock: Clock
    joined: datetime  # when the simulated customers' agreements start
    ha_port: int = field(default_factory=free_port)
    sim_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def config_dir(self) -> Path:
        return self.workdir / "config"

    @property
    def ha_url(self) -> str:
        return f"http://127.0.0.1:{self.ha_port}"

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    @property
    def log_path(self) -> Path:
        return self.config_dir / "home-assistant.log"

    def env(self) -> dict[str, str]:
        """The environment of a process on the shared clock."""
        env = dict(os.environ)
        env.update(
            LD_PRELOAD=str(FAKETIME_LIBRARY),
            FAKETIME_TIMESTAMP_FILE=str(self.clock.path),
            FAKETIME_CACHE_DURATION="1",
            PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "simulator")]),
            # The venv holds no bytecode (scripts/test runs without writing it): cache the
            # compiled modules beside the venv so only the first run pays for compiling them.
            PYTHONPYCACHEPREFIX=str(Path(sys.prefix) / "e2e-pycache"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def install_integration(self) -> None:
        """Copy the integration folder into the config, as HACS installs it."""
        target = self.config_dir / "custom_components" / "octopus_kraken"
        shutil.copytree(
            ROOT / "custom_components" / "octopus_kraken",
            target,
            ignore=shutil.ignore_patterns("__pycache__"),
        )

    def write_config(self) -> None:
        """A minimal configuration; onboarding's location step is marked done beforehand.

        That step would add integrations that reach the internet (weather, radio); the test
        completes the others through the onboarding API.
        """
        storage = self.config_dir / ".storage"
        storage.mkdir(parents=True)
        (storage / "onboarding").write_text(
            '{"version": 4, "minor_version": 1, "key": "onboarding",'
            ' "data": {"done": ["core_config"]}}'
        )
        (self.config_dir / "configuration.yaml").write_text(CONFIGURATION.format(port=self.ha_port))

    def start(self) -> None:
        """Start the simulator and Home Assistant."""
        self.config_dir.mkdir(parents=True)
        self.write_config()
        self.install_integration()
        env = self.env()
        python = sys.executable
        sim_log = (self.workdir / "simulator.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [
                    *(python, "-m", "tests.e2e.simulator_world"),
                    *("--port", str(self.sim_port), "--joined", self.joined.isoformat()),
                ],
                env=env,
                cwd=ROOT,
                stdout=sim_log,
                stderr=subprocess.STDOUT,
            )
        )
        ha_out = (self.workdir / "hass.out").open("wb")
        self.processes.append(
            subprocess.Popen(
                [python, "-m", "homeassistant", "--config", str(self.config_dir), "--skip-pip"],
                env=env,
                stdout=ha_out,
                stderr=subprocess.STDOUT,
            )
        )

    def alive(self) -> bool:
        """Both processes still run."""
        return all(proc.poll() is None for proc in self.processes)

    def stop(self) -> None:
        """Stop Home Assistant first (it flushes the recorder), then the simulator."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def tomorrow_at(now: datetime, local_hour: int, local_minute: int) -> datetime:
    """``local_hour:local_minute`` UK time on the UK day after ``now``'s.

    A day ahead of the machine's clock, so a browser on the machine's clock sees as "today" the
    fake yesterday: the last day whose consumption is complete.
    """
    day = now.astimezone(LONDON).date() + timedelta(days=1)
    local = datetime(day.year, day.month, day.day, local_hour, local_minute, tzinfo=LONDON)
    return local.astimezone(UTC)


@contextlib.contextmanager
def running_stack(workdir: Path, start_at_local: tuple[int, int]) -> Iterator[Stack]:
    """Start everything with the shared clock at tomorrow's UK ``start_at_local``; stop at exit."""
    clock = Clock(workdir / "faketime")
    start = tomorrow_at(datetime.now(UTC), *start_at_local)
    clock.move_to(start)
    joined = datetime.combine(
        start.astimezone(LONDON).date() - timedelta(days=8), datetime.min.time(), LONDON
    ).astimezone(UTC)
    stack = Stack(workdir, clock, joined)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def wait_for[T](what: str, probe: Callable[[], T | None], timeout: float = 30) -> T:
    """Poll ``probe`` until it returns something other than None/False."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.25)
