"""Seed Figure 11/11A (¶140-144): each service IP's traffic is copied only to its own IDS.

Catalog: examples/figure-11.yaml. Port 1 uplink; 2/3 fw-1; 4 ids-1; 5 ids-2; 6 app-1; 7 app-2.
w1 = 203.0.113.1:443: fw-1 -> app-1, copies of the server's traffic to ids-1.
w2 = 203.0.113.2:443: fw-1 and app-2, each step's traffic copied to ids-2 (in and out).
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, IDS1, IDS2, APP1, APP2 = 1, 2, 3, 4, 5, 6, 7
FW_OUT_MAC, FW_IN_MAC, IDS1_MAC, IDS2_MAC, APP1_MAC, APP2_MAC = 0x0201, 0x0301, 0x0401, 0x0501, 0x0601, 0x0701
W1, W2, CLIENT = "203.0.113.1", "203.0.113.2", "198.51.100.7"


class Figure11(ScenarioTest):
    CATALOG = "examples/figure-11.yaml"

    @staticmethod
    def copy(frame, ids_mac):
        return rewrite(frame, dst_mac=ids_mac, src_mac=SWITCH)


class W1CopiesGoOnlyToIds1(Figure11):
    def runTest(self):
        request = tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 443)
        self.send(UPLINK, request)
        to_fw = rewrite(request, dst_mac=FW_OUT_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({FW_OUT: to_fw})  # w1 copies nothing at the firewall step
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC)
        self.send(FW_IN, from_fw)
        self.expect_only({APP1: rewrite(from_fw, dst_mac=APP1_MAC, src_mac=SWITCH, dscp=0),
                          IDS1: self.copy(from_fw, IDS1_MAC)})
        answer = tcp(SWITCH, APP1_MAC, W1, CLIENT, 443, 40000, flags="SA")
        self.send(APP1, answer)
        to_fw = rewrite(answer, dst_mac=FW_IN_MAC, src_mac=SWITCH, dscp=3)
        self.expect_only({FW_IN: to_fw, IDS1: self.copy(answer, IDS1_MAC)})
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC)
        self.send(FW_OUT, from_fw)
        self.expect_only({UPLINK: rewrite(from_fw, dst_mac=ROUTER, src_mac=SWITCH, dscp=0)})


class W2CopiesGoOnlyToIds2(Figure11):
    def runTest(self):
        request = tcp(SWITCH, ROUTER, CLIENT, W2, 40000, 443)
        self.send(UPLINK, request)
        to_fw = rewrite(request, dst_mac=FW_OUT_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({FW_OUT: to_fw, IDS2: self.copy(request, IDS2_MAC)})
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC)
        self.send(FW_IN, from_fw)
        self.expect_only({APP2: rewrite(from_fw, dst_mac=APP2_MAC, src_mac=SWITCH, dscp=0),
                          IDS2: self.copy(from_fw, IDS2_MAC)})
        answer = tcp(SWITCH, APP2_MAC, W2, CLIENT, 443, 40000, flags="SA")
        self.send(APP2, answer)
        to_fw = rewrite(answer, dst_mac=FW_IN_MAC, src_mac=SWITCH, dscp=3)
        self.expect_only({FW_IN: to_fw, IDS2: self.copy(answer, IDS2_MAC)})
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC)
        self.send(FW_OUT, from_fw)
        self.expect_only({UPLINK: rewrite(from_fw, dst_mac=ROUTER, src_mac=SWITCH, dscp=0),
                          IDS2: self.copy(from_fw, IDS2_MAC)})
