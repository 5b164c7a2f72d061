"""An offline build does not load the network libraries: they are imported only when something fetches.

Run in a fresh interpreter (this test process has them loaded already: the fixtures block curl_cffi).
"""

from __future__ import annotations

import json
import subprocess
import sys

from generator import paths

NETWORK = ("curl_cffi", "yfinance", "requests")

OFFLINE_IMPORTS = """
import json, sys
import generator.build, generator.cli
from generator.claims import all_claims
all_claims()  # every claim module, with the chart and source helpers they import
import generator.charts.render, generator.pages.reader, generator.sources.net, generator.sources.fund_flows
from generator.sources.net import PROBES, one_line
print(json.dumps(sorted(m for m in {network} if m in sys.modules)))
"""

ASKING_FOR_A_SESSION = """
import sys
from generator.sources.net import CappedTimeoutSession
from curl_cffi import requests
assert issubclass(CappedTimeoutSession, requests.Session), CappedTimeoutSession.__mro__
print(CappedTimeoutSession.__module__, CappedTimeoutSession.__name__, "curl_cffi" in sys.modules)
"""


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.REPO_ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_an_offline_build_path_imports_no_network_library():
    assert json.loads(run(OFFLINE_IMPORTS.format(network=NETWORK))) == []


def test_asking_for_a_session_loads_curl_cffi_and_gives_a_real_session_class():
    assert run(ASKING_FOR_A_SESSION) == "generator.sources.net CappedTimeoutSession True"
