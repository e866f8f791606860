"""Seed Figure 9C (¶128-129): after negotiating an address and a port, the session takes a different chain.

Catalog: examples/figure-9c.yaml. Port 1 uplink; 2/3 fw-1; 4 ids-1 (inline, one port, DSCP tagged); 5 app-972.
session-setup: W1 = 203.0.113.10:21 -> fw-1 -> ids-1 -> app-972. negotiated: APP1 = 198.51.100.72, any port
1025-65535 -> fw-1 -> app-972 (the IDS is not in that chain).
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, IDS, APP = 1, 2, 3, 4, 5
FW_OUT_MAC, FW_IN_MAC, IDS_MAC, APP_MAC = 0x0201, 0x0301, 0x0401, 0x0501
W1, APP1, CLIENT = "203.0.113.10", "198.51.100.72", "198.51.100.7"


class Figure9C(ScenarioTest):
    CATALOG = "examples/figure-9c.yaml"


class SessionSetupThroughFirewallIdsAndServer(Figure9C):
    def runTest(self):
        to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 21), FW_OUT, FW_OUT_MAC, 1)
        to_ids = self.hop(FW_IN, rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC), IDS, IDS_MAC, 2)
        self.hop(IDS, rewrite(to_ids, dst_mac=SWITCH, src_mac=IDS_MAC), APP, APP_MAC, 0)
        # The reply: app -> IDS (tag 4) -> firewall inside (tag 5) -> outside -> the router.
        to_ids = self.hop(APP, tcp(SWITCH, APP_MAC, W1, CLIENT, 21, 40000, flags="SA"), IDS, IDS_MAC, 4)
        to_fw = self.hop(IDS, rewrite(to_ids, dst_mac=SWITCH, src_mac=IDS_MAC), FW_IN, FW_IN_MAC, 5)
        self.hop(FW_OUT, rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC), UPLINK, ROUTER, 0)


class NegotiatedAddressAndPortSkipTheIds(Figure9C):
    def runTest(self):
        for port in (1025, 50000, 65535):
            to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, APP1, 40000, port), FW_OUT, FW_OUT_MAC, 1)
            self.hop(FW_IN, rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC), APP, APP_MAC, 0)
            to_fw = self.hop(APP, tcp(SWITCH, APP_MAC, APP1, CLIENT, port, 40000, flags="A"), FW_IN, FW_IN_MAC, 3)
            self.hop(FW_OUT, rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC), UPLINK, ROUTER, 0)


class NegotiatedAddressBelowTheRangeGoesNowhere(Figure9C):
    """APP1:80 and APP1:1024 are not part of the negotiated service."""

    def runTest(self):
        for port in (80, 1024):
            self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, APP1, 40000, port))
        self.expect_nothing()
