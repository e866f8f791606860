"""Seed Figure 5 (¶100-105): one server reached three ways.

Catalog: examples/figure-5.yaml. Port 1 uplink (router ...a1); port 2 srv-loopback (W1 = 203.0.113.1 on its
loopback, 5B-5D), port 3 srv-alias (W2 = 203.0.113.2 as an alias, 5E-5G): only the MACs are rewritten; port 4
srv-nat (5H-5J): W3 = 203.0.113.3 is translated to S1 = 10.0.0.5 and the reply back to W3.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK = 1
CLIENT = "198.51.100.7"


class Figure5(ScenarioTest):
    CATALOG = "examples/figure-5.yaml"

    def round_trip(self, service_ip, port, server_mac, server_ip):
        """Client -> service_ip:80 must reach port as server_ip; the server's answer must leave as service_ip."""
        request = tcp(SWITCH, ROUTER, CLIENT, service_ip, 40000, 80)
        self.send(UPLINK, request)
        self.expect_only({port: rewrite(request, dst_mac=server_mac, src_mac=SWITCH, dst=server_ip)})
        answer = tcp(SWITCH, server_mac, server_ip, CLIENT, 80, 40000, flags="SA")
        self.send(port, answer)
        self.expect_only({UPLINK: rewrite(answer, dst_mac=ROUTER, src_mac=SWITCH, src=service_ip)})


class Loopback(Figure5):
    """5B-5D: the server owns W1 on its loopback; it gets the client's packet unchanged but for the MACs."""

    def runTest(self):
        self.round_trip("203.0.113.1", 2, 0x0201, "203.0.113.1")


class Alias(Figure5):
    """5E-5G: W2 is an alias address of the server's interface: MACs only, both ways."""

    def runTest(self):
        self.round_trip("203.0.113.2", 3, 0x0301, "203.0.113.2")


class Nat(Figure5):
    """5H-5J: W3 -> S1 toward the server (IP and TCP checksums recomputed); S1 -> W3 on the way back."""

    def runTest(self):
        self.round_trip("203.0.113.3", 4, 0x0401, "10.0.0.5")


class EachAddressOnlyToItsServer(Figure5):
    """Another port of a service address, or an address of no service, leaves nowhere."""

    def runTest(self):
        for dst, dport in (("203.0.113.1", 443), ("203.0.113.9", 80)):
            self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, dst, 40000, dport))
        self.expect_nothing()
