"""Seed Figure 15B/15C (¶163-166): a pool of like firewalls with a spare; a member fails, the spare takes over.

Catalog: examples/figure-15b.yaml. Port 1 uplink; pool acme-firewalls: fw-1 (2/3) and fw-2 (4/5) carry traffic,
fw-3 (6/7) is the spare; 8 app-1. Services w1 and w3 are placed on fw-1, w2 on fw-2 (stable per service).
The controller sends heartbeats through each firewall (out of one side, back on the other: the test's player
passes them); when fw-1 stops passing them, its services move to fw-3 and w2 stays on fw-2.
"""
from sfc_ptf import ScenarioTest, tcp, returned

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, APP, APP_MAC = 1, 8, 0x0801
FW1 = (2, 3, 0x0201, 0x0301)  # outside port, inside port, outside MAC, inside MAC
FW2 = (4, 5, 0x0401, 0x0501)
FW3 = (6, 7, 0x0601, 0x0701)
CLIENT = "198.51.100.7"
W1, W2, W3 = "203.0.113.1", "203.0.113.2", "203.0.113.3"


class Figure15B(ScenarioTest):
    CATALOG = "examples/figure-15b.yaml"

    def through(self, service_ip, fw, sport=40000):
        """A request and its reply for service_ip must cross firewall fw (both ways) and reach app-1."""
        out_port, in_port, out_mac, in_mac = fw
        to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, service_ip, sport, 443), out_port, out_mac, 1)
        self.hop(in_port, returned(to_fw, in_mac), APP, APP_MAC, 0)
        to_fw = self.hop(APP, tcp(SWITCH, APP_MAC, service_ip, CLIENT, 443, sport, flags="SA"), in_port, in_mac, 3)
        self.hop(out_port, returned(to_fw, out_mac), UPLINK, ROUTER, 0)


class MembersCarryTheirServicesAndTheSpareNothing(Figure15B):
    def runTest(self):
        self.through(W1, FW1)
        self.through(W2, FW2)
        self.through(W3, FW1)


class SpareTakesOverAFailedMemberAndHandsBack(Figure15B):
    def runTest(self):
        self.player.silence("fw-1")
        self.wait_devices(lambda s: s == "failed", "failed", devices=["fw-1"], timeout=5)
        self.through(W1, FW3, sport=40001)
        self.through(W3, FW3, sport=40001)
        self.through(W2, FW2, sport=40001)  # fw-2's service never moved
        self.player.revive("fw-1")
        self.wait_devices(lambda s: s == "healthy", "healthy", devices=["fw-1"], timeout=10)
        self.through(W1, FW1, sport=40002)
        self.through(W3, FW1, sport=40002)
