package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sfc.sw.ports.PcapPort;
import org.sfc.sw.ports.PcapProbe;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * Real frames over veth pairs: the switch's ports are veth ends in the root namespace (through libpcap); their
 * peers live in a network namespace this test creates, where a {@link PcapProbe} process plays the hosts.
 * Skips, saying why, only where the machine cannot create namespaces or load libpcap (CI can).
 */
class VethPortTest {
    String ns;
    String suffix;
    List<PcapPort> ports = new ArrayList<>();
    Process probe;
    PrintStream probeIn;
    final BlockingQueue<String> probeOut = new LinkedBlockingQueue<>();
    SoftwareSwitch sw;

    static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to create network namespaces and veth pairs");
        suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
        ns = "sfcsw-" + suffix;
        Assumptions.assumeTrue(sh("ip", "netns", "add", ns) == 0, "cannot create a network namespace here");
        for (int i = 1; i <= 2; i++) {
            String s = "sfs" + i + suffix;
            String h = "sfh" + i + suffix;
            assertEquals(0, sh("ip", "link", "add", s, "type", "veth", "peer", "name", h));
            assertEquals(0, sh("ip", "link", "set", h, "netns", ns));
            sh("sysctl", "-q", "-w", "net.ipv6.conf." + s + ".disable_ipv6=1");
            sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf." + h + ".disable_ipv6=1");
            assertEquals(0, sh("ip", "link", "set", s, "up"));
            assertEquals(0, sh("ip", "netns", "exec", ns, "ip", "link", "set", h, "up"));
        }
        sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null,
                ByteString.copyFromUtf8(Files.readString(Path.of("src/test/resources/p4/router.p4"))), 1);
        for (int i = 1; i <= 2; i++) {
            int port = i;
            try {
                PcapPort p = PcapPort.open("sfs" + i + suffix, frame -> sw.receive(port, frame));
                sw.attachPort(port, p::send);
                ports.add(p);
            } catch (UnsatisfiedLinkError e) {
                Assumptions.abort("libpcap cannot be loaded: " + e.getMessage());
            }
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        probe = new ProcessBuilder("ip", "netns", "exec", ns, java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                PcapProbe.class.getName(), "sfh1" + suffix, "sfh2" + suffix).redirectErrorStream(true).start();
        probeIn = new PrintStream(probe.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    probeOut.add(line);
                }
            } catch (Exception e) {
                // probe ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line = "";
        while (!"ready".equals(line) && System.nanoTime() < until) {
            line = probeOut.poll(1, TimeUnit.SECONDS);
        }
        assertEquals("ready", line, "the probe in the namespace did not start: " + probeOut);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (probe != null) {
            probe.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        ports.forEach(PcapPort::close);
        if (ns != null) {
            sh("ip", "link", "del", "sfs1" + suffix);
            sh("ip", "link", "del", "sfs2" + suffix);
            sh("ip", "netns", "del", ns);
        }
    }

    @Test
    void framesCrossTheSwitchBetweenVethPeersInANamespace() throws Exception {
        P4Rt rt = new P4Rt(sw.pipeline().p4info);
        for (SoftwareSwitch.UpdateResult r : sw.write(P4Rt.inserts(rt.entry("ipv4_lpm",
                rt.call("MyIngress.forward", 0x00cc00000003L, 2), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))), WriteRequest.Atomicity.CONTINUE_ON_ERROR)) {
            assertTrue(r.ok(), r.message());
        }
        int n = 100;
        Set<String> expected = ConcurrentHashMap.newKeySet();
        List<String> toSend = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] in = Packets.tcp(0x00aa00000001L, 0x00bb00000002L, "192.168.1.10", "10.1.2.3", 10000 + i, 80, 64, 0,
                    ("frame " + i).getBytes());
            byte[] out = in.clone();
            System.arraycopy(Packets.mac(0x00cc00000003L), 0, out, 0, 6);
            System.arraycopy(Packets.mac(0x00aa00000001L), 0, out, 6, 6);
            out[22]--;
            Packets.fixIpv4Checksum(out, 14);
            expected.add("recv sfh2" + suffix + " " + HexFormat.of().formatHex(out));
            toSend.add("send sfh1" + suffix + " " + HexFormat.of().formatHex(in));
        }
        toSend.forEach(probeIn::println);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> unexpectedOnHost1 = new ArrayList<>();
        while (!expected.isEmpty() && System.nanoTime() < deadline) {
            String line = probeOut.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (!expected.remove(line) && line.startsWith("recv sfh1")) {
                unexpectedOnHost1.add(line);
            }
        }
        assertEquals(0, expected.size(), expected.size() + " of " + n + " routed frames never reached host 2");
        assertEquals(List.of(), unexpectedOnHost1, "nothing goes back to host 1");
    }
}
