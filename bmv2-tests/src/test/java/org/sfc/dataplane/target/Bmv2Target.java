package org.sfc.dataplane.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.sfc.controller.PipelineConfig;
import org.sfc.sw.ports.PcapPort;
import org.sfc.sw.runtime.V1ModelPipeline.Output;

import org.sfc.sw.testing.P4c;

import com.google.protobuf.ByteString;

/**
 * BMv2's {@code simple_switch_grpc} running p4c's build of p4src/v1model/sfc.p4, started by the test. Its ports are
 * veth pairs in the root namespace made for it: the switch owns {@code sb<N><id>}, the test sends and receives on
 * the peer {@code st<N><id>} through libpcap. Needs p4c and simple_switch_grpc on PATH and root; {@link
 * #unavailable()} says what is missing, and the BMv2 test classes skip with that reason.
 */
public final class Bmv2Target implements Target {
    static final int PORTS = 16;
    static final int CPU_PORT = 255;
    /** How long the ports must stay quiet before send() decides the switch has emitted everything. */
    static final long SETTLE_MILLIS = 150;
    private static final Map<Path, PipelineConfig> builds = new java.util.HashMap<>();

    private final Path program;
    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final Path logDir;
    private final int grpcPort;
    /** BMv2 also serves Thrift (simple_switch_CLI); its default 9090 clashes between two switches. */
    private final int thriftPort;
    private final List<PcapPort> ports = new ArrayList<>();
    private final BlockingQueue<Output> emitted = new LinkedBlockingQueue<>();
    private final Map<Integer, java.util.function.Consumer<byte[]>> devices = new ConcurrentHashMap<>();
    private Process process;

    /** Why BMv2 cannot be used here, or null if it can. */
    public static String unavailable() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("p4c", "simple_switch_grpc")) {
            if (!P4c.onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            return "BMv2 target skipped: " + String.join(" and ", missing) + " not on PATH (install BMv2 and p4c to run "
                    + "this suite against simple_switch_grpc)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "BMv2 target skipped: creating its veth ports needs root";
        }
        return null;
    }

    private Bmv2Target(Path program) throws IOException {
        this.program = program;
        logDir = Files.createTempDirectory("sfc-bmv2-");
        grpcPort = freePort();
        thriftPort = freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts BMv2, or aborts the calling test (JUnit: skipped) with the reason it cannot run here. */
    public static Bmv2Target startOrSkip(Path program) throws Exception {
        String missing = unavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, missing);
        return start(program);
    }

    public static Bmv2Target start() throws Exception {
        return start(SoftwareSwitchTarget.PROGRAM);
    }

    /** BMv2 with p4c's build of {@code program} as its {@link #pipeline()} (not yet pushed). */
    public static Bmv2Target start(Path program) throws Exception {
        Bmv2Target t = new Bmv2Target(program);
        try {
            t.pipeline();
            for (int p = 1; p <= PORTS; p++) {
                t.makeVethPair(p);
            }
            t.launch();
            for (int p = 1; p <= PORTS; p++) {
                int port = p;
                t.ports.add(PcapPort.open("st" + p + t.id, frame -> t.received(port, frame)));
            }
            return t;
        } catch (Exception e) {
            t.close();
            throw e;
        }
    }

    private void makeVethPair(int p) throws Exception {
        String sw = "sb" + p + id;
        String test = "st" + p + id;
        run("ip", "link", "add", sw, "type", "veth", "peer", "name", test);
        for (String iface : List.of(sw, test)) {
            run("sysctl", "-q", "-w", "net.ipv6.conf." + iface + ".disable_ipv6=1");
            run("ip", "link", "set", iface, "up");
        }
    }

    private void launch() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("simple_switch_grpc", "--device-id", "1", "--no-p4",
                "--thrift-port", String.valueOf(thriftPort)));
        for (int p = 1; p <= PORTS; p++) {
            cmd.add("-i");
            cmd.add(p + "@sb" + p + id);
        }
        cmd.addAll(List.of("--", "--grpc-server-addr", "127.0.0.1:" + grpcPort, "--cpu-port", String.valueOf(CPU_PORT)));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logDir.resolve("simple_switch_grpc.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", grpcPort), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("simple_switch_grpc did not listen on 127.0.0.1:" + grpcPort
                            + (process.isAlive() ? " within 30 s" : " (it exited)") + "; its log:\n"
                            + Files.readString(logDir.resolve("simple_switch_grpc.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    private void received(int port, byte[] frame) {
        emitted.add(new Output(port, frame));
        java.util.function.Consumer<byte[]> device = devices.get(port);
        if (device != null) {
            device.accept(frame);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    @Override
    public String name() {
        return "bmv2";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int grpcPort() {
        return grpcPort;
    }

    /** p4c's build of the program (once per JVM): its P4Info and the BMv2 JSON as the device config. */
    @Override
    public PipelineConfig pipeline() {
        synchronized (Bmv2Target.class) {
            return builds.computeIfAbsent(program, Bmv2Target::build);
        }
    }

    private static PipelineConfig build(Path program) {
        try {
            P4c.Result r = P4c.compile(program);
            if (!r.ok()) {
                throw new IllegalStateException("p4c failed on " + program + ":\n" + r.log());
            }
            return new PipelineConfig(r.p4info(), ByteString.copyFrom(r.json()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot build " + program + " with p4c: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Output> send(int port, byte[] frame) {
        emitted.clear();
        port(port).send(frame);
        List<Output> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 2_000;
        try {
            while (System.currentTimeMillis() < deadline) {
                Output o = emitted.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
                if (o == null) {
                    break; // quiet: the switch has emitted everything this frame caused
                }
                out.add(o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public void onFrame(int port, java.util.function.Consumer<byte[]> device) {
        devices.put(port, device);
    }

    @Override
    public synchronized void inject(int port, byte[] frame) {
        port(port).send(frame); // a real cable: the switch's receive thread takes it from here
    }

    private PcapPort port(int port) {
        if (port < 1 || port > PORTS) {
            throw new IllegalArgumentException("BMv2 target has ports 1.." + PORTS + ", not " + port);
        }
        return ports.get(port - 1);
    }

    @Override
    public void restart() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        launch();
    }

    @Override
    public void close() {
        ports.forEach(PcapPort::close);
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int p = 1; p <= PORTS; p++) {
            try {
                run("ip", "link", "del", "sb" + p + id); // takes its peer with it
            } catch (Exception alreadyGone) {
                // nothing to clean
            }
        }
        logDir.resolve("simple_switch_grpc.log").toFile().delete(); // a failed start quoted it in its error
        logDir.toFile().delete();
    }
}
