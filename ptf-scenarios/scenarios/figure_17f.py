"""Seed Figure 17F (¶171-180): a load balancer as the end device; flow-symmetric load sharing over a group.

Catalog: examples/figure-17f.yaml. Port 1 uplink; 2/3 fw-1; 4 lb-1795; 5/6/7 ips-1..3 (group ips-farm, one
port each, DSCP tagged); 8 app-1. balanced = 203.0.113.1:443 -> fw-1 -> lb-1795 (the LB ends the chain and
does its own balancing behind it). shared-ips = 203.0.113.2:443 -> fw-1 -> one member of ips-farm -> app-1;
each flow's request and reply go through the same member.
"""
from sfc_ptf import ScenarioTest, tcp, rewrite, returned

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, LB, APP = 1, 2, 3, 4, 8
FW_OUT_MAC, FW_IN_MAC, LB_MAC, APP_MAC = 0x0201, 0x0301, 0x0401, 0x0801
IPS = {5: 0x0501, 6: 0x0601, 7: 0x0701}


class Figure17F(ScenarioTest):
    CATALOG = "examples/figure-17f.yaml"

    def any_member(self, frame, dscp):
        """frame must leave on exactly one member of the group, tagged, with that member's MAC; returns the port."""
        got = self.dataplane.poll(port_number=None, timeout=2)
        if isinstance(got, self.dataplane.PollFailure):
            self.fail("nothing left toward the group: " + got.format())
        self.assertIn(got.port, IPS, "left on port %d, not on a member of ips-farm" % got.port)
        self.assertEqual(bytes(rewrite(frame, dst_mac=IPS[got.port], src_mac=SWITCH, dscp=dscp)), bytes(got.packet))
        self.expect_nothing()
        return got.port


class LoadBalancerEndsTheChain(Figure17F):
    def runTest(self):
        to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, "198.51.100.7", "203.0.113.1", 40000, 443), FW_OUT, FW_OUT_MAC, 1)
        self.hop(FW_IN, returned(to_fw, FW_IN_MAC), LB, LB_MAC, 0)
        to_fw = self.hop(LB, tcp(SWITCH, LB_MAC, "203.0.113.1", "198.51.100.7", 443, 40000, flags="SA"),
                         FW_IN, FW_IN_MAC, 3)
        self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), UPLINK, ROUTER, 0)


class GroupSharesFlowsSymmetrically(Figure17F):
    """12 flows: each flow's request and reply cross the same member; the flows use at least two members."""

    def runTest(self):
        used = set()
        for c in range(12):
            client, sport = "192.0.2.%d" % (10 + c), 30000 + c
            to_fw = self.hop(UPLINK, tcp(SWITCH, ROUTER, client, "203.0.113.2", sport, 443), FW_OUT, FW_OUT_MAC, 1)
            from_fw = returned(to_fw, FW_IN_MAC)
            self.send(FW_IN, from_fw)
            member = self.any_member(from_fw, 2)
            used.add(member)
            from_ips = returned(rewrite(from_fw, dscp=2), IPS[member])
            self.hop(member, from_ips, APP, APP_MAC, 0)
            # The server's reply must reach the same member (it holds the flow's state), tagged 4.
            reply = tcp(SWITCH, APP_MAC, "203.0.113.2", client, 443, sport, flags="SA")
            to_ips = self.hop(APP, reply, member, IPS[member], 4)
            to_fw = self.hop(member, returned(to_ips, IPS[member]), FW_IN, FW_IN_MAC, 5)
            self.hop(FW_OUT, returned(to_fw, FW_OUT_MAC), UPLINK, ROUTER, 0)
        self.assertGreaterEqual(len(used), 2, "12 flows all went through one member: %s" % used)
