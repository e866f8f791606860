"""Seed Figure 22 (¶886-900): flash and gradual cut-over to a new firewall, and rollback.

Catalogs: ptf-scenarios/catalogs/figure-22-{before,flash,gradual}.yaml. Port 1 uplink; fw-2061 (2/3) is the
firewall in service; fw-2064 (4/5) is the new one, F7; 8 app-1. Before: W1 = 203.0.113.1:443 -> fw-2061 -> app-1.
Flash: W1 -> fw-2064 at once (every client's next packet). Gradual: W1 unchanged, W10 = 203.0.113.110 ->
fw-2064. Rolling back returns exactly to the version before.
"""
import threading
import time

from sfc_ptf import ScenarioTest, announcement, tcp, rewrite

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK = 1
APP = (8, 0x0801)  # app-1: port, MAC
F = (2, 3, 0x0201, 0x0301)
F7 = (4, 5, 0x0401, 0x0501)
CLIENT = "198.51.100.7"
W1, W10 = "203.0.113.1", "203.0.113.110"
BEFORE, FLASH, GRADUAL = ("ptf-scenarios/catalogs/figure-22-%s.yaml" % v for v in ("before", "flash", "gradual"))


class Figure22(ScenarioTest):
    CATALOG = BEFORE


class FlashCutOverMovesEveryPacketAtOnceAndRollsBack(Figure22):
    """Requests sent every 10 ms while the flash catalog is applied: each one leaves exactly once, on the old
    firewall until some moment and on F7 from then on (never lost, never back and forth)."""

    def runTest(self):
        self.through_firewall(W1, F, APP)
        version = self.api.status()["version"]
        frames, stop = [], threading.Event()

        def stream():
            while not stop.is_set():
                frame = tcp(SWITCH, ROUTER, CLIENT, W1, 41000, 443, payload=b"seq %06d" % len(frames))
                frames.append(frame)
                self.send(UPLINK, frame)
                time.sleep(0.01)

        sender = threading.Thread(target=stream)
        sender.start()
        try:
            self.apply(FLASH, note="ptf flash cut-over")
            time.sleep(0.2)
        finally:
            stop.set()
            sender.join()

        left = {}  # sequence number -> port it left on
        for port, mac in ((F[0], F[2]), (F7[0], F7[2])):
            while True:
                got = self.dataplane.poll(port_number=port, timeout=0.5)
                if isinstance(got, self.dataplane.PollFailure):
                    break
                seq = int(bytes(got.packet)[54:64].split()[1])
                self.assertNotIn(seq, left, "request %d left twice" % seq)
                tag = 1 if port == F[0] else 33  # W1's new chain is under its other step version
                self.assertEqual(bytes(rewrite(frames[seq], dst_mac=mac, src_mac=SWITCH, dscp=tag)), bytes(got.packet))
                left[seq] = port
        self.expect_nothing()
        self.assertEqual(sorted(left), list(range(len(frames))), "every request left exactly once")
        order = [left[s] for s in range(len(frames))]
        switched = order.index(F7[0])
        self.assertEqual(order, [F[0]] * switched + [F7[0]] * (len(order) - switched),
                         "after the first request through F7, none may go back to the old firewall")
        self.assertGreater(switched, 0, "the stream started before the cut-over")

        self.through_firewall(W1, F7, APP, version=1)
        self.sfc("catalog", "rollback", str(version))
        self.through_firewall(W1, F, APP)


class GradualCutOverAddsW10AndRollbackRemovesIt(Figure22):
    def runTest(self):
        version = self.api.status()["version"]
        self.apply(GRADUAL, note="ptf gradual cut-over")
        self.expect(announcement(W10), UPLINK)  # routers learn who has W10 at once
        self.through_firewall(W1, F, APP)     # clients still resolving W1 keep the proven chain
        self.through_firewall(W10, F7, APP)   # those resolving W10 use the new firewall
        self.sfc("catalog", "rollback", str(version))
        self.through_firewall(W1, F, APP)
        self.send(UPLINK, tcp(SWITCH, ROUTER, CLIENT, W10, 40000, 443))
        self.expect_nothing()
