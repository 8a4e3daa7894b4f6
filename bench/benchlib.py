"""Helpers shared by the benchmark harnesses (bench/compute, bench/stacks)."""
import os
import platform
import subprocess


def machine_summary():
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem_gib = 0.0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_gib = int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {mem_gib:.0f} GiB, Linux {platform.release()}"
