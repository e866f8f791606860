"""Split engines (seed Fig. 15A, ¶159-160), the client-side engine: it carries client -> service traffic while the
server's answers leave through another engine, so it judges the server by its clients: several SYNs in a row, no
ACK between, and the server has failed; with no alternate, the service is down.

Catalog: ptf-scenarios/catalogs/split-client-engine.yaml. Port 1 uplink (router ...a1); 6 split-app-1 (NAT
10.0.0.6, ...c1, probe: none, syn-retries: 3). Service split-web = 203.0.113.30:443.
"""
import time

from sfc_ptf import ScenarioTest, tcp

SWITCH, ROUTER, SERVER_MAC = "02:00:00:00:fe:01", "00:00:00:00:00:a1", "00:00:00:00:00:c1"
UPLINK, SERVER = 1, 6
WEB, SERVER_IP, CLIENT = "203.0.113.30", "10.0.0.6", "198.51.100.7"


class SplitEngines(ScenarioTest):
    CATALOG = "ptf-scenarios/catalogs/split-client-engine.yaml"

    def syn(self, sport):
        """A client's SYN to split-web; it must reach the server translated (NAT), exactly once."""
        self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, WEB, sport, 443), SERVER, SERVER_MAC, dst=SERVER_IP)

    def settle(self):
        time.sleep(0.6)  # the controller reads the switch's SYN and ACK counters every 200 ms

    def state(self):
        return self.api.devices()["split-app-1"]


class RepeatedSynsMarkTheServerDown(SplitEngines):
    """Three SYNs in a row from a client (its retransmissions: no SYN-ACK ever came back to it) and split-app-1 is
    failed; split-web, with no other server, drops the next SYN. No heartbeat can tell it answers again: it stays
    failed until an operator restores it, and then the SYNs pass."""

    def runTest(self):
        self.settle()
        self.syn(40000)
        self.syn(40000)
        self.settle()
        self.assertEqual("unprobed", self.state(), "two SYNs in a row: not yet")
        self.syn(40000)
        self.wait_devices(lambda s: s == "failed", "failed", devices=["split-app-1"], timeout=5.0)
        self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, WEB, 40001, 443))
        self.expect_nothing()
        time.sleep(1.0)
        self.assertEqual("failed", self.state(), "nothing brings it back by itself")
        self.sfc("device", "restore", "split-app-1")
        self.wait_devices(lambda s: s == "unprobed", "restored", devices=["split-app-1"], timeout=5.0)
        self.syn(40002)


class AnAckBetweenSynsKeepsTheServer(SplitEngines):
    """SYN, SYN, the client's ACK (a handshake completed: the server answered, through the other engine), SYN, SYN:
    never three in a row; the server stays in service."""

    def runTest(self):
        self.settle()
        self.syn(40000)
        self.syn(40001)
        self.settle()
        self.hop(UPLINK, tcp(SWITCH, ROUTER, CLIENT, WEB, 40001, 443, flags="A"), SERVER, SERVER_MAC, dst=SERVER_IP)
        self.settle()
        self.syn(40002)
        self.syn(40003)
        self.settle()
        self.assertEqual("unprobed", self.state())
        self.syn(40004)  # (a third in a row from here would fail it: the count restarted at the ACK)
