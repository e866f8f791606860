"""What must not get through, on the Figure 7 chain (examples/figure-7.yaml) unless said otherwise.

Ports: 1 uplink (router ...a1); 2/3 fw-1 outside/inside (...f0/...f1, DSCP tagged); 4 VPN; 5 IDS; 6 server.
vpn-access = W1 203.0.113.10 tcp/443 -> fw-1 -> VPN. Ports 7-16 have no role.
"""
import os
import time

from sfc_ptf import ScenarioTest, param, root_path, tcp, udp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, FW_OUT, FW_IN, VPN = 1, 2, 3, 4
FW_OUT_MAC, FW_IN_MAC, VPN_MAC = 0xf0, 0xf1, 0xb1
W1, U1 = "203.0.113.10", "198.51.100.7"


class Figure7Negative(ScenarioTest):
    CATALOG = "examples/figure-7.yaml"

    def request(self, dscp=0):
        return tcp(SWITCH, ROUTER, U1, W1, 40000, 443, dscp=dscp)


class ClientDscpCannotSkipAStep(Figure7Negative):
    """A client marking its packet with the 'back from the firewall' tag (1) or any other still gets step 0:
    to the firewall's outside, tag 1."""

    def runTest(self):
        for dscp in (1, 3, 63):
            request = self.request(dscp)
            self.hop(UPLINK, request, FW_OUT, FW_OUT_MAC, 1)


class PacketBackOnTheWrongPortIsDropped(Figure7Negative):
    """A tag-1 packet coming back on the firewall's outside port (it must come back on the inside), or on the
    VPN's port, is dropped."""

    def runTest(self):
        to_fw = self.hop(UPLINK, self.request(), FW_OUT, FW_OUT_MAC, 1)
        self.send(FW_OUT, rewrite(to_fw, dst_mac=SWITCH, src_mac=FW_OUT_MAC))
        self.send(VPN, rewrite(to_fw, dst_mac=SWITCH, src_mac=VPN_MAC))
        self.expect_nothing()


class UnknownPortIsDropped(Figure7Negative):
    """A perfectly good request arriving on a port with no role (not an uplink, no device) goes nowhere."""

    def runTest(self):
        for port in (7, 12, 16):
            self.send(port, self.request())
        self.expect_nothing()


class MalformedPacketsAreDroppedAndTheSwitchCarriesOn(Figure7Negative):
    """Truncated IPv4 header, IHL 4 (shorter than the header), IHL 6 without the option bytes, truncated TCP,
    IP version 6 in an IPv4 ethertype: nothing leaves; the next good request still goes through."""

    def runTest(self):
        good = bytes(self.request())
        ihl4 = good[:14] + b"\x44" + good[15:]
        ihl6 = good[:14] + b"\x46" + good[15:]
        version6 = good[:14] + b"\x65" + good[15:]
        for frame in (good[:20], ihl4, ihl6, good[:40], version6):
            self.send(UPLINK, frame)
        self.expect_nothing()
        self.hop(UPLINK, self.request(), FW_OUT, FW_OUT_MAC, 1)


class BackupControllerCannotChangeAnything(Figure7Negative):
    """A second controller connecting with a lower election id is a backup: its cut-over is refused by the
    switch and the data plane keeps the primary's state."""

    def runTest(self):
        db = os.path.join(param("work"), "backup.db")
        r = self.sfc("catalog", "apply", root_path("examples/figure-6.yaml"), "-t", "127.0.0.1:9559",
                     "--election-id", "1", "--db", db, "--note", "backup tries", check=False, direct=True)
        self.assertEqual(3, r.returncode, "a backup's apply is refused (exit 3):\n" + r.stdout + r.stderr)
        self.assertIn("is a backup for switch", r.stderr)
        r = self.sfc("pipeline", "push", "-t", "127.0.0.1:9559", "--election-id", "1", "--db", db, check=False,
                     direct=True)
        self.assertNotEqual(0, r.returncode, "a backup may not push a pipeline:\n" + r.stdout + r.stderr)
        # Figure 7 is still what the switch does (Figure 6 would send W1:443 nowhere).
        self.hop(UPLINK, self.request(), FW_OUT, FW_OUT_MAC, 1)


class OverRateTrafficIsMetered(ScenarioTest):
    """ptf-scenarios/catalogs/metered.yaml: service 'limited' (203.0.113.7 udp/5000 -> app-1 on port 2) at 20
    packets/s with a burst of 10. 60 back-to-back packets: the burst passes, most of the rest is dropped; a
    second later the service passes again."""

    CATALOG = "ptf-scenarios/catalogs/metered.yaml"

    def runTest(self):
        start = time.time()
        for i in range(60):
            self.send(UPLINK, udp(SWITCH, ROUTER, U1, "203.0.113.7", 40000, 5000, payload=b"%d" % i))
        elapsed = time.time() - start
        delivered = 0
        while not isinstance(self.dataplane.poll(port_number=2, timeout=0.5), self.dataplane.PollFailure):
            delivered += 1
        allowed = 10 + 20 * elapsed + 2   # the burst, the rate over the sending time, and rounding
        self.assertGreaterEqual(delivered, 10, "the burst must pass")
        self.assertLessEqual(delivered, allowed, "sent 60 in %.2fs: at most %.0f may pass" % (elapsed, allowed))
        time.sleep(1.0)
        self.hop(UPLINK, udp(SWITCH, ROUTER, U1, "203.0.113.7", 40000, 5000), 2, 0x0201, 0)
