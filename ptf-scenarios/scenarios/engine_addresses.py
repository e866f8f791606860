"""The engine owns its addresses (seed ¶158): a router's ARP request on the uplink for a service address is
answered by the switch with its own MAC, out of the port it came in on; nothing else ARP is answered.

Catalog: examples/figure-7.yaml. Port 1 uplink (router ...a1); 2 fw-1's outside. W1 = 203.0.113.10 (vpn-access).
"""
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw

from sfc_ptf import ScenarioTest, announcement, root_path

SWITCH, ROUTER = "02:00:00:00:fe:01", "00:00:00:00:00:a1"
UPLINK, FW_OUT = 1, 2
W1, ROUTER_IP = "203.0.113.10", "198.51.100.1"
PADDING = Raw(b"\x00" * 18)  # to Ethernet's 60 bytes, as a router sends it: the reply keeps it


def who_has(target, port_mac=ROUTER, sender_ip=ROUTER_IP):
    return Ether(dst="ff:ff:ff:ff:ff:ff", src=port_mac) / ARP(op=1, hwsrc=port_mac, psrc=sender_ip,
                                                              hwdst="00:00:00:00:00:00", pdst=target) / PADDING


class EngineAddresses(ScenarioTest):
    CATALOG = "examples/figure-7.yaml"


class ArpForAServiceAddressIsAnswered(EngineAddresses):
    """who-has 203.0.113.10 from the router: is-at the switch's MAC, to the router, on the uplink only."""

    def runTest(self):
        self.send(UPLINK, who_has(W1))
        reply = Ether(dst=ROUTER, src=SWITCH) / ARP(op=2, hwsrc=SWITCH, psrc=W1, hwdst=ROUTER, pdst=ROUTER_IP) / PADDING
        self.expect_only({UPLINK: reply})


class ArpForAnythingElseIsNotAnswered(EngineAddresses):
    """An address no service has, a request from a device's port, and an ARP reply: silence."""

    def runTest(self):
        self.send(UPLINK, who_has("203.0.113.99"))
        self.send(FW_OUT, who_has(W1, port_mac="00:00:00:00:00:f0", sender_ip="10.0.0.2"))
        self.send(UPLINK, Ether(dst=SWITCH, src=ROUTER) / ARP(op=2, hwsrc=ROUTER, psrc=ROUTER_IP, hwdst=SWITCH,
                                                                 pdst=W1) / PADDING)
        self.expect_nothing()


class AnApplyAnnouncesTheAddressesItAdds(EngineAddresses):
    """A new service address: a gratuitous ARP for it leaves the uplink, the switch's MAC as its owner; nothing for
    the addresses it had."""

    def runTest(self):
        text = open(root_path(self.CATALOG)).read().replace(
            "address: {ip: 203.0.113.10, protocol: tcp, port: 8080}",
            "address: {ip: 203.0.113.20, protocol: tcp, port: 8080}")
        self.apply_text(text, note="ptf app moves to 203.0.113.20")
        self.expect_only({UPLINK: announcement("203.0.113.20")})
