package org.sfc.cli.demo;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.sfc.catalog.Catalog;
import org.sfc.controller.Frame;
import org.sfc.sw.SoftwareSwitch;

/**
 * The demo's devices answering the controller's heartbeats while no client packet passes (a running controller
 * daemon probes every device; unanswered, it would fail them): a loop probe comes back across a two-port device or
 * back out of a one-port one; a handshake probe gets the server's SYN-ACK. Only probes (from the catalog's probe
 * address) are answered here; {@link PlayedNetwork} plays the client traffic.
 */
public final class PlayedHeartbeats implements AutoCloseable {
    private final ExecutorService wire = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sfc-demo-heartbeats");
        t.setDaemon(true);
        return t;
    });

    public PlayedHeartbeats(Catalog c, SoftwareSwitch sw) {
        long probeIp = c.switchInfo().probeIp().value();
        long switchMac = c.switchInfo().mac().value();
        for (Catalog.Device d : c.devices().values()) {
            Catalog.Probe kind = c.probeFor(d).kind();
            if (kind == Catalog.Probe.NONE) {
                continue;
            }
            int outside = d.outside().port();
            int inside = d.inside().port();
            sw.attachPort(outside, f -> answer(sw, f, probeIp, switchMac, d, kind, outside, inside));
            if (d.twoPort()) {
                sw.attachPort(inside, f -> answer(sw, f, probeIp, switchMac, d, kind, inside, outside));
            }
        }
    }

    private void answer(SoftwareSwitch sw, byte[] bytes, long probeIp, long switchMac, Catalog.Device d,
                        Catalog.Probe kind, int port, int other) {
        Frame f = new Frame(bytes);
        if (f.srcIp() != probeIp) {
            return; // client traffic: PlayedNetwork's
        }
        byte[] back;
        if (kind == Catalog.Probe.TCP && f.protocol() == 6 && f.tcpFlags() == 0x02) {
            back = Frame.tcp(switchMac, d.outside().mac().value(), f.dstIp(), f.srcIp(), f.dport(), f.sport(), 0x12, 1000,
                    f.tcpSeq() + 1, "").bytes();
        } else if (kind == Catalog.Probe.LOOP) {
            back = bytes;
        } else {
            return;
        }
        int to = kind == Catalog.Probe.LOOP ? other : port;
        if (!wire.isShutdown()) {
            wire.execute(() -> sw.receive(to, back));
        }
    }

    @Override
    public void close() {
        wire.shutdownNow();
    }
}
