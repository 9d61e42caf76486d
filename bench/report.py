"""How benchmarks print their figures: one `name: value unit` line each."""

import statistics
import time


def figure(name, value, unit):
    if unit == "x":
        text = f"{value:.2f} x"
    elif isinstance(value, int):
        text = f"{value} {unit}"
    else:
        text = f"{value:.1f} {unit}"
    print(f"{name}: {text}", flush=True)


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    func(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def percentile(values, share):
    values = sorted(values)
    return values[max(int(len(values) * share) - 1, 0)]


def median(values):
    return statistics.median(values)
