"""Seed Figure 6 (¶106-115): one service IP, two service ports, two chains.

Catalog: examples/figure-6.yaml. W1 = 203.0.113.10. Port 1 uplink; 2/3 firewall fw-1 outside/inside (DSCP
tagged); 4 web-1 (W1:80), 5 mail-1 (W1:25). The destination port alone decides the server; both chains share
the firewall, and the replies come back through it in reverse.
"""
from sfc_ptf import ScenarioTest, tcp

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, WEB, MAIL = 1, 2, 3, 4, 5
FW = (FW_OUT, FW_IN, 0x0201, 0x0301)  # fw-1: outside port, inside port, outside MAC, inside MAC
WEB_MAC, MAIL_MAC = 0x0401, 0x0501
W1, CLIENT = "203.0.113.10", "198.51.100.7"


class Figure6(ScenarioTest):
    CATALOG = "examples/figure-6.yaml"


class WebPortToWebServer(Figure6):
    """W1:80 -> firewall -> web-1 (port 4), and back."""

    def runTest(self):
        self.through_firewall(W1, FW, (WEB, WEB_MAC), dport=80)


class MailPortToMailServer(Figure6):
    """W1:25 -> firewall -> mail-1 (port 5), and back."""

    def runTest(self):
        self.through_firewall(W1, FW, (MAIL, MAIL_MAC), dport=25)


class OtherPortsOfTheAddressGoNowhere(Figure6):
    """W1:443 is not a service: nothing leaves."""

    def runTest(self):
        self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 443))
        self.expect_nothing()
