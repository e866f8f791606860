package org.sfc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sfc.catalog.ValidationTest.DEVICES;
import static org.sfc.catalog.ValidationTest.SWITCH;
import static org.sfc.catalog.ValidationTest.problems;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The rules of pools, groups, packages, service-IP pools, tenants, ACLs and source-keyed services. */
class CatalogRulesTest {
    static final String MORE_DEVICES = """
              fw-2:
                function: firewall
                vendor: acme
                outside: {port: 4, mac: 00:00:00:00:00:f2}
                inside: {port: 5, mac: 00:00:00:00:00:f3}
              ids-1:
                function: ids
                vendor: acme
                tag: port
                port: 7
                mac: 00:00:00:00:00:d1
            """;

    static List<String> catalog(String rest) {
        return problems(SWITCH + DEVICES + MORE_DEVICES + rest);
    }

    @Test
    void aPoolHoldsLikeDevicesEachInOnePoolOnly() {
        assertEquals(List.of(
                "c.yaml:28:5: pool firewalls holds firewall from acme but device fw-1 is firewall; a pool holds like "
                        + "devices only",
                "c.yaml:33:5: pool more: device fw-2 is already in pool firewalls; a device belongs to one pool (as a "
                        + "member or a spare)",
                "c.yaml:33:5: pool more: unknown device 'fw-9'; the catalog's devices are [app-1, fw-1, fw-2, ids-1]"),
                catalog("""
                pools:
                  firewalls:
                    function: firewall
                    vendor: acme
                    members: [fw-2]
                    spares: [fw-1]
                  more:
                    function: firewall
                    members: [fw-2, fw-9]
                """));
    }

    @Test
    void aGroupSharesLoadBetweenIdenticalDevices() {
        assertEquals(List.of("c.yaml:27:10: group mixed: device ids-1 is not like fw-2 (mode, tag and number of ports "
                + "must match); a group shares load between identical devices"), catalog("""
                groups:
                  mixed: {members: [fw-2, ids-1]}
                """));
        assertEquals(List.of("c.yaml:27:10: group alone needs 'members': at least two identical devices sharing the "
                + "load"), catalog("""
                groups:
                  alone: {members: [fw-2]}
                """));
    }

    @Test
    void packagesResolveAChoicePerFunction() {
        assertEquals(List.of(
                "c.yaml:31:14: service a: package secure needs a choice for ids under 'choose': a vendor, a device, "
                        + "pool or group, or none",
                "c.yaml:35:14: service b: no firewall from vendor 'zen' and no device, pool or group of that name; "
                        + "the catalog's firewall vendors are [acme]",
                "c.yaml:39:14: service c: 'order' must list package secure's functions [firewall, ids, server] once "
                        + "each, in the order wanted; it lists [ids, server]",
                "c.yaml:44:14: service d: unknown package 'insecure'; the catalog's packages are [secure]"),
                catalog("""
                packages:
                  secure: {functions: [firewall, ids, server]}
                services:
                  a:
                    address: {ip: 203.0.113.1, protocol: tcp, port: 80}
                    package: secure
                    choose: {firewall: acme, server: app-1}
                  b:
                    address: {ip: 203.0.113.2, protocol: tcp, port: 80}
                    package: secure
                    choose: {firewall: zen, ids: none, server: app-1}
                  c:
                    address: {ip: 203.0.113.3, protocol: tcp, port: 80}
                    package: secure
                    choose: {firewall: acme, ids: none, server: app-1}
                    order: [ids, server]
                  d:
                    address: {ip: 203.0.113.4, protocol: tcp, port: 80}
                    package: insecure
                """));
    }

    @Test
    void aVendorWithSeveralDevicesOfAFunctionIsAmbiguous() {
        assertEquals(List.of("c.yaml:36:14: service a: vendor 'acme' has several firewalls [fw-2, fw-3]; choose one "
                        + "of them by name, or put them in a pool"),
                catalog("""
                  fw-3:
                    function: firewall
                    vendor: acme
                    outside: {port: 8, mac: 00:00:00:00:00:f4}
                    inside: {port: 9, mac: 00:00:00:00:00:f5}
                packages:
                  secure: {functions: [firewall, server]}
                services:
                  a:
                    address: {ip: 203.0.113.1, protocol: tcp, port: 80}
                    package: secure
                    choose: {firewall: acme, server: app-1}
                """));
    }

    @Test
    void poolAddressesAreHandedOutUntilThePoolIsEmpty() {
        Catalog ok = Validator.validate(CatalogLoader.loadText("c.yaml", SWITCH + DEVICES + MORE_DEVICES + """
                service-ip-pools:
                  public: {first: 203.0.113.10, last: 203.0.113.11}
                services:
                  taken:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                  a:
                    address: {ip-pool: public, protocol: tcp, port: 80}
                    sequence: [app-1]
                """));
        assertEquals("203.0.113.11", ok.services().get("a").address().ip().toString(), "the explicit one is skipped");
        assertEquals(List.of(
                "c.yaml:36:14: service b: service-ip pool public (203.0.113.10..203.0.113.11) has no free address "
                        + "left; widen it or add a pool",
                "c.yaml:39:14: service c: unknown service-ip pool 'privat'; the catalog's pools are [public]"),
                catalog("""
                service-ip-pools:
                  public: {first: 203.0.113.10, last: 203.0.113.11}
                services:
                  a:
                    address: {ip-pool: public, protocol: tcp, port: 80}
                    sequence: [app-1]
                  a2:
                    address: {ip-pool: public, protocol: tcp, port: 80}
                    sequence: [app-1]
                  b:
                    address: {ip-pool: public, protocol: tcp, port: 80}
                    sequence: [app-1]
                  c:
                    address: {ip-pool: privat, protocol: tcp, port: 80}
                    sequence: [app-1]
                """));
    }

    @Test
    void sourceKeyedServicesLeaveByAnExitAndOwnTheirClients() {
        assertEquals(List.of(
                "c.yaml:28:5: service isp: unknown exit uplink 'nsp'; the switch's uplinks are [internet]",
                "c.yaml:32:5: service no-exit is chosen by its clients, so after its last step it leaves toward the "
                        + "network: name the uplink under 'exit'",
                "c.yaml:35:5: service only-uplink leaves by uplink internet, the switch's only uplink; its clients need "
                        + "another uplink, or a 'from' device",
                "c.yaml:39:5: service web: 'exit' is for services chosen by 'clients'; a service address ends at its "
                        + "last device",
                "c.yaml:32:14: service no-exit: client 203.0.113.10 is already the address of service web; an "
                        + "address can choose only one chain"),
                catalog("""
                services:
                  isp:
                    clients: {ip: 100.64.0.1}
                    sequence: [fw-1]
                    exit: nsp
                  no-exit:
                    clients: {ip: 203.0.113.10}
                    sequence: [fw-1]
                  only-uplink:
                    clients: {ip: 100.64.0.2}
                    sequence: [fw-1]
                    exit: internet
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                    exit: internet
                """));
    }

    @Test
    void aclRulesAndTenantsAreChecked() {
        assertEquals(List.of(
                "c.yaml:27:22: 'may-change' of tenant acme: 'everything' is not one of [acl, rate, dscp, sequence, "
                        + "services]",
                "c.yaml:35:36: 'source' of a rule of the acl of service web: 198.51.100.1/24 has bits set beyond its "
                        + "/24 prefix; write 198.51.100.0/24",
                "c.yaml:36:33: 'ports' of a rule of the acl of service web must be a port or LOW-HIGH with 0 <= LOW "
                        + "<= HIGH <= 65535, e.g. 1025-1125; not '90-80'",
                "c.yaml:37:11: a rule of the acl of service web needs 'action': permit or deny"),
                catalog("""
                tenants:
                  acme: {may-change: [acl, everything]}
                services:
                  web:
                    tenant: acme
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                    acl:
                      rules:
                        - {action: permit, source: 198.51.100.1/24}
                        - {action: deny, ports: 90-80}
                        - {source: 192.0.2.0/24}
                """));
    }

    @Test
    void aServiceOfAnUndeclaredTenant() {
        assertEquals(List.of("c.yaml:30:5: service web: unknown tenant 'initech'; the catalog's tenants are [acme]"),
                catalog("""
                tenants:
                  acme: {may-change: [acl]}
                services:
                  web:
                    tenant: initech
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                """));
    }

    @Test
    void portRangesOfOneAddressNeverOverlap() {
        assertEquals(List.of("c.yaml:31:14: service b's ports 1000-3000 overlap the ports 2000-2100 of service a on "
                + "the same ip; give them ranges that do not overlap"), catalog("""
                services:
                  a:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 2000-2100}
                    sequence: [app-1]
                  b:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 1000-3000}
                    sequence: [app-1]
                """));
    }

    @Test
    void devicesSitOnPortsTheSwitchHas() {
        String switchWithPorts = SWITCH.replace("  uplinks:", "  ports: [2-5, 7-8, 10]\n  uplinks:");
        assertEquals(List.of(
                "c.yaml:5:7: uplink internet is on port 1, which the switch does not have (its ports are "
                        + "[2-5, 7-8, 10]); cable it to one of those, or correct the switch's 'ports'",
                "c.yaml:14:11: device app-1 is on port 6, which the switch does not have (its ports are "
                        + "[2-5, 7-8, 10]); cable it to one of those, or correct the switch's 'ports'"),
                problems(switchWithPorts + DEVICES + """
                services:
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                """));
    }

    @Test
    void catalogsBeyondTheYamlLibrarysDefaultSizeLoad() {
        StringBuilder b = new StringBuilder(SWITCH + DEVICES + "services:\n");
        int n = 40_000; // about 4.5 MB of YAML: SnakeYAML alone stops at 3 MiB
        for (int i = 0; i < n; i++) {
            b.append("  s").append(i).append(":\n    address: {ip: 10.").append(i >> 16).append('.').append((i >> 8) & 255)
                    .append('.').append(i & 255).append(", protocol: tcp, port: 443}\n    sequence: [fw-1, app-1]\n");
        }
        assertEquals(true, b.length() > 3 * 1024 * 1024);
        assertEquals(n, CatalogLoader.loadText("big.yaml", b.toString()).services().size());
    }
}
