"""A redundant pair (seed Fig. 15, ¶158), run by `run.sh --pair`: two switches with every port on a shared segment
(a bridge) with PTF's port, the controller daemon driving them as active and standby. PTF plays the router and the
devices on the segments, so whatever either switch sends reaches it, and whatever it sends reaches both switches.

Catalog: examples/figure-7.yaml. Port 1 uplink (router ...a1); 2/3 fw-1 outside/inside (...f0/...f1); 4 vpn-1;
5 ids-1; 6 app-1. W1 = 203.0.113.10.

The test group 'pair' holds these; they are not among the standard scenarios (one switch has no standby to take
over).
"""
import os
import signal
import time

import ptf.testutils as tu

from sfc_ptf import ScenarioTest, announcement, param, tcp

SWITCH, ROUTER = "02:00:00:00:fe:01", "00:00:00:00:00:a1"
UPLINK, FW_OUT = 1, 2
DEVICE_PORTS = (2, 3, 4, 5, 6)
FW_OUTSIDE_MAC = "00:00:00:00:00:f0"
W1, CLIENT, PROBE_IP = "203.0.113.10", "198.51.100.7", "198.18.0.1"


@tu.group("pair")
@tu.nonstandard
class TakeoverWhenTheActiveSwitchDies(ScenarioTest):
    """A request crosses exactly once (the standby forwards nothing of what the segment brings it). The active switch
    is killed: the standby announces W1 on the uplink and claims every device port (an announcement from the switch
    MAC, so the bridges learn where it went); the next request crosses exactly once, through the standby."""

    CATALOG = "examples/figure-7.yaml"

    def runTest(self):
        request = tcp(SWITCH, ROUTER, CLIENT, W1, 40000, 443)
        self.hop(UPLINK, request, FW_OUT, FW_OUTSIDE_MAC, dscp=1)

        killed = time.time()
        os.kill(int(param("active_pid")), signal.SIGKILL)
        self.expect(announcement(W1), UPLINK, timeout=5.0)
        took = time.time() - killed
        for port in DEVICE_PORTS:
            self.expect(announcement(PROBE_IP), port)
        self.expect_nothing()
        self.assertLess(took, 2.0, "the standby took over %.0f ms after the kill" % (took * 1000))

        self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W1, 40001, 443), FW_OUT, FW_OUTSIDE_MAC, dscp=1)
        switches = {s["switch"]: s for s in self.api.get("/v1/switches")}
        self.assertEqual("active", switches["127.0.0.1:9560/1"]["role"], switches)
        self.assertEqual("standby", switches["127.0.0.1:9559/1"]["role"], switches)
        self.assertFalse(switches["127.0.0.1:9559/1"]["connected"], switches)
