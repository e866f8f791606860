"""Seed Figure 20 (¶198): replacing a firewall regenerates every service that used it; rollback undoes it.

Catalog: examples/figure-20.yaml. Port 1 uplink; fw-2061 (2/3), fw-2062 (4/5), fw-2063 (6/7); 8 app-1.
w1, w5, w9 use fw-2061; w2 uses fw-2063. `sfc device replace fw-2061 fw-2062` (through the controller) makes a
new catalog version in which w1/w5/w9 use fw-2062; w2 is untouched. `sfc catalog rollback` restores the old one.
"""
from sfc_ptf import ScenarioTest

UPLINK = 1
APP = (8, 0x0801)  # app-1: port, MAC
FW2061 = (2, 3, 0x0201, 0x0301)
FW2062 = (4, 5, 0x0401, 0x0501)
FW2063 = (6, 7, 0x0601, 0x0701)
W1, W5, W9, W2 = "203.0.113.1", "203.0.113.5", "203.0.113.9", "203.0.113.2"


class Figure20(ScenarioTest):
    CATALOG = "examples/figure-20.yaml"


    def version(self):
        return self.api.status()["version"]


class ReplaceRegeneratesEveryServiceOfTheOldDevice(Figure20):
    def runTest(self):
        before = self.version()
        for ip in (W1, W5, W9):
            self.through_firewall(ip, FW2061, APP)
        self.through_firewall(W2, FW2063, APP)

        out = self.sfc("device", "replace", "fw-2061", "fw-2062").stdout
        self.assertGreater(self.version(), before, "the replacement is a new catalog version:\n" + out)
        for ip in (W1, W5, W9):  # their chains changed: under their other step version
            self.through_firewall(ip, FW2062, APP, version=1)
        self.through_firewall(W2, FW2063, APP)

        self.sfc("catalog", "rollback", str(before))
        for ip in (W1, W5, W9):
            self.through_firewall(ip, FW2061, APP)
        self.through_firewall(W2, FW2063, APP)
