"""Seed Figure 9 (¶125-127): negotiated dynamic ports D1 stay on the service port's chain.

Catalog: examples/figure-9.yaml. W1 = 203.0.113.10. Port 1 uplink; 2/3 fw-965 outside/inside; 4 ids-951 (copy
only); 5 app-971 (owns W1). ftp = W1:21 owning 1025-1125 (fw -> app with an IDS copy); media = W1:554 owning
1126-1300 (fw -> app, no copy). The ranges never overlap, so a negotiated port says whose chain it is.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, IDS, APP = 1, 2, 3, 4, 5
FW_OUT_MAC, FW_IN_MAC, IDS_MAC, APP_MAC = 0x0201, 0x0301, 0x0401, 0x0501
W1, CLIENT = "203.0.113.10", "198.51.100.7"


class Figure9(ScenarioTest):
    CATALOG = "examples/figure-9.yaml"

    def through_firewall(self, dport):
        request = tcp(SWITCH, ROUTER, CLIENT, W1, 40000, dport)
        self.send(UPLINK, request)
        to_fw = rewrite(request, dst_mac=FW_OUT_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({FW_OUT: to_fw})
        return rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC)

    def reply(self, sport, copied):
        answer = tcp(SWITCH, APP_MAC, W1, CLIENT, sport, 40000, flags="A")
        self.send(APP, answer)
        to_fw = rewrite(answer, dst_mac=FW_IN_MAC, src_mac=SWITCH, dscp=3)
        expected = {FW_IN: to_fw}
        if copied:
            expected[IDS] = rewrite(answer, dst_mac=IDS_MAC, src_mac=SWITCH)
        self.expect_only(expected)
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC)
        self.send(FW_OUT, from_fw)
        self.expect_only({UPLINK: rewrite(from_fw, dst_mac=ROUTER, src_mac=SWITCH, dscp=0)})


class ControlPortAndItsNegotiatedPortFollowTheFtpChain(Figure9):
    """W1:21 and W1:1100 (in 1025-1125): firewall, then the server with a copy to the IDS; replies reversed."""

    def runTest(self):
        for port in (21, 1025, 1100, 1125):
            from_fw = self.through_firewall(port)
            self.send(FW_IN, from_fw)
            self.expect_only({APP: rewrite(from_fw, dst_mac=APP_MAC, src_mac=SWITCH, dscp=0),
                              IDS: rewrite(from_fw, dst_mac=IDS_MAC, src_mac=SWITCH)})
            self.reply(port, copied=True)


class MediaRangeFollowsTheMediaChain(Figure9):
    """W1:554 and W1:1126/1300 (its own range): firewall, then the server, and no IDS copy."""

    def runTest(self):
        for port in (554, 1126, 1300):
            from_fw = self.through_firewall(port)
            self.send(FW_IN, from_fw)
            self.expect_only({APP: rewrite(from_fw, dst_mac=APP_MAC, src_mac=SWITCH, dscp=0)})
            self.reply(port, copied=False)


class PortsOutsideEveryRangeGoNowhere(Figure9):
    """W1:1024 and W1:1301 belong to no service."""

    def runTest(self):
        for port in (1024, 1301, 80):
            self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40000, port))
        self.expect_nothing()
