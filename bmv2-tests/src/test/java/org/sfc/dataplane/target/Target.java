package org.sfc.dataplane.target;

import java.util.List;
import java.util.concurrent.BlockingQueue;

import org.sfc.controller.PipelineConfig;
import org.sfc.sw.runtime.V1ModelPipeline.Output;

/**
 * A P4Runtime switch running the sfc program, as the integration tests see it: where its P4Runtime server
 * listens, the pipeline config a controller pushes to it, and its front-panel ports (frames in, frames out).
 * Implementations: {@link SoftwareSwitchTarget} (always) and {@link Bmv2Target} (where BMv2 and p4c are installed).
 */
public interface Target extends AutoCloseable {
    /** For test names and messages: "software switch", "bmv2". */
    String name();

    String host();

    int grpcPort();

    /** What a controller pushes: the P4Info and the device config this target takes (P4 source, or p4c's JSON). */
    PipelineConfig pipeline();

    /**
     * Injects {@code frame} on {@code port} and returns every frame that left a front-panel port because of it
     * (packet-ins go to the controller's stream, not here; nor do the controller's own gratuitous ARP announcements,
     * which {@link #capture} and {@link #onFrame} see).
     */
    List<Output> send(int port, byte[] frame);

    /** From now on, every frame leaving {@code port} (packet-outs included) is queued here. */
    default BlockingQueue<byte[]> capture(int port) {
        BlockingQueue<byte[]> q = new java.util.concurrent.LinkedBlockingQueue<>();
        onFrame(port, q::add);
        return q;
    }

    /**
     * From now on, every frame leaving {@code port} is handed to {@code device} (on the target's own thread): the
     * test plays what is cabled there. Replaces an earlier capture or device of that port.
     */
    void onFrame(int port, java.util.function.Consumer<byte[]> device);

    /**
     * Sends {@code frame} in on {@code port} without waiting for what it causes, in order with earlier injections
     * (like a cable): what leaves goes to the ports' {@link #onFrame} devices.
     */
    void inject(int port, byte[] frame);

    /** Stops the switch and starts an empty one on the same P4Runtime address (no pipeline, no entries). */
    void restart() throws Exception;

    @Override
    void close();
}
