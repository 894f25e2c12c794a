"""What the figures depend on: the machine, its load, and the installed versions."""

import os
import platform
import sys
from importlib import metadata
from typing import Any

DISTRIBUTIONS = (
    "accord",
    "fastapi",
    "litestar",
    "starlette",
    "pydantic",
    "pydantic-core",
    "uvicorn",
    "uvloop",
    "httptools",
    "granian",
    "msgspec",
    "email-validator",
)


def versions() -> dict[str, str]:
    """Installed versions of everything that can change the figures."""
    found = {"python": sys.version.split()[0]}
    for dist in DISTRIBUTIONS:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "absent"
    return found


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (other work on the machine skews every figure)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def machine() -> dict[str, Any]:
    """CPU, cores, memory, OS and interpreter of this machine."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "virtualized": _hypervisor(),
    }


def _hypervisor() -> bool:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            return any("hypervisor" in line for line in cpuinfo if line.startswith("flags"))
    except OSError:
        return False
