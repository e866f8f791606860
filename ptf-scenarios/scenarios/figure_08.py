"""Seed Figure 8 (¶122-124): port translation, W1:P1 <-> S1:TP1, through an inline one-port IDS.

Catalog: examples/figure-8.yaml. W1 = 203.0.113.10, S1 = 10.0.0.8 (app-1, NAT, port 3); ids-1 inline on port 2
(DSCP tagged: request tag 1, reply tag 3). web: W1:80 -> S1:8080; secure: W1:443 -> S1:8443.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, IDS, APP = 1, 2, 3
IDS_MAC, APP_MAC = 0x0201, 0x0301
W1, S1, CLIENT = "203.0.113.10", "10.0.0.8", "198.51.100.7"


class Figure8(ScenarioTest):
    CATALOG = "examples/figure-8.yaml"

    def translated(self, port, translated_port):
        request = tcp(SWITCH, ROUTER, CLIENT, W1, 40000, port)
        self.send(UPLINK, request)
        to_ids = rewrite(request, dst_mac=IDS_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({IDS: to_ids})
        # The IDS hands it back as it was (its own MAC as source); the switch translates W1:P1 to S1:TP1.
        back = rewrite(to_ids, dst_mac=SWITCH, src_mac=IDS_MAC)
        self.send(IDS, back)
        self.expect_only({APP: rewrite(back, dst_mac=APP_MAC, src_mac=SWITCH, dscp=0, dst=S1, dport=translated_port)})

        # S1:TP1 answers; the switch translates it back to W1:P1 before the IDS sees it.
        answer = tcp(SWITCH, APP_MAC, S1, CLIENT, translated_port, 40000, flags="SA")
        self.send(APP, answer)
        to_ids = rewrite(answer, dst_mac=IDS_MAC, src_mac=SWITCH, dscp=3, src=W1, sport=port)
        self.expect_only({IDS: to_ids})
        back = rewrite(to_ids, dst_mac=SWITCH, src_mac=IDS_MAC)
        self.send(IDS, back)
        self.expect_only({UPLINK: rewrite(back, dst_mac=ROUTER, src_mac=SWITCH, dscp=0)})


class Port80To8080(Figure8):
    def runTest(self):
        self.translated(80, 8080)


class Port443To8443(Figure8):
    def runTest(self):
        self.translated(443, 8443)
