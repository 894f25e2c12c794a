"""Native OpenTelemetry, as FastAPI 0.163 has it: `Accord(telemetry={...})`.

The public names are FastAPI's (`fastapi.telemetry`). Telemetry needs the OpenTelemetry API
(``pip install "accord[opentelemetry]"``); without it these names still import, the app runs
untraced and `get_telemetry_data` returns None.
"""

from accord.telemetry._config import TelemetryConfig as TelemetryConfig
from accord.telemetry._config import TelemetryData as TelemetryData
from accord.telemetry._config import get_telemetry_data as get_telemetry_data

__all__ = ["TelemetryConfig", "TelemetryData", "get_telemetry_data"]
