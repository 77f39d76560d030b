"""The peak memory of this process, counted from the program it runs."""

from __future__ import annotations


def peak_mb() -> float:
    """This process's peak resident memory in MB: its high-water mark (VmHWM).

    getrusage's ru_maxrss is not used: on Linux it carries the parent's peak across
    fork and exec, so a small command started by a large process (the benchmark,
    pytest) would report the parent's figure."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    import resource  # elsewhere: the best there is

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
