package org.sfc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A tenant changes only its own services, and in them only what it may; the rest is the operator's. */
class TenantPolicyTest {
    static final String BASE = ValidationTest.SWITCH + ValidationTest.DEVICES + """
            tenants:
              acme: {may-change: [acl]}
              globex: {may-change: [acl, rate, services]}
            services:
              acme-web:
                tenant: acme
                address: {ip: 203.0.113.1, protocol: tcp, port: 80}
                sequence: [fw-1, app-1]
                acl: {default: deny, rules: [{action: permit, source: 198.51.100.0/24}]}
              globex-api:
                tenant: globex
                address: {ip: 203.0.113.2, protocol: tcp, port: 443}
                sequence: [app-1]
            """;

    static Catalog load(String yaml) {
        return CatalogLoader.loadText("c.yaml", yaml);
    }

    static List<String> problems(String after, String tenant) {
        return assertThrows(CatalogException.class,
                () -> TenantPolicy.check(load(BASE), load(after), tenant)).problems();
    }

    @Test
    void aTenantMayChangeItsOwnAcl() {
        // Also: moving text around (other lines, other positions) is no change.
        TenantPolicy.check(load(BASE), load("# reformatted\n" + BASE.replace("198.51.100.0/24", "192.0.2.0/24")), "acme");
    }

    @Test
    void butNotAnotherTenantsService() {
        assertEquals(List.of("c.yaml:25:5: tenant acme may not change service globex-api, which belongs to tenant "
                + "globex"), problems(BASE.replace("port: 443}", "port: 443}\n    acl: {default: deny}"), "acme"));
    }

    @Test
    void norWhatItsPermissionsLeaveOut() {
        assertEquals(List.of("c.yaml:20:5: tenant acme may change only [acl] of its services; the sequence of "
                + "service acme-web changed"), problems(BASE.replace("sequence: [fw-1, app-1]", "sequence: [app-1]"), "acme"));
    }

    @Test
    void addingServicesNeedsThePermission() {
        String more = BASE + """
                  acme-api:
                    tenant: acme
                    address: {ip: 203.0.113.3, protocol: tcp, port: 80}
                    sequence: [app-1]
                """;
        assertEquals(List.of("c.yaml:29:5: tenant acme may not add services (may-change: [acl])"), problems(more, "acme"));
        assertEquals(List.of("c.yaml:29:5: new service acme-api has no 'tenant: globex'; a tenant's services say whose "
                + "they are"), problems(more.replace("    tenant: acme\n    address: {ip: 203.0.113.3", "    address: {ip: "
                + "203.0.113.3"), "globex"));
        TenantPolicy.check(load(BASE), load(more.replace("tenant: acme\n    address: {ip: 203.0.113.3",
                "tenant: globex\n    address: {ip: 203.0.113.3")), "globex");
    }

    @Test
    void theOperatorsPartsAreOffLimits() {
        assertEquals(List.of("c.yaml: tenant globex may not change the switch, devices, pools, groups, packages, "
                + "service-ip pools or tenants; they belong to the operator"),
                problems(BASE.replace("mac: 00:00:00:00:00:c1", "mac: 00:00:00:00:00:c2"), "globex"));
        assertEquals(List.of("c.yaml: unknown tenant 'initech'; the catalog's tenants are [acme, globex]"),
                problems(BASE, "initech"));
    }
}
