"""Seed Figure 7 (¶116-121): client -> firewall -> VPN -> server (NAT) with a copy to the IDS, and back.

Catalog: examples/figure-7.yaml. Ports: 1 uplink (router ...a1), 2/3 firewall outside/inside (...f0/...f1,
tagged by DSCP), 4 VPN (...b1), 5 IDS (...d1), 6 server app-1 (...c1, NAT: W1 = 203.0.113.10 -> 10.0.0.6).
The VPN turns W1:443 into W1:8080, so the chain is two services (vpn-access, app). vpn-access marks its
traffic toward the network with DSCP 10.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite

SWITCH = "02:00:00:00:fe:01"
ROUTER, FW_OUT_MAC, FW_IN_MAC, VPN_MAC, IDS_MAC, SERVER_MAC = 0xa1, 0xf0, 0xf1, 0xb1, 0xd1, 0xc1
UPLINK, FW_OUT, FW_IN, VPN, IDS, SERVER = 1, 2, 3, 4, 5, 6
W1, U1, S1 = "203.0.113.10", "198.51.100.7", "10.0.0.6"
MARKING = 10


class Figure7(ScenarioTest):
    CATALOG = "examples/figure-7.yaml"


class RequestPath(Figure7):
    """Client -> W1:443 -> firewall (tag 1) -> VPN; the VPN's W1:8080 -> server (NAT) + IDS copy (W1 kept)."""

    def runTest(self):
        # The client's own DSCP (46) does not matter: from the uplink the step is 0.
        request = tcp(SWITCH, ROUTER, U1, W1, 40000, 443, dscp=46, payload=b"vpn-data")
        self.send(UPLINK, request)
        to_fw = rewrite(request, dst_mac=FW_OUT_MAC, src_mac=SWITCH, dscp=1)
        self.expect_only({FW_OUT: to_fw})

        # The firewall passes it out of its inside interface with its own MAC, keeping the tag: to the VPN,
        # with the service's marking (the VPN is port-tagged: the port says where it comes back).
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_IN_MAC)
        self.send(FW_IN, from_fw)
        self.expect_only({VPN: rewrite(from_fw, dst_mac=VPN_MAC, src_mac=SWITCH, dscp=MARKING)})

        # The VPN emits the decapsulated request W1:8080: to the server translated to S1, and the IDS copy.
        decapsulated = tcp(SWITCH, VPN_MAC, U1, W1, 40000, 8080, payload=b"GET /")
        self.send(VPN, decapsulated)
        self.expect_only({
            SERVER: rewrite(decapsulated, dst_mac=SERVER_MAC, src_mac=SWITCH, dst=S1),
            IDS: rewrite(decapsulated, dst_mac=IDS_MAC, src_mac=SWITCH),
        })


class ReplyPath(Figure7):
    """Server S1 -> client: un-NATed to W1 toward the VPN (+ IDS copy); the VPN's reply -> firewall -> router."""

    def runTest(self):
        from_server = tcp(SWITCH, SERVER_MAC, S1, U1, 8080, 40000, flags="SA", payload=b"200 OK")
        self.send(SERVER, from_server)
        self.expect_only({
            VPN: rewrite(from_server, dst_mac=VPN_MAC, src_mac=SWITCH, src=W1),
            IDS: rewrite(from_server, dst_mac=IDS_MAC, src_mac=SWITCH, src=W1),
        })

        # The VPN's encapsulated reply W1:443 -> client goes to the firewall's inside (tag 3) ...
        encapsulated = tcp(SWITCH, VPN_MAC, W1, U1, 443, 40000, flags="SA", payload=b"vpn-reply")
        self.send(VPN, encapsulated)
        to_fw = rewrite(encapsulated, dst_mac=FW_IN_MAC, src_mac=SWITCH, dscp=3)
        self.expect_only({FW_IN: to_fw})

        # ... and from its outside to the router, with the service's marking.
        from_fw = rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC)
        self.send(FW_OUT, from_fw)
        self.expect_only({UPLINK: rewrite(from_fw, dst_mac=ROUTER, src_mac=SWITCH, dscp=MARKING)})
