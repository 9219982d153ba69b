"""Run wrk (Debian's package) and read its figures."""
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"


@dataclass(frozen=True)
class Run:
    """One wrk run's figures."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(output: str) -> Run:
    """Pull requests/s, p50, p99 and error counts out of `wrk --latency` output."""
    if "Latency Distribution" not in output:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Run(rps, p50, p99, errors + (int(non2xx.group(1)) if non2xx else 0))


def run(url: str, seconds: float, connections: int, threads: int = 2,
        headers: dict | None = None, script: str | None = None, env: dict | None = None) -> Run:
    """Drive url with wrk for a while and return its figures."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA_DIR / script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True, env=env).stdout
    return parse(output)
