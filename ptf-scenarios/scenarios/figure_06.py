"""Seed Figure 6 (¶106-115): one service IP, two service ports, two chains.

Catalog: examples/figure-6.yaml. W1 = 203.0.113.10. Port 1 uplink; 2/3 firewall fw-1 outside/inside (DSCP
tagged); 4 web-1 (W1:80), 5 mail-1 (W1:25). The destination port alone decides the server; both chains share
the firewall, and the replies come back through it in reverse.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, WEB, MAIL = 1, 2, 3, 4, 5
FW_OUT_MAC, FW_IN_MAC, WEB_MAC, MAIL_MAC = 0x0201, 0x0301, 0x0401, 0x0501
W1, CLIENT = "203.0.113.10", "198.51.100.7"


class Figure6(ScenarioTest):
    CATALOG = "examples/figure-6.yaml"

    def chain(self, dport, server_port, server_mac):
        request = tcp(SWITCH, ROUTER, CLIENT, W1, 40000, dport)
        self.send(UPLINK, request)
        to_fw = rewrite(request, dst_mac=FW_OUT_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({FW_OUT: to_fw})
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC)
        self.send(FW_IN, from_fw)
        self.expect_only({server_port: rewrite(from_fw, dst_mac=server_mac, src_mac=SWITCH, dscp=0)})

        answer = tcp(SWITCH, server_mac, W1, CLIENT, dport, 40000, flags="SA")
        self.send(server_port, answer)
        back = rewrite(answer, dst_mac=FW_IN_MAC, src_mac=SWITCH, dscp=3)
        self.expect_only({FW_IN: back})
        from_fw = rewrite(back, dst_mac=SWITCH, src_mac=FW_OUT_MAC)
        self.send(FW_OUT, from_fw)
        self.expect_only({UPLINK: rewrite(from_fw, dst_mac=ROUTER, src_mac=SWITCH, dscp=0)})


class WebPortToWebServer(Figure6):
    """W1:80 -> firewall -> web-1 (port 4), and back."""

    def runTest(self):
        self.chain(80, WEB, WEB_MAC)


class MailPortToMailServer(Figure6):
    """W1:25 -> firewall -> mail-1 (port 5), and back."""

    def runTest(self):
        self.chain(25, MAIL, MAIL_MAC)


class OtherPortsOfTheAddressGoNowhere(Figure6):
    """W1:443 is not a service: nothing leaves."""

    def runTest(self):
        self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 443))
        self.expect_nothing()
