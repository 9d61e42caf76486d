"""The NAF rev. 2 subclasses (activity codes), from data/naf.json (bin/refresh_referentials)."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "naf.json"


@cache
def naf_codes():
    """{code: label} of the 732 subclasses, e.g. {"47.24Z": "Commerce de détail de pain…"}."""
    codes = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    return {entry["code"]: entry["label"] for entry in codes}


def naf_option(code):
    """How a code is shown in the activity list: "47.24Z — Commerce de détail de pain…"."""
    return f"{code} — {naf_codes()[code]}"


@cache
def naf_options():
    """Every subclass as shown in the activity list (built once per process)."""
    return [naf_option(code) for code in naf_codes()]


def naf_code_in(text):
    """The NAF code a typed activity refers to, if it starts with one (else None)."""
    candidate = (text or "").strip()[:6].upper()
    return candidate if candidate in naf_codes() else None
