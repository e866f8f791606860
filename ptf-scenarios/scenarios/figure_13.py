"""Seed Figure 13 (¶149-153): central per-service ACLs, a virtual firewall per tenant.

Catalog: examples/figure-13.yaml. Port 1 uplink; 2 app-1 (acme-portal, 203.0.113.1 tcp/443: default deny;
deny 198.51.100.66, permit 198.51.100.0/24, permit 192.0.2.0/25 from ports 1024-65535); 3 app-2 (globex-api,
203.0.113.2 udp/5000: default permit, deny sources in 203.0.113.0/24). One tenant's rules never touch the other's.
"""
import os
import time

from sfc_ptf import ScenarioTest, param, tcp, udp

SWITCH, ROUTER = "02:00:00:00:fe:01", 0xa1
UPLINK, APP1, APP2 = 1, 2, 3
APP1_MAC, APP2_MAC = 0x0201, 0x0301
ACME, GLOBEX = "203.0.113.1", "203.0.113.2"


class Figure13(ScenarioTest):
    CATALOG = "examples/figure-13.yaml"

    def acme(self, src, sport):
        return tcp(SWITCH, ROUTER, src, ACME, sport, 443)

    def globex(self, src):
        return udp(SWITCH, ROUTER, src, GLOBEX, 40000, 5000)


class AcmePermits(Figure13):
    """The partner network, and 192.0.2.0/25 from high ports, reach app-1."""

    def runTest(self):
        for src, sport in (("198.51.100.7", 40000), ("192.0.2.9", 1024), ("192.0.2.126", 65535)):
            self.hop(UPLINK, self.acme(src, sport), APP1, APP1_MAC, 0)


class AcmeDenies(Figure13):
    """The blocked host (first rule wins), 192.0.2.0/25 from low ports, and everyone else (default deny)."""

    def runTest(self):
        for src, sport in (("198.51.100.66", 40000), ("192.0.2.9", 53), ("192.0.2.200", 40000),
                           ("203.0.113.200", 40000)):
            self.send(UPLINK, self.acme(src, sport))
        self.expect_nothing()


class AcmeServerRepliesAreNotFiltered(Figure13):
    """The client ACL applies to clients: app-1's reply to a denied-looking address still leaves."""

    def runTest(self):
        self.hop(APP1, tcp(SWITCH, APP1_MAC, ACME, "192.0.2.9", 443, 53, flags="SA"), UPLINK, ROUTER, 0)


class GlobexRulesAreItsOwn(Figure13):
    """globex's default is permit (acme's blocked host gets through to globex); only spoofed sources drop."""

    def runTest(self):
        for src in ("198.51.100.66", "192.0.2.200", "192.0.2.9"):
            self.hop(UPLINK, self.globex(src), APP2, APP2_MAC, 0)
        self.send(UPLINK, self.globex("203.0.113.200"))
        self.expect_nothing()


class TenantChangesItsOwnAclInRealTime(Figure13):
    """¶151: acme's administrator, with a token of its own, reads acme's rules (and nothing of globex's) and
    changes them through the controller; the switch obeys at once. globex's rules it cannot touch (exit 5)."""

    def runTest(self):
        user = "acme-admin-%d" % int(time.time() * 1000)
        token = os.path.join(param("work"), user + ".token")
        self.sfc("user", "add", user, "--role", "tenant", "--tenant", "acme", "--token-out", token,
                 "--db", os.path.join(param("work"), "sfc.db"), direct=True)
        view = self.sfc("catalog", "show", token_file=token).stdout
        self.assertIn("acme-portal:", view)
        self.assertNotIn("globex", view)
        edited = os.path.join(param("work"), user + ".yaml")
        with open(edited, "w") as f:
            f.write(view.replace("198.51.100.66", "198.51.100.77"))
        self.sfc("catalog", "apply", edited, token_file=token)
        self.hop(UPLINK, self.acme("198.51.100.66", 40000), APP1, APP1_MAC, 0)  # unblocked
        self.send(UPLINK, self.acme("198.51.100.77", 40000))                    # blocked instead
        self.expect_nothing()

        with open(edited, "w") as f:
            f.write(view + "  globex-api:\n    tenant: globex\n    address: {ip: 203.0.113.2, protocol: udp, port: 5000}\n"
                    "    sequence: [app-2]\n    acl: {default: deny}\n")
        refused = self.sfc("catalog", "apply", edited, token_file=token, check=False)
        self.assertEqual(5, refused.returncode, refused.stderr)
        self.assertIn("may not change service globex-api, which belongs to tenant globex", refused.stderr)
        self.hop(UPLINK, self.globex("198.51.100.66"), APP2, APP2_MAC, 0)       # globex's rules as they were
