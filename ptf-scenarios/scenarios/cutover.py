"""Per-packet consistent cut-over (issue 16): a packet a device holds across a change of its chain comes back
with its old step tag and finishes the old chain; every packet sent after the change takes the new one. The
same across a rollback. The test plays fw-1 holding packets: it receives them and hands them back later.

Catalogs: ptf-scenarios/catalogs/cutover-v1.yaml (web = 203.0.113.10:80 -> fw-1 -> app-1) and cutover-v2.yaml
(fw-1 -> fw-2 -> app-1). Port 1 uplink (router ...a1); 2 fw-1; 3 fw-2 (both keep the tag); 4 app-1 (port-tagged).
Tags: under version 0 fw-1 gets 1 forward, 3 back (v1 chain); under version 1 the v2 chain's 1, 2 forward and
4, 5 back, plus 32: 33, 34, 36, 37.
"""
from sfc_ptf import ScenarioTest, tcp, returned

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW1, FW2, APP = 1, 2, 3, 4
FW1_MAC, FW2_MAC, APP_MAC = 0xf1, 0xf2, 0xc1
CLIENT, W1 = "198.51.100.7", "203.0.113.10"
V1, V2 = "ptf-scenarios/catalogs/cutover-v1.yaml", "ptf-scenarios/catalogs/cutover-v2.yaml"


class CutOver(ScenarioTest):
    CATALOG = V1

    def request(self, sport):
        return tcp(SWITCH, ROUTER, CLIENT, W1, sport, 80)

    def reply(self, sport):
        return tcp(SWITCH, APP_MAC, W1, CLIENT, 80, sport, flags="SA")


class HeldPacketsFinishTheChainTheyStartedAcrossACutOverAndARollback(CutOver):
    def runTest(self):
        version = self.api.status()["version"]
        # fw-1 holds a request on its way in and a reply on its way out (version 0 tags 1 and 3).
        held_request = self.hop(UPLINK, self.request(40001), FW1, FW1_MAC, 1)
        to_fw1 = self.hop(UPLINK, self.request(40002), FW1, FW1_MAC, 1)
        self.hop(FW1, returned(to_fw1, FW1_MAC), APP, APP_MAC, 0)
        held_reply = self.hop(APP, self.reply(40002), FW1, FW1_MAC, 3)

        self.apply(V2, note="ptf cut-over: fw-2 after fw-1")

        # A new request takes the new chain, under version 1.
        to_fw1 = self.hop(UPLINK, self.request(40003), FW1, FW1_MAC, 33)
        to_fw2 = self.hop(FW1, returned(to_fw1, FW1_MAC), FW2, FW2_MAC, 34)
        self.hop(FW2, returned(to_fw2, FW2_MAC), APP, APP_MAC, 0)
        # What fw-1 held finishes the old chain: the request straight to app-1, the reply to the client.
        self.hop(FW1, returned(held_request, FW1_MAC), APP, APP_MAC, 0)
        self.hop(FW1, returned(held_reply, FW1_MAC), UPLINK, ROUTER, 0)

        # fw-1 holds a version 1 request; the rollback (after the cut-over's drain) flips web back to version 0.
        held_request = self.hop(UPLINK, self.request(40004), FW1, FW1_MAC, 33)
        self.sfc("catalog", "rollback", str(version))
        self.hop(UPLINK, self.request(40005), FW1, FW1_MAC, 1)  # (and fw-1 drops it: a new one, old chain)
        to_fw2 = self.hop(FW1, returned(held_request, FW1_MAC), FW2, FW2_MAC, 34)
        self.hop(FW2, returned(to_fw2, FW2_MAC), APP, APP_MAC, 0)
        self.expect_nothing()
