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
import java.util.function.Consumer;

import org.sfc.sw.ports.PcapPort;
import org.sfc.sw.runtime.V1ModelPipeline.Output;

/**
 * A switch running as a process of its own on veth pairs in the root namespace made for it: the switch owns
 * {@code sb<N><id>}, the test sends and receives on the peer {@code st<N><id>} through libpcap. Subclasses say
 * which switch ({@link #command}); this class makes the ports, starts the process, waits for its P4Runtime
 * server and tears everything down. Needs root.
 */
public abstract class VethSwitchTarget implements Target {
    static final int PORTS = 16;
    static final int CPU_PORT = 255;
    /** How long the ports must stay quiet before send() decides the switch has emitted everything. */
    static final long SETTLE_MILLIS = 150;

    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final Path logDir;
    private final int grpcPort;
    private final List<PcapPort> ports = new ArrayList<>();
    private final BlockingQueue<Output> emitted = new LinkedBlockingQueue<>();
    private final Map<Integer, Consumer<byte[]>> devices = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLongArray counts = new java.util.concurrent.atomic.AtomicLongArray(PORTS + 1);
    private volatile boolean keepEmitted = true;
    private Process process;

    protected VethSwitchTarget() throws IOException {
        logDir = Files.createTempDirectory("sfc-" + name().replace(' ', '-') + "-");
        grpcPort = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Why a veth target cannot run here (null if it can). */
    static String needsRoot() {
        return "root".equals(System.getProperty("user.name")) ? null : "creating veth ports needs root";
    }

    /** The command that starts the switch with {@code ifaces} (switch port N = the N-th, from 1) as its ports. */
    protected abstract List<String> command(List<String> ifaces, int grpcPort);

    /** Makes the ports, starts the switch, opens the test's side; on failure leaves nothing behind. */
    protected final void boot() throws Exception {
        try {
            List<String> ifaces = new ArrayList<>();
            for (int p = 1; p <= PORTS; p++) {
                ifaces.add(makeVethPair(p));
            }
            launch(ifaces);
            for (int p = 1; p <= PORTS; p++) {
                int port = p;
                ports.add(PcapPort.open("st" + p + id, frame -> received(port, frame)));
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private String makeVethPair(int p) throws Exception {
        String sw = "sb" + p + id;
        String test = "st" + p + id;
        run("ip", "link", "add", sw, "type", "veth", "peer", "name", test);
        for (String iface : List.of(sw, test)) {
            run("sysctl", "-q", "-w", "net.ipv6.conf." + iface + ".disable_ipv6=1");
            run("ip", "link", "set", iface, "up");
        }
        return sw;
    }

    private List<String> ifaces() {
        List<String> out = new ArrayList<>();
        for (int p = 1; p <= PORTS; p++) {
            out.add("sb" + p + id);
        }
        return out;
    }

    private void launch(List<String> ifaces) throws Exception {
        Path log = logDir.resolve("switch.log");
        process = new ProcessBuilder(command(ifaces, grpcPort)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", grpcPort), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(name() + " did not listen on 127.0.0.1:" + grpcPort
                            + (process.isAlive() ? " within 30 s" : " (it exited)") + "; its log:\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
    }

    private void received(int port, byte[] frame) {
        counts.incrementAndGet(port);
        if (keepEmitted) {
            emitted.add(new Output(port, frame));
        }
        Consumer<byte[]> device = devices.get(port);
        if (device != null) {
            device.accept(frame);
        }
    }

    /** Runs {@code cmd}, failing with its output if it fails. */
    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int grpcPort() {
        return grpcPort;
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
                if (!isArpAnnouncement(o.data())) { // (the controller's, by packet-out after an apply: not this frame's)
                    out.add(o);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** A gratuitous ARP (RFC 5227 announcement): broadcast, an ARP request whose sender and target address agree. */
    static boolean isArpAnnouncement(byte[] f) {
        return f.length >= 42 && (f[12] & 0xFF) == 0x08 && (f[13] & 0xFF) == 0x06 && (f[0] & 0xFF) == 0xFF
                && (f[21] & 0xFF) == 1 && java.util.Arrays.equals(f, 28, 32, f, 38, 42);
    }

    @Override
    public void onFrame(int port, Consumer<byte[]> device) {
        devices.put(port, device);
    }

    @Override
    public synchronized void inject(int port, byte[] frame) {
        port(port).send(frame); // a real cable: the switch's receive thread takes it from here
    }

    /** Frames received from {@code port} since the target started (for rate measurements; no queueing). */
    public long countLeaving(int port) {
        return counts.get(port);
    }

    /** Whether what leaves is kept for {@link #send}: a benchmark's millions of frames must not pile up. */
    public void keepEmitted(boolean keep) {
        keepEmitted = keep;
        emitted.clear();
    }

    private PcapPort port(int port) {
        if (port < 1 || port > PORTS) {
            throw new IllegalArgumentException(name() + " target has ports 1.." + PORTS + ", not " + port);
        }
        return ports.get(port - 1);
    }

    /** The test's end of the veth pair of switch port {@code port} (to bridge it to other switches and namespaces). */
    public String peer(int port) {
        return "st" + port + id;
    }

    /** The switch process dies at once (SIGKILL): its sessions are cut, its ports stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** After {@link #kill}: the switch starts again, empty, on the same ports and P4Runtime address. */
    public void relaunch() throws Exception {
        launch(ifaces());
    }

    @Override
    public void restart() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        launch(ifaces());
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
        logDir.resolve("switch.log").toFile().delete(); // a failed start quoted it in its error
        logDir.toFile().delete();
    }
}
