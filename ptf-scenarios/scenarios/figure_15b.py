"""Seed Figure 15B/15C (¶163-166): a pool of like firewalls with a spare; a member fails, the spare takes over.

Catalog: examples/figure-15b.yaml. Port 1 uplink; pool acme-firewalls: fw-1 (2/3) and fw-2 (4/5) carry traffic,
fw-3 (6/7) is the spare; 8 app-1. Services w1 and w3 are placed on fw-1, w2 on fw-2 (stable per service).
The controller sends heartbeats through each firewall (out of one side, back on the other: the test's player
passes them); when fw-1 stops passing them, its services move to fw-3 and w2 stays on fw-2.
"""
from sfc_ptf import ScenarioTest

UPLINK = 1
APP = (8, 0x0801)  # app-1: port, MAC
FW1 = (2, 3, 0x0201, 0x0301)  # outside port, inside port, outside MAC, inside MAC
FW2 = (4, 5, 0x0401, 0x0501)
FW3 = (6, 7, 0x0601, 0x0701)
W1, W2, W3 = "203.0.113.1", "203.0.113.2", "203.0.113.3"


class Figure15B(ScenarioTest):
    CATALOG = "examples/figure-15b.yaml"


class MembersCarryTheirServicesAndTheSpareNothing(Figure15B):
    def runTest(self):
        self.through_firewall(W1, FW1, APP)
        self.through_firewall(W2, FW2, APP)
        self.through_firewall(W3, FW1, APP)


class SpareTakesOverAFailedMemberAndHandsBack(Figure15B):
    def runTest(self):
        self.player.silence("fw-1")
        self.wait_devices(lambda s: s == "failed", "failed", devices=["fw-1"], timeout=5)
        listed = self.sfc("device", "list").stdout  # what an operator sees
        self.assertRegex(listed, r"(?m)^fw-1 .*failed: spare fw-3", listed)
        self.through_firewall(W1, FW3, APP, sport=40001)
        self.through_firewall(W3, FW3, APP, sport=40001)
        self.through_firewall(W2, FW2, APP, sport=40001)  # fw-2's service never moved
        self.player.revive("fw-1")
        self.wait_devices(lambda s: s == "healthy", "healthy", devices=["fw-1"], timeout=10)
        self.through_firewall(W1, FW1, APP, sport=40002)
        self.through_firewall(W3, FW1, APP, sport=40002)


class MaintenanceDrainMovesOneMemberToTheSpareUntilRestored(Figure15B):
    """Seed ¶197: `sfc device drain fw-2 --to fw-3` during business hours moves w2 to the spare, hitless for w1
    and w3 on fw-1; `sfc device restore fw-2` brings it back."""

    def runTest(self):
        self.sfc("device", "drain", "fw-2", "--to", "fw-3")
        self.wait_devices(lambda s: s == "drained", "drained", devices=["fw-2"], timeout=5)
        self.through_firewall(W2, FW3, APP, sport=40003)
        self.through_firewall(W1, FW1, APP, sport=40003)
        self.through_firewall(W3, FW1, APP, sport=40003)
        self.sfc("device", "restore", "fw-2")
        self.wait_devices(lambda s: s == "healthy", "healthy", devices=["fw-2"], timeout=5)
        self.through_firewall(W2, FW2, APP, sport=40004)
