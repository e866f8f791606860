package org.sfc.sw.ports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switch port on a Linux interface (a veth end, a tap, a NIC) through libpcap, like BMv2's
 * {@code -i 1@veth1}. Receives on a dedicated thread in immediate mode with a large buffer (a plain
 * polling loop loses back-to-back frames) and only inbound frames, so frames the switch sends are not
 * received again.
 */
public final class PcapPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PcapPort.class);
    private static final int SNAPLEN = 65535;
    private static final int BUFFER_BYTES = 8 * 1024 * 1024;

    static {
        // Debian ships libpcap.so.0.8 without the bare libpcap.so (that is in -dev); point JNA at it.
        if (System.getProperty("org.pcap4j.core.pcapLibName") == null) {
            for (String p : List.of("/lib/x86_64-linux-gnu/libpcap.so.0.8", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
                    "/lib/aarch64-linux-gnu/libpcap.so.0.8", "/usr/lib/aarch64-linux-gnu/libpcap.so.0.8")) {
                if (Files.exists(Path.of(p))) {
                    System.setProperty("org.pcap4j.core.pcapLibName", p);
                    break;
                }
            }
        }
    }

    private final String iface;
    private final PcapHandle rx;
    private final PcapHandle tx;
    private final Thread thread;
    private volatile boolean running = true;

    private PcapPort(String iface, PcapHandle rx, PcapHandle tx, Consumer<byte[]> receiver) {
        this.iface = iface;
        this.rx = rx;
        this.tx = tx;
        this.thread = new Thread(() -> loop(receiver), "pcap-" + iface);
        this.thread.setDaemon(true);
    }

    /** Opens {@code iface}; every frame received is handed to {@code receiver} on the port's own thread. */
    public static PcapPort open(String iface, Consumer<byte[]> receiver) throws PcapNativeException {
        PcapHandle rx = new PcapHandle.Builder(iface).snaplen(SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS).timeoutMillis(50)
                .bufferSize(BUFFER_BYTES).immediateMode(true).direction(PcapHandle.PcapDirection.IN).build();
        PcapHandle tx = new PcapHandle.Builder(iface).snaplen(SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS).timeoutMillis(50).build();
        PcapPort port = new PcapPort(iface, rx, tx, receiver);
        port.thread.start();
        return port;
    }

    private void loop(Consumer<byte[]> receiver) {
        while (running) {
            try {
                byte[] frame = rx.getNextRawPacket();
                if (frame != null) {
                    receiver.accept(frame);
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("receive on {} failed: {}", iface, e.toString());
                }
            }
        }
    }

    public synchronized void send(byte[] frame) {
        try {
            tx.sendPacket(frame);
        } catch (Exception e) {
            LOG.warn("send on {} failed: {}", iface, e.toString());
        }
    }

    public String iface() {
        return iface;
    }

    @Override
    public void close() {
        running = false;
        try {
            // A receive blocked in immediate mode ignores the read timeout; breakLoop wakes it (libpcap >= 1.10),
            // and must come before close(), which waits for the receive to let go of the handle.
            rx.breakLoop();
        } catch (Exception e) {
            LOG.debug("breakLoop on {}: {}", iface, e.toString());
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rx.close();
        tx.close();
    }
}
