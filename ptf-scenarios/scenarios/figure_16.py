"""Seed Figure 16 (¶167-170): the dimensions a service address scales in.

Catalog: examples/figure-16.yaml. Port 1 uplink; 2/3 fw-1; 4 srv-web; 5 srv-mail; 6 srv-dns. 16: one IP, one
port, one chain (203.0.113.1 tcp/80 -> web); 16A: one IP split by port and protocol (203.0.113.2 tcp/25 -> mail,
udp/53 -> dns); 16B: a second IP for the same server (203.0.113.3 tcp/80 -> web). All through fw-1.
"""
from sfc_ptf import ScenarioTest, tcp, udp, returned

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, WEB, MAIL, DNS = 1, 2, 3, 4, 5, 6
FW_OUT_MAC, FW_IN_MAC, WEB_MAC, MAIL_MAC, DNS_MAC = 0x0201, 0x0301, 0x0401, 0x0501, 0x0601
CLIENT = "198.51.100.7"


class Figure16(ScenarioTest):
    CATALOG = "examples/figure-16.yaml"

    def chain(self, make, ip, port, server_port, server_mac):
        """make(dst_mac, src_mac, src, dst, sport, dport) builds the protocol's frames."""
        to_fw = self.hop(UPLINK, make(SWITCH, ROUTER, CLIENT, ip, 40000, port), FW_OUT, FW_OUT_MAC, 1)
        self.hop(FW_IN, returned(to_fw, FW_IN_MAC), server_port, server_mac, 0)
        to_fw = self.hop(server_port, make(SWITCH, server_mac, ip, CLIENT, port, 40000), FW_IN, FW_IN_MAC, 3)
        self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), UPLINK, ROUTER, 0)


class OneAddressOneChain(Figure16):
    def runTest(self):
        self.chain(tcp, "203.0.113.1", 80, WEB, WEB_MAC)


class OneAddressSplitByPortAndProtocol(Figure16):
    def runTest(self):
        self.chain(tcp, "203.0.113.2", 25, MAIL, MAIL_MAC)
        self.chain(udp, "203.0.113.2", 53, DNS, DNS_MAC)
        # tcp/53 and udp/25 are not services of that address.
        self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, "203.0.113.2", 40000, 53))
        self.send(UPLINK, udp(SWITCH, ROUTER, CLIENT, "203.0.113.2", 40000, 25))
        self.expect_nothing()


class SecondAddressSameServer(Figure16):
    def runTest(self):
        self.chain(tcp, "203.0.113.3", 80, WEB, WEB_MAC)
