"""Seed Figure 12 (¶145-148): a proxy; its own requests go through a firewall to the Internet and back.

Catalog: examples/figure-12.yaml. Port 1 uplink (router ...a1); 2 proxy-1251 (...0201); 3/4 fw-1261
outside/inside. proxy = W1 203.0.113.10:8080 -> the proxy. proxy-egress: packets from PROXY (198.51.100.12)
arriving from the proxy's port -> firewall (outside in, inside out) -> the Internet; the replies reversed.
"""
from sfc_ptf import ScenarioTest, tcp, returned

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, PROXY, FW_OUT, FW_IN = 1, 2, 3, 4
PROXY_MAC, FW_OUT_MAC, FW_IN_MAC = 0x0201, 0x0301, 0x0401
W1, PROXY_IP, CLIENT, HOST = "203.0.113.10", "198.51.100.12", "192.0.2.7", "192.0.2.80"


class Figure12(ScenarioTest):
    CATALOG = "examples/figure-12.yaml"


class ClientToProxyAndBack(Figure12):
    """Client -> W1:8080 reaches the proxy; the proxy's answer from W1 goes straight to the router."""

    def runTest(self):
        self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 8080), PROXY, PROXY_MAC, 0)
        self.hop(PROXY, tcp(SWITCH, PROXY_MAC, W1, CLIENT, 8080, 40000, flags="SA"), UPLINK, ROUTER, 0)


class ProxyRequestsGoThroughTheFirewallToTheInternet(Figure12):
    """PROXY -> an Internet host: firewall outside (tag 1), inside -> router; the reply: inside (tag 2),
    outside -> the proxy."""

    def runTest(self):
        to_fw = self.hop(PROXY, tcp(SWITCH, PROXY_MAC, PROXY_IP, HOST, 50000, 80), FW_OUT, FW_OUT_MAC, 1)
        self.hop(FW_IN, returned(to_fw, FW_IN_MAC), UPLINK, ROUTER, 0)
        to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, HOST, PROXY_IP, 80, 50000, flags="SA"), FW_IN, FW_IN_MAC, 2)
        self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), PROXY, PROXY_MAC, 0)


class OnlyTheProxysPortMayUseTheEgressChain(Figure12):
    """PROXY's address arriving from the uplink toward an Internet host is not the proxy: nothing leaves."""

    def runTest(self):
        self.send(UPLINK, tcp(SWITCH, ROUTER, PROXY_IP, HOST, 50000, 80))
        self.expect_nothing()
