"""Tests cannot reach the network, neither through Python sockets nor through libcurl (curl_cffi)."""

from __future__ import annotations

import socket

import pytest
from curl_cffi import requests as curl_requests
from pytest_socket import SocketBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_python_sockets_are_blocked():
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_libcurl_requests_are_blocked():
    with pytest.raises(RuntimeError, match="network access is disabled in tests"):
        curl_requests.Session().get("https://query2.finance.yahoo.com/v8/finance/chart/%5ERUT", timeout=2)
