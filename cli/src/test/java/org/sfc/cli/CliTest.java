package org.sfc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/** Each subcommand's output and exit code, including bad input. */
class CliTest {
    static final String PROGRAM = "../p4src/v1model/sfc.p4";
    static final String FIG7 = "../examples/figure-7.yaml";
    // A switch per test, as each test has its own database: one database never takes over another's switch.
    SwitchServer server;
    SoftwareSwitch sw;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void startSwitch() throws Exception {
        sw = new SoftwareSwitch(1, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
    }

    @AfterEach
    void stopSwitch() {
        server.close();
    }

    static Run sfc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = SfcCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    String[] withSwitch(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!args[1].equals("history")) {
            all.addAll(List.of("--program", PROGRAM));
        }
        all.addAll(List.of("--target", "127.0.0.1:" + server.port(), "--db", dir.resolve("sfc.db").toString(),
                "--user", "tester"));
        return all.toArray(String[]::new);
    }

    /**
     * Every command and subcommand answers --help with its usage (an option clashing with --help/--version broke it
     * for service list/show/trace/graph/clone and device list); picocli's own 'help' commands aside.
     */
    @Test
    void everyCommandTeachesItsUsage() {
        List<String> broken = new ArrayList<>();
        java.util.ArrayDeque<List<String>> todo = new java.util.ArrayDeque<>(List.of(List.of()));
        int seen = 0;
        while (!todo.isEmpty()) {
            List<String> path = todo.pop();
            var cl = SfcCommand.commandLine();
            for (String name : path) {
                cl = cl.getSubcommands().get(name);
            }
            cl.getSubcommands().keySet().stream().filter(name -> !name.equals("help")).forEach(name -> {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                todo.push(next);
            });
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = sfc(args.toArray(String[]::new));
            seen++;
            if (r.code() != 0 || !r.out().startsWith("Usage: sfc")) {
                broken.add(String.join(" ", path) + " (exit " + r.code() + "): " + r.err().lines().findFirst().orElse(""));
            }
        }
        assertTrue(seen > 20, "walked " + seen + " commands");
        assertEquals(List.of(), broken);
    }

    @Test
    void validateSaysWhatAValidCatalogCompilesTo() {
        Run r = sfc("catalog", "validate", FIG7, "--program", PROGRAM);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)\\.\\./examples/figure-7\\.yaml: valid: 2 services, 4 devices -> \\d+ P4Runtime entities\\s*"),
                r.out());
    }

    @Test
    void validateTakesTheTnaProgramOrItsP4InfoInBinaryAndRefusesAnUnreadableOne() throws Exception {
        Run fromProgram = sfc("catalog", "validate", FIG7, "--program", "../p4src/tna/sfc.p4");
        assertEquals(0, fromProgram.code(), fromProgram.err());
        var info = org.sfc.sw.p4info.P4InfoBuilder.build(org.sfc.sw.compile.Compiler.compileFile(
                Path.of("../p4src/tna/sfc.p4"), List.of()));
        Path bin = dir.resolve("sfc.p4info.bin");
        Files.write(bin, info.toByteArray());
        Run fromBinary = sfc("catalog", "validate", FIG7, "--p4info", bin.toString());
        assertEquals(0, fromBinary.code(), fromBinary.err());
        assertEquals(fromProgram.out(), fromBinary.out());
        Path text = dir.resolve("sfc.p4info.txtpb");
        Files.write(text, info.toByteArray()); // binary under a text name
        Run wrong = sfc("catalog", "validate", FIG7, "--p4info", text.toString());
        assertEquals(2, wrong.code(), wrong.out()); // bad input
        assertTrue(wrong.err().contains("not a P4Info in text format") && wrong.err().contains("*.bin"), wrong.err());
    }

    @Test
    void validateListsEveryProblemAndExitsOne() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of(FIG7)).replace("port: 6", "port: 600")
                .replace("mac: 00:00:00:00:00:d1", "mac: 00:00:00:00:d1"));
        Run r = sfc("catalog", "validate", bad.toString(), "--program", PROGRAM);
        assertEquals(SfcCommand.INVALID, r.code());
        assertTrue(r.err().contains("invalid (2 problems)"), r.err());
        assertTrue(r.err().contains("bad.yaml:34:11: 'port' of device app-1 must be 0..510, not 600"), r.err());
        assertTrue(r.err().contains("bad.yaml:28:10: 'mac' of device ids-1: '00:00:00:00:d1' is not a MAC address"), r.err());
    }

    @Test
    void diffPrintsTheWritesInOrder() throws Exception {
        Path v2 = dir.resolve("v2.yaml");
        Files.writeString(v2, Files.readString(Path.of(FIG7)).replace("dscp: 10 ", "dscp: 12 "));
        Run r = sfc("catalog", "diff", FIG7, v2.toString(), "--program", PROGRAM);
        assertEquals(0, r.code(), r.err());
        // vpn-access's marking (toward the port-tagged VPN, and toward the uplink) changes two of its steps: all four
        // go under its other version beside the old ones, its classifiers flip, then the old ones go.
        assertEquals(List.of("# insert/modify sequence steps",
                "+ sequence service_id=2 direction=0 step=0 slot=1 version=1 -> to_next_hop(nh_id=3, dscp=33)",
                "+ sequence service_id=2 direction=0 step=33 slot=3 version=0 -> to_next_hop(nh_id=2, dscp=12)",
                "+ sequence service_id=2 direction=1 step=31 slot=4 version=1 -> to_next_hop(nh_id=4, dscp=35)",
                "+ sequence service_id=2 direction=1 step=35 slot=2 version=0 -> to_next_hop(nh_id=5, dscp=12)",
                "# insert/modify classifiers and ACLs",
                "~ classify_dst ipv4_dst=203.0.113.10 ip_proto=6 l4_dport=443 -> set_service(service_id=2, direction=0, version=1)",
                "~ classify_src ipv4_src=203.0.113.10 ip_proto=6 l4_sport=443 -> set_service_by_src(service_id=2, direction=1, version=1)",
                "# delete sequence steps",
                "- sequence service_id=2 direction=0 step=0 slot=1 version=0 -> to_next_hop(nh_id=3, dscp=1)",
                "- sequence service_id=2 direction=0 step=1 slot=3 version=0 -> to_next_hop(nh_id=2, dscp=10)",
                "- sequence service_id=2 direction=1 step=31 slot=4 version=0 -> to_next_hop(nh_id=4, dscp=3)",
                "- sequence service_id=2 direction=1 step=3 slot=2 version=0 -> to_next_hop(nh_id=5, dscp=10)",
                "10 writes"), r.out().lines().toList());
    }

    @Test
    void applyHistoryAndRollbackAgainstASwitch() throws Exception {
        Run first = sfc(withSwitch("catalog", "apply", FIG7, "--note", "first"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("version 1 applied to 127.0.0.1:" + server.port() + "/1: "), first.out());
        Path v2 = dir.resolve("v2.yaml");
        Files.writeString(v2, Files.readString(Path.of(FIG7)).replace("dscp: 10 ", "dscp: 12 "));
        Run second = sfc(withSwitch("catalog", "apply", v2.toString(), "--drain", "100ms"));
        // vpn-access's marking changed: its steps go under its other version, the old ones after the drain
        assertTrue(second.out().contains("version 2 applied") && second.out().contains(": 6 writes"), second.out());
        assertTrue(second.out().contains("per-packet cut-over of vpn-access: new steps beside the old ones, classifiers "
                + "flipped\nkeeping 4 old entries 100 ms for packets inside devices...\nold entries removed"), second.out());
        Run unreadable = sfc(withSwitch("catalog", "apply", v2.toString(), "--drain", "2 minutes"));
        assertEquals(2, unreadable.code());
        assertTrue(unreadable.err().contains("--drain takes a time such as 2s or 500ms (or 0), not '2 minutes'"),
                unreadable.err());
        Run back = sfc(withSwitch("catalog", "rollback", "1", "--drain", "0"));
        assertEquals(0, back.code(), back.err());
        assertTrue(back.out().startsWith("version 3 (= version 1) applied"), back.out());
        assertTrue(back.out().contains("per-packet cut-over of vpn-access") && !back.out().contains("keeping"),
                "with no drain the old steps went at once: " + back.out());
        Run history = sfc(withSwitch("catalog", "history"));
        List<String> lines = history.out().lines().toList();
        assertEquals(5, lines.size(), history.out());
        assertTrue(lines.get(1).startsWith("1 ") && lines.get(1).contains("tester") && lines.get(1).endsWith("first"));
        assertTrue(lines.get(3).startsWith("3*") && lines.get(3).endsWith("rollback to version 1"), lines.get(3));
        Run json = sfc(withSwitch("catalog", "history", "-o", "json"));
        assertTrue(json.out().contains("\"version\": 3") && json.out().contains("\"note\": \"rollback to version 1\""));
        Run missing = sfc(withSwitch("catalog", "rollback", "9"));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("there is no version 9"), missing.err());
        Run switches = sfc("switch", "list", "--db", dir.resolve("sfc.db").toString());
        assertEquals(0, switches.code(), switches.err());
        assertTrue(switches.out().lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1:" + server.port() + "/1 +3 *")),
                "what this database applied, per switch: " + switches.out());
    }

    @Test
    void aStandbysOptionsGoWithTheStandby() {
        Run alone = sfc("controller", "run", "--standby-device-id", "2", "--program", PROGRAM, "--token-file",
                dir.resolve("token").toString(), "--db", dir.resolve("sfc.db").toString(), "--listen", "127.0.0.1:0");
        assertEquals(2, alone.code(), alone.out());
        assertTrue(alone.err().contains("--standby-device-id goes with --standby"), alone.err());
        Run negative = sfc("controller", "run", "--standby", "127.0.0.1:9560", "--takeover-after", "-5", "--program",
                PROGRAM, "--token-file", dir.resolve("token").toString(), "--db", dir.resolve("sfc.db").toString(),
                "--listen", "127.0.0.1:0");
        assertEquals(2, negative.code(), negative.out());
        assertTrue(negative.err().contains("--takeover-after is a number of milliseconds"), negative.err());
    }

    @Test
    void activatingASwitchOfAPairNeedsTheDaemonThatDrivesIt() {
        Run r = sfc("switch", "activate", "127.0.0.1:9560/1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'sfc switch activate' needs the controller daemon that drives the pair: --controller"),
                r.err());
    }

    /** {@link #withSwitch} with another controller database. */
    String[] withDatabase(String db, String... args) {
        String[] all = withSwitch(args);
        for (int i = 0; i < all.length; i++) {
            if (all[i].equals("--db")) {
                all[i + 1] = dir.resolve(db).toString();
            }
        }
        return all;
    }

    @Test
    void aSwitchAnotherDatabaseWroteIsRefusedUnlessReplacedOrAdopted() throws Exception {
        assertEquals(0, sfc(withSwitch("catalog", "apply", FIG7)).code());
        String fig6 = Path.of(FIG7).resolveSibling("figure-6.yaml").toString();
        Run refused = sfc(withDatabase("b.db", "catalog", "apply", fig6));
        assertEquals(3, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().matches("(?s)sfc: switch 127\\.0\\.0\\.1:\\d+/1 holds \\d+ entries that no version of "
                + "this database wrote \\(this database has applied nothing to it\\); nothing was changed\\. "
                + "`sfc switch adopt` records them as a version, or `--replace` overwrites them\\s*"), refused.err());

        Run replaced = sfc(withDatabase("b.db", "catalog", "apply", fig6, "--replace"));
        assertEquals(0, replaced.code(), replaced.err());
        Run again = sfc(withSwitch("catalog", "apply", FIG7));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().matches("(?s)127\\.0\\.0\\.1:\\d+/1 had drifted from version 1 \\(someone else changed "
                + "it\\): repaired with \\d+ writes; 'sfc events' says what\\nversion 2 applied .*\\(no change\\)\\n"),
                again.out());

        Run adopted = sfc(withDatabase("c.db", "switch", "adopt", "--note", "found"));
        assertEquals(0, adopted.code(), adopted.err());
        assertTrue(adopted.out().matches("version 1: the \\d+ entries of 127\\.0\\.0\\.1:\\d+/1, adopted as found "
                + "\\(nothing written\\)\\n"), adopted.out());
        Run list = sfc("service", "list", "--target", "127.0.0.1:" + server.port(), "--db", dir.resolve("c.db").toString());
        assertEquals(2, list.code());
        assertTrue(list.err().contains("version 1 is the ") && list.err().contains("not a catalog"), list.err());

        Run push = sfc(withSwitch("pipeline", "push"));
        assertEquals(3, push.code(), push.out());
        assertTrue(push.err().contains("and a new pipeline clears them all; nothing was changed. `--replace`"), push.err());
        assertEquals(0, sfc(withSwitch("pipeline", "push", "--replace")).code());
    }

    @Test
    void anInvalidCatalogIsRefusedWithoutASwitch() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "switch: {mac: 02:00:00:00:fe:01}\n");
        Run r = sfc("catalog", "apply", bad.toString(), "--program", PROGRAM, "--target", "127.0.0.1:1",
                "--db", dir.resolve("x.db").toString());
        assertEquals(SfcCommand.INVALID, r.code());
        assertTrue(r.err().startsWith("the catalog is invalid"), r.err());
    }

    @Test
    void anUnreachableSwitchExitsFour() {
        Run r = sfc("catalog", "apply", FIG7, "--program", PROGRAM, "--target", "127.0.0.1:1",
                "--db", dir.resolve("x.db").toString());
        assertEquals(SfcCommand.UNREACHABLE, r.code());
        assertTrue(r.err().contains("no P4Runtime switch answered at 127.0.0.1:1"), r.err());
    }

    @Test
    void badUsageExitsTwoWithHelp() {
        Run r = sfc("catalog", "validate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required parameter") && r.err().contains("Usage: sfc catalog validate"), r.err());
        assertEquals(2, sfc("catalog", "apply", FIG7, "--target", "nowhere").code());
    }

    @Test
    void demoFollowsTheRequestAndTheReplyAndExitsZero() {
        Run r = sfc("demo", "--program", PROGRAM, "--catalog", FIG7);
        assertEquals(0, r.code(), r.out() + r.err());
        String o = r.out();
        for (String expected : List.of("pipeline pushed", "applied as version 1",
                "switch -> port 2   fw-1 (outside)      198.51.100.7:40000 -> 203.0.113.10:443 dscp 1",
                "vpn-1 decapsulates", "ids-1 receives the copy",
                "switch -> port 6   app-1               198.51.100.7:40000 -> 10.0.0.6:8080 dscp 0",
                "switch -> port 1   uplink internet     203.0.113.10:443 -> 198.51.100.7:40000 dscp 10",
                "the reply reached the client", "app-1                 1              1",
                "ids-1                 2              0")) { // the request's and the reply's copies
            assertTrue(o.contains(expected), "missing '" + expected + "' in:\n" + o);
        }
    }

    /** The redundant pair's demo: the daemon drives two switches; the active one dies; the next request goes through B. */
    @Test
    void redundantDemoTakesOverAndAnswersThroughTheStandby() {
        Run r = sfc("demo", "--redundant", "--program", PROGRAM, "--catalog", FIG7);
        assertEquals(0, r.code(), r.out() + r.err());
        String o = r.out();
        for (String expected : List.of("catalog applied to both", "through A answered; B, the standby, drops it",
                "switch A dies", "13 entry points (ARP answers, port roles, punts) written", "the reply reached the client "
                + "through B", "the controller made it the standby")) {
            assertTrue(o.contains(expected), "missing '" + expected + "' in:\n" + o);
        }
        assertTrue(o.matches("(?s).*6\\. switch A comes back.*127\\.0\\.0\\.1:\\d+/1 +standby +version 1\n.*"), o);
    }

    @Test
    void helpTeaches() {
        Run r = sfc("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("catalog") && r.out().contains("demo") && r.out().contains("Exit codes"));
    }

    @Test
    void serviceListShowGraphAndDeviceList() {
        Run list = sfc("service", "list", "-c", FIG7);
        assertEquals(0, list.code(), list.err());
        assertEquals(List.of(
                "SERVICE            TENANT     ADDRESS                            DSCP  CHAIN",
                "app                acme       203.0.113.10 tcp 8080              0     app-1 (+copy ids-1)",
                "vpn-access         acme       203.0.113.10 tcp 443               10    fw-1 -> vpn-1"), list.out().lines().toList());
        Run csv = sfc("service", "list", "-c", FIG7, "-o", "csv");
        assertEquals("app,acme,\"203.0.113.10 tcp 8080\",\"app-1 (+copy ids-1)\",0", csv.out().lines().toList().get(1));
        Run show = sfc("service", "show", "app", "-c", FIG7, "--program", PROGRAM);
        assertTrue(show.out().contains("  chain    app-1 (+copy ids-1)") && show.out().contains("    classify_src ipv4_src=10.0.0.6"),
                show.out());
        Run graph = sfc("service", "graph", "vpn-access", "-c", FIG7);
        assertTrue(graph.out().contains("\"clients of vpn-access\" -> \"fw-1\" [label=\"vpn-access\"];")
                && graph.out().contains("\"fw-1\" -> \"vpn-1\""), graph.out());
        Run devices = sfc("device", "list", "-c", FIG7);
        assertTrue(devices.out().lines().anyMatch(l -> l.matches("vpn-1 +vpn +4 +l2 +port +- +drop +- +app, vpn-access")),
                devices.out());
        Run unknown = sfc("service", "show", "nope", "-c", FIG7, "--program", PROGRAM);
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no service 'nope'") && unknown.err().contains("[app, vpn-access]"), unknown.err());
    }

    @Test
    void traceFollowsAServiceThroughACopyOfThePipeline() {
        Run r = sfc("service", "trace", "vpn-access", "-c", FIG7, "--program", PROGRAM);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("vpn-1 decapsulates") && r.out().contains("the reply reached client 198.51.100.7"),
                r.out());
    }

    @Test
    void cloneAddsAValidatedReplicaOnANewAddressWithADeviceSwapped() throws Exception {
        Path out = dir.resolve("with-clone.yaml");
        Path fig6 = Path.of("../examples/figure-6.yaml");
        Run r = sfc("service", "clone", "web", "web-2", "--ip", "203.0.113.20", "--swap", "web-1=mail-1", "-c",
                fig6.toString(), "--write", out.toString());
        assertEquals(0, r.code(), r.err());
        var c = org.sfc.catalog.CatalogLoader.load(out);
        assertEquals("203.0.113.20", c.services().get("web-2").address().ip().toString());
        assertEquals(List.of("fw-1", "mail-1"), c.services().get("web-2").sequence().stream().map(st -> st.target()).toList());
        assertEquals(List.of("fw-1", "web-1"), c.services().get("web").sequence().stream().map(st -> st.target()).toList());
        Run clash = sfc("service", "clone", "web", "web-3", "--ip", "203.0.113.10", "-c", fig6.toString());
        assertEquals(SfcCommand.INVALID, clash.code(), "the clone's address is taken: " + clash.err());
        Run notUsed = sfc("service", "clone", "web", "web-3", "--ip", "203.0.113.30", "--swap", "nope=mail-1", "-c",
                fig6.toString());
        assertEquals(2, notUsed.code());
        assertTrue(notUsed.err().contains("does not use 'nope'"), notUsed.err());
    }

    @Test
    void pipelinePushGivesTheSwitchTheProgram() throws Exception {
        try (SwitchServer fresh = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0)) {
            Run r = sfc("pipeline", "push", "--program", PROGRAM, "--target", "127.0.0.1:" + fresh.port(), "--db",
                    dir.resolve("sfc.db").toString());
            assertEquals(0, r.code(), r.err());
            long tables = Files.readString(Path.of("../p4src/v1model/sfc.p4info.txtpb")).lines()
                    .filter(l -> l.equals("tables {")).count();
            assertTrue(r.out().startsWith("pipeline pushed to 127.0.0.1:" + fresh.port() + "/1: " + tables + " tables"),
                    "every table of the program's P4Info: " + r.out());
            // Another controller holds a higher election id: ours (10) is a backup and may not push. (On a switch of
            // its own: once a switch has seen 100, only 100 or more may ever be primary there again.)
            try (var primary = org.sfc.controller.P4RuntimeClient.connect("127.0.0.1", fresh.port(), 1, 100, 5000)) {
                Run backup = sfc("pipeline", "push", "--program", PROGRAM, "--target", "127.0.0.1:" + fresh.port(),
                        "--db", dir.resolve("sfc.db").toString());
                assertEquals(3, backup.code(), backup.out());
                assertTrue(backup.err().contains("is a backup"), backup.err());
            }
        }
    }

    @Test
    void statsAccountPerServiceStepDeviceAndDrop() {
        assertEquals(0, sfc(withSwitch("catalog", "apply", FIG7)).code());
        // A client's request to vpn-access reaches the firewall; a packet on an unknown port is dropped.
        byte[] req = org.sfc.controller.Frame.tcp(0x02000000fe01L, 0xa1, org.sfc.catalog.Ipv4.parse("198.51.100.7").value(),
                org.sfc.catalog.Ipv4.parse("203.0.113.10").value(), 40000, 443, 2, "x").bytes();
        assertEquals(1, sw.receive(1, req).size());
        assertEquals(0, sw.receive(40, req).size());
        String[] args = withSwitch("stats", "-o", "csv");
        Run r = sfc(java.util.Arrays.stream(args).filter(a -> !a.equals("--user") && !a.equals("tester")).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("requests,vpn-access,1,55,\"classify_dst ipv4_dst=203.0.113.10 ip_proto=6 l4_dport=443 "
                + "-> set_service(service_id=2, direction=0, version=0)\""), r.out());
        assertTrue(lines.contains("step,vpn-access,1,55,\"sequence service_id=2 direction=0 step=0 slot=1 version=0 -> "
                + "to_next_hop(nh_id=3, dscp=1)\""), r.out());
        assertTrue(lines.contains("device,fw-1,1,55,\"sent to\""), r.out()); // bytes too (they were always 0)
        assertTrue(lines.contains("device,app-1,0,0,\"sent to\""), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("drops,-,1,")), r.out());
    }

    /** The ./sfc launcher hands every command of SfcCommand to it (a new command once went missing there). */
    @Test
    void theLauncherRunsEveryCommand() throws Exception {
        String launcher = Files.readString(Path.of("../sfc"));
        var cases = java.util.regex.Pattern.compile("\n  ([a-z|]+)\\)\n    build_if_needed\n").matcher(launcher);
        assertTrue(cases.find(), "the launcher's case for SfcCommand");
        java.util.Set<String> launched = java.util.Set.of(cases.group(1).split("\\|"));
        for (String command : SfcCommand.commandLine().getSubcommands().keySet()) {
            if (!command.equals("help") && !command.equals("switch")) {
                assertTrue(launched.contains(command), "./sfc does not run '" + command + "': " + launched);
            }
        }
        // 'sfc switch' is the software switch's, but for the subcommands SfcCommand adds to it
        var own = java.util.regex.Pattern.compile("case \"\\$\\{2:-}\" in ([a-z|]+)\\)").matcher(launcher);
        assertTrue(own.find(), "the launcher's case for SfcCommand's switch subcommands");
        java.util.Set<String> added = new java.util.TreeSet<>(SfcCommand.commandLine().getSubcommands().get("switch")
                .getSubcommands().keySet());
        added.removeAll(new picocli.CommandLine(new org.sfc.sw.cli.SwitchCommand()).getSubcommands().keySet());
        assertEquals(added, new java.util.TreeSet<>(java.util.List.of(own.group(1).split("\\|"))),
                "./sfc switch X runs SfcCommand for exactly the subcommands it adds");
    }

    @Test
    void theDaemonsTokenIsRandomPrivateAndKept() throws Exception {
        Path file = dir.resolve("sub/token");
        String token = ControllerCommand.Run.token(file);
        assertTrue(token.matches("[0-9a-f]{48}"), token);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(token, ControllerCommand.Run.token(file), "the same token on the next start");
        Run help = sfc("controller", "run", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("POST /v1/catalog"), help.out());
    }

    /** A controller daemon in charge of {@code sw}, keeping its state in {@code db}. */
    static org.sfc.controller.ControllerDaemon daemon(SwitchServer sw, Path db, String token) throws Exception {
        PipelineOptions o = new PipelineOptions();
        o.program = Path.of(PROGRAM);
        var daemon = org.sfc.controller.ControllerDaemon.start(new org.sfc.controller.ControllerDaemon.Config(
                "127.0.0.1", sw.port(), 1, 10, o.load(), db, "127.0.0.1", 0, token, null));
        long end = System.currentTimeMillis() + 10_000;
        while (!daemon.ready() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        return daemon;
    }

    @Test
    void applyAndRollbackThroughTheControllerDaemon() throws Exception {
        Path tokenFile = dir.resolve("token");
        String token = ControllerCommand.Run.token(tokenFile);
        try (SwitchServer own = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0);
             var daemon = daemon(own, dir.resolve("daemon.db"), token)) {
            String url = "http://127.0.0.1:" + daemon.httpPort();
            Run apply = sfc("catalog", "apply", FIG7, "--controller", url, "--token-file", tokenFile.toString());
            assertEquals(0, apply.code(), apply.err());
            assertTrue(apply.out().startsWith("applied through the controller: {\"version\": 1, \"writes\": 36"), apply.out());
            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, Files.readString(Path.of(FIG7)).replace("port: 6", "port: 600"));
            Run refused = sfc("catalog", "apply", bad.toString(), "--controller", url, "--token-file", tokenFile.toString());
            assertEquals(SfcCommand.INVALID, refused.code());
            assertTrue(refused.err().contains("'port' of device app-1 must be 0..510, not 600"), refused.err());
            Run back = sfc("catalog", "rollback", "1", "--controller", url, "--token-file", tokenFile.toString());
            assertEquals(0, back.code(), back.err());
            assertTrue(back.out().contains("\"version\": 2"), back.out());
            Run drain = sfc("catalog", "apply", FIG7, "--drain", "5s", "--controller", url, "--token-file",
                    tokenFile.toString());
            assertEquals(2, drain.code(), "the daemon drains as it was started");
            assertTrue(drain.err().contains("'sfc controller run --drain TIME'"), drain.err());
            Run switches = sfc("switch", "list", "--controller", url, "--token-file", tokenFile.toString());
            assertEquals(0, switches.code(), switches.err());
            assertTrue(switches.out().lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1:" + own.port()
                    + "/1 +active +yes +2 *.*")), "the daemon's switch, live: " + switches.out());
            Run notAPair = sfc("switch", "activate", "127.0.0.1:" + own.port() + "/1", "--controller", url,
                    "--token-file", tokenFile.toString());
            assertEquals(SfcCommand.REFUSED, notAPair.code());
            assertTrue(notAPair.err().contains("drives one switch, not a redundant pair"), notAPair.err());
        }
        Run gone = sfc("catalog", "rollback", "1", "--controller", "http://127.0.0.1:1", "--token-file", tokenFile.toString());
        assertEquals(SfcCommand.UNREACHABLE, gone.code(), gone.err());
    }

    /**
     * A tenant's user, made with 'sfc user add' while the daemon runs: 'catalog show' gives its view, 'catalog
     * apply' of the view changes its ACL, a forbidden change exits 5; 'sfc token revoke' ends the token at once.
     */
    @Test
    void aTenantsUserWorksThroughTheDaemonWithinItsRights() throws Exception {
        Path tokenFile = dir.resolve("token");
        String token = ControllerCommand.Run.token(tokenFile);
        String db = dir.resolve("daemon.db").toString();
        String fig13 = "../examples/figure-13.yaml";
        try (SwitchServer own = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0);
             var daemon = daemon(own, Path.of(db), token)) {
            String url = "http://127.0.0.1:" + daemon.httpPort();
            assertEquals(0, sfc("catalog", "apply", fig13, "--controller", url, "--token-file", tokenFile.toString()).code());
            Path annToken = dir.resolve("ann.token");
            Run add = sfc("user", "add", "ann", "--role", "tenant", "--tenant", "acme", "--token-out", annToken.toString(),
                    "--db", db);
            assertEquals(0, add.code(), add.err());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(annToken)));
            String secret = Files.readString(annToken).trim();
            assertFalse(add.out().contains(secret), "the token went to the file, not the screen");
            Run bad = sfc("user", "add", "bob", "--role", "tenant", "--db", db);
            assertEquals(2, bad.code());
            assertTrue(bad.err().contains("a tenant user names its tenant (--tenant T)"), bad.err());

            Run show = sfc("catalog", "show", "--controller", url, "--token-file", annToken.toString());
            assertEquals(0, show.code(), show.err());
            assertTrue(show.out().contains("acme-portal:") && !show.out().contains("globex"), show.out());
            Path view = dir.resolve("acme.yaml");
            Files.writeString(view, show.out().replace("198.51.100.66", "198.51.100.77"));
            Run apply = sfc("catalog", "apply", view.toString(), "--controller", url, "--token-file", annToken.toString());
            assertEquals(0, apply.code(), apply.err());
            assertTrue(apply.out().contains("\"version\": 2"), apply.out());

            Files.writeString(view, show.out().replace("sequence: [app-1]", "sequence: [app-2]"));
            Run refused = sfc("catalog", "apply", view.toString(), "--controller", url, "--token-file", annToken.toString());
            assertEquals(SfcCommand.FORBIDDEN, refused.code(), refused.err());
            assertTrue(refused.err().contains("not permitted; nothing was changed")
                    && refused.err().contains(view + ":") && refused.err().contains("the sequence of service acme-portal changed"),
                    refused.err());
            Run rollback = sfc("catalog", "rollback", "1", "--controller", url, "--token-file", annToken.toString());
            assertEquals(SfcCommand.FORBIDDEN, rollback.code(), rollback.err());

            Run list = sfc("user", "list", "--db", db);
            String id = secret.substring(0, secret.indexOf('.'));
            assertTrue(list.out().contains("ann") && list.out().contains("tenant acme") && list.out().contains(id), list.out());
            assertEquals(0, sfc("token", "revoke", id, "--db", db).code());
            Run revoked = sfc("catalog", "show", "--controller", url, "--token-file", annToken.toString());
            assertEquals(2, revoked.code());
            assertTrue(revoked.err().contains("refused the token"), revoked.err());
            assertTrue(sfc("token", "list", "--db", db).out().matches("(?s).*" + id + "\\s+ann\\s+\\S+\\s+20\\d\\d-.*"));
        }
    }

    @Test
    void drainRestoreReplaceAndTheirEvents() throws Exception {
        String fig15b = "../examples/figure-15b.yaml";
        assertEquals(0, sfc(withSwitch("catalog", "apply", fig15b)).code());
        Run drain = sfc(withSwitch("device", "drain", "fw-1", "--to", "fw-3"));
        assertEquals(0, drain.code(), drain.err());
        // fw-1 and fw-3 are of one pool: only where fw-1 is attached changes (device_attach).
        assertTrue(drain.out().startsWith("fw-1 drained to fw-3 on 127.0.0.1:" + server.port() + "/1: 2 writes in"), drain.out());
        Run list = sfc("device", "list", "-c", fig15b, "--db", dir.resolve("sfc.db").toString(),
                "--target", "127.0.0.1:" + server.port());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("fw-1 +firewall +2/3 +l2 +dscp +acme-firewalls +spare "
                + "+drained to fw-3 +w\\d.*")), list.out());
        Run again = sfc(withSwitch("device", "drain", "fw-1", "--to", "fw-3"));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already out of service (drained to fw-3); restore it first"), again.err());
        assertEquals(0, sfc(withSwitch("device", "restore", "fw-1")).code());
        Run replace = sfc(withSwitch("device", "replace", "app-1", "fw-3"));
        assertEquals(1, replace.code(), "a firewall cannot end a service: " + replace.out());
        Run events = sfc("events", "--db", dir.resolve("sfc.db").toString());
        assertEquals(0, events.code(), events.err());
        assertTrue(events.out().contains("device fw-1 drained to fw-3") && events.out().contains("device fw-1 restored"),
                events.out());
    }
}
