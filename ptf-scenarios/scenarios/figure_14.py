"""Seed Figure 14 (¶154-157): a shared database behind per-customer services W1D/W5D; its mirror takes over.

Catalog: examples/figure-14.yaml. Port 1 uplink; 2 ids-1451; 3/4 fw-1465; 5 app-1474 (the application server,
client of the database services); 6 db-1471 (failure: spare); 7 db-mirror (the pool's spare).
w1d = 203.0.113.101:3306 and w5d = 203.0.113.105:3306, both from app-1474 to the pool 'db'.
The controller probes the database with TCP handshakes to its service port (answered by the test's player);
when db-1471 stops answering, its traffic moves to db-mirror, and back when it answers again (auto failback).
"""
from sfc_ptf import ScenarioTest, tcp

SWITCH = "02:00:00:00:fe:01"
APP, DB, MIRROR = 5, 6, 7
APP_MAC, DB_MAC, MIRROR_MAC = 0x0501, 0x0601, 0x0701
APP_IP = "10.1.4.74"
W1D, W5D = "203.0.113.101", "203.0.113.105"


class Figure14(ScenarioTest):
    CATALOG = "examples/figure-14.yaml"

    def query(self, service_ip, sport, db_port, db_mac):
        """The application queries service_ip:3306; it must reach db_port, and the answer come back to it."""
        self.hop(APP, tcp(SWITCH, APP_MAC, APP_IP, service_ip, sport, 3306), db_port, db_mac, 0)
        self.hop(db_port, tcp(SWITCH, db_mac, service_ip, APP_IP, 3306, sport, flags="SA"), APP, APP_MAC, 0)


class BothCustomersShareTheDatabase(Figure14):
    def runTest(self):
        self.query(W1D, 50001, DB, DB_MAC)
        self.query(W5D, 50005, DB, DB_MAC)


class MirrorTakesOverWhenTheDatabaseFails(Figure14):
    def runTest(self):
        self.query(W1D, 50001, DB, DB_MAC)
        self.player.silence("db-1471")  # it stops answering the controller's handshakes
        self.wait_devices(lambda s: s == "failed", "failed", devices=["db-1471"], timeout=5)
        self.query(W1D, 50002, MIRROR, MIRROR_MAC)
        self.query(W5D, 50003, MIRROR, MIRROR_MAC)
        # Answering again for the hold-down period (1 s) brings it back.
        self.player.revive("db-1471")
        self.wait_devices(lambda s: s == "healthy", "healthy", devices=["db-1471"], timeout=10)
        self.query(W1D, 50004, DB, DB_MAC)
        events = " ".join(e["detail"] for e in self.api.get("/v1/events?limit=20"))
        self.assertIn("db-mirror", events, "the failover to the mirror is in the controller's events")
        shown = self.sfc("events").stdout  # what an operator sees
        self.assertRegex(shown, r"db-1471.*failed", shown)
        self.assertRegex(shown, r"db-1471.*healthy", shown)
