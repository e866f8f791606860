package org.sfc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Each loader and validation rule, with the exact message an operator sees (file:line:col first). */
class ValidationTest {
    static final String SWITCH = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            """;
    static final String DEVICES = """
            devices:
              fw-1:
                function: firewall
                outside: {port: 2, mac: 00:00:00:00:00:f0}
                inside: {port: 3, mac: 00:00:00:00:00:f1}
              app-1:
                function: server
                tag: port
                port: 6
                mac: 00:00:00:00:00:c1
            """;

    static List<String> problems(String yaml) {
        return assertThrows(CatalogException.class, () -> {
            Catalog c = CatalogLoader.loadText("c.yaml", yaml);
            Validator.validate(c);
        }).problems();
    }

    static List<String> serviceProblems(String services) {
        return problems(SWITCH + DEVICES + "services:\n" + services);
    }

    @Test
    void aValidCatalogPasses() {
        Validator.validate(CatalogLoader.loadText("c.yaml", SWITCH + DEVICES + """
                services:
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80, dynamic-ports: 1025-1125}
                    sequence: [fw-1, app-1]
                """));
    }

    @Test
    void yamlSyntaxErrorsNameTheirPosition() {
        assertEquals(List.of("c.yaml:2:9: mapping values are not allowed here"),
                problems("switch:\n  mac: a: b\n"));
    }

    /** Found by CatalogFuzzTest: SnakeYAML's reader error carries no mark, only a code point index. */
    @Test
    void aCharacterYamlForbidsIsLocatedToo() {
        assertEquals(List.of("c.yaml:2:8: special character 0x0 is not allowed in YAML; remove it"),
                problems("switch:\n  mac: \u0000\n"));
    }

    @Test
    void unknownKeysListTheValidOnes() {
        assertEquals(List.of("c.yaml:8:5: unknown key 'colour' in device fw-1; expected one of [failure, function, "
                + "health, inside, ip, mac, mode, model, outside, port, tag, vendor]"),
                problems(SWITCH + DEVICES.replace("    function: firewall", "    function: firewall\n    colour: red")));
    }

    @Test
    void heartbeatSettingsAreChecked() {
        assertEquals(List.of(
                "c.yaml:8:27: 'interval-ms' of device fw-1 health must be 10..60000, not 5",
                "c.yaml:8:40: 'failback' of device fw-1 health must be one of [auto, manual], not 'later'"),
                problems(SWITCH + DEVICES.replace("    function: firewall",
                        "    function: firewall\n    health: {interval-ms: 5, failback: later}")));
    }

    @Test
    void aKeyGivenTwiceIsAProblemNotTheLastOneQuietlyWinning() {
        assertEquals(List.of("c.yaml:8:25: 'misses' is given twice in device fw-1 health (also at line 8); keep one"),
                problems(SWITCH + DEVICES.replace("    function: firewall",
                        "    function: firewall\n    health: {misses: 5, misses: 3}")));
    }

    /**
     * syn-retries watches the client SYNs of the TCP services ending at the device; one that ends none (a catalog
     * between versions, say) watches nothing, and that is no problem.
     */
    @Test
    void synRetriesWatchTheTcpServicesEndingAtTheDevice() {
        String services = """
                services:
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [fw-1, app-1]
                """;
        Catalog ok = CatalogLoader.loadText("c.yaml", SWITCH + DEVICES.replace("    function: firewall",
                "    function: firewall\n    health: {syn-retries: 3}").replace("    function: server",
                "    function: server\n    health: {probe: none, syn-retries: 3}") + services);
        Validator.validate(ok);
        assertEquals(List.of("web"), ok.synWatched(ok.devices().get("app-1")).stream().map(Catalog.Service::name).toList());
        assertEquals(List.of(), ok.synWatched(ok.devices().get("fw-1")), "fw-1 ends no service");
        assertEquals(3, ok.devices().get("app-1").health().synRetries());
        assertEquals(List.of("c.yaml:12:40: 'syn-retries' of device app-1 health must be 0..100, not 101"),
                problems(SWITCH + DEVICES.replace("    function: server",
                        "    function: server\n    health: {probe: none, syn-retries: 101}") + services));
    }

    @Test
    void aTcpProbeNeedsSomethingToOpen() {
        assertEquals(List.of("c.yaml:7:5: device fw-1 has 'probe: tcp' but ends no service, so there is nothing to "
                        + "open a handshake to; give it 'ip' (nat mode) and 'probe-port', or use probe: loop or none"),
                problems(SWITCH + DEVICES.replace("    function: firewall",
                        "    function: firewall\n    health: {probe: tcp}") + """
                        services:
                          web:
                            address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                            sequence: [fw-1, app-1]
                        """));
    }

    @Test
    void probesAreChosenByWhatTheDeviceDoes() {
        Catalog c = Validator.validate(CatalogLoader.loadText("c.yaml", SWITCH + DEVICES + """
                  ids-1: {function: ids, port: 7, mac: 00:00:00:00:00:d1}
                  db-1: {function: db, mode: nat, ip: 10.0.0.9, tag: port, port: 8, mac: 00:00:00:00:00:e1, health: {probe-port: 5432}}
                services:
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [{device: fw-1, copy-to: [ids-1]}, app-1]
                  db:
                    address: {ip: 203.0.113.11, protocol: tcp, port: 3306}
                    sequence: [db-1]
                """));
        assertEquals(new Catalog.ProbeTarget(Catalog.Probe.LOOP, null, null), c.probeFor(c.devices().get("fw-1")));
        assertEquals(new Catalog.ProbeTarget(Catalog.Probe.TCP, Ipv4.parse("203.0.113.10"), 80),
                c.probeFor(c.devices().get("app-1")));
        assertEquals(new Catalog.ProbeTarget(Catalog.Probe.NONE, null, null), c.probeFor(c.devices().get("ids-1")),
                "an IDS only listens");
        assertEquals(new Catalog.ProbeTarget(Catalog.Probe.TCP, Ipv4.parse("10.0.0.9"), 5432),
                c.probeFor(c.devices().get("db-1")), "a nat server at its own address, on its probe-port");
    }

    @Test
    void badValuesSayWhatIsExpected() {
        List<String> p = problems(SWITCH.replace("02:00:00:00:fe:01", "02:00:00:fe:01") + DEVICES
                .replace("port: 6", "port: 600").replace("tag: port", "tag: color"));
        assertEquals(List.of(
                "c.yaml:2:8: 'mac' of switch: '02:00:00:fe:01' is not a MAC address; write six hex bytes like 00:1b:21:3a:4f:02",
                "c.yaml:12:10: 'tag' of device app-1 must be one of [dscp, port], not 'color'",
                "c.yaml:13:11: 'port' of device app-1 must be 0..510, not 600"), p);
    }

    @Test
    void unknownDevicesAreNamedWithTheKnownOnes() {
        assertEquals(List.of("c.yaml:18:22: service web step 2: unknown device 'fw-9'; the catalog's devices are "
                + "[app-1, fw-1]"), serviceProblems("""
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [fw-1, fw-9, app-1]
                """).stream().filter(s -> s.contains("unknown device")).toList());
    }

    @Test
    void duplicateServiceAddresses() {
        assertEquals(List.of("c.yaml:20:14: service b has the same address as service a (203.0.113.10 tcp 80); "
                + "change its ip or port"), serviceProblems("""
                  a:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                  b:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1]
                """));
    }

    @Test
    void dynamicPortRangesOfOneIpMustNotOverlapOrSwallowAServicePort() {
        assertEquals(List.of(
                "c.yaml:17:73: service a's dynamic ports 1025-1125 include port 1100, the service port of b; move the "
                        + "range or that service's port",
                "c.yaml:20:75: service b owns dynamic ports 1100-1300, which overlap 1025-1125 owned by service a on "
                        + "the same ip; each service port needs its own range"), serviceProblems("""
                  a:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80, dynamic-ports: 1025-1125}
                    sequence: [app-1]
                  b:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 1100, dynamic-ports: 1100-1300}
                    sequence: [app-1]
                """).stream().sorted().toList());
    }

    @Test
    void aPortBelongsToOneDeviceOrUplink() {
        assertEquals(List.of("c.yaml:13:11: device app-1 is on port 3, which device fw-1 already uses; the switch "
                + "tells devices apart by port, so give each its own port"),
                problems(SWITCH + DEVICES.replace("port: 6", "port: 3")));
    }

    @Test
    void natWithoutAnAddressAndNatInTheMiddle() {
        List<String> p = problems(SWITCH + DEVICES.replace("    function: firewall", "    function: firewall\n    mode: nat")
                + """
                services:
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [fw-1, app-1]
                """);
        assertEquals(List.of(
                "c.yaml:7:5: device fw-1 runs in nat mode but has no 'ip': give the address the switch translates the "
                        + "service address to, or use mode: l2",
                "c.yaml:19:16: service web step 1: device fw-1 runs in nat mode but is not the last step; NAT is for "
                        + "the server at the end of a sequence"), p);
    }

    @Test
    void theLastDeviceIsPortTaggedAndOneArmed() {
        assertEquals(List.of(
                "c.yaml:18:16: service web step 1: device fw-1 ends the service, so replies start there and carry no "
                        + "step tag of ours: give it tag: port",
                "c.yaml:18:16: service web step 1: the last device must be a one-port device (its replies leave "
                        + "where requests arrive)"), serviceProblems("""
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [fw-1]
                """));
    }

    @Test
    void aPortTaggedDeviceTwiceIsALoop() {
        assertEquals(List.of("c.yaml:18:23: service web step 2: device app-1 appears twice and is port-tagged, so the "
                + "switch could not tell the two visits apart (a loop); give it tag: dscp or use another device"),
                serviceProblems("""
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence: [app-1, app-1]
                """));
    }

    @Test
    void portTranslationOnlyAtTheEnd() {
        assertEquals(List.of("c.yaml:19:9: service web step 1: port translation is only for the last step (the "
                + "server); the reply is translated back where it is classified"), serviceProblems("""
                  web:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                    sequence:
                      - {device: fw-1, port: 8080}
                      - app-1
                """));
    }

    @Test
    void tooManySteps() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 15; i++) {
            many.append("fw-1, ");
        }
        many.append("app-1]");
        List<String> p = serviceProblems("  web:\n    address: {ip: 203.0.113.10, protocol: tcp, port: 80}\n"
                + "    sequence: " + many + "\n");
        assertEquals("c.yaml:17:5: service web has 16 steps; at most 15 fit the step tag (5 bits of DSCP; the sixth "
                + "tells a cut-over's old and new steps apart); split it into two services, the second one's clients "
                + "coming 'from' the first one's last device", p.get(0));
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        assertEquals(3, problems("""
                switch:
                  mac: zz
                  uplinks: []
                devices:
                  x: {port: 1}
                """).size(), "bad mac, device x without function, device x without mac");
    }

    @Test
    void portLimitsAreOnTheCatalogsPortsOnce() {
        String svc = "services:\n  web:\n    address: {ip: 203.0.113.1, protocol: tcp, port: 80}\n    sequence: [app-1]\n";
        assertEquals(List.of("c.yaml:6:7: the limit of port 2 needs 'pps'"),
                problems(SWITCH + "  port-limits:\n    - {port: 2}\n" + DEVICES + svc));
        String limits = SWITCH + "  port-limits:\n    - {port: 1, pps: 1000}\n    - {port: 9, pps: 10}\n"
                + "    - {port: 1, pps: 5}\n" + DEVICES + svc;
        assertEquals(List.of("c.yaml:7:7: port-limits: port 9 is no uplink's or device's port [1, 2, 3, 6]; a packet from a port "
                        + "with no role is dropped anyway",
                "c.yaml:8:7: port-limits: port 1 is limited twice (also at line 6); keep one"), problems(limits));
        Catalog ok = CatalogLoader.loadText("c.yaml", SWITCH + "  port-limits:\n    - {port: 6, pps: 1000}\n" + DEVICES + svc);
        Catalog.PortLimit l = ok.switchInfo().portLimits().get(0);
        assertEquals(List.of(6L, 1000L, 100L), List.of((long) l.port(), l.rate().pps(), l.rate().burst()),
                "port 6 at 1,000 packets a second, a burst of a tenth of that by default");
    }
}
