package org.sfc.dataplane.target;

import java.nio.file.Path;
import java.util.List;

import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.frontend.Preprocessor;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.server.SwitchServer;

import com.google.protobuf.ByteString;

/** sfc's software switch in this JVM behind its P4Runtime gRPC server on loopback; ports are in-process. */
public final class SoftwareSwitchTarget implements Target {
    public static final Path PROGRAM = Path.of("../p4src/v1model/sfc.p4");
    /** The same data plane on TNA, as Tofino runs it, in the software switch's tna model. */
    public static final Path TNA_PROGRAM = Path.of("../p4src/tna/sfc.p4");
    /** The CPU port p4src/tna/sfc.p4 uses (Tofino 1's PCIe port on pipe 1); the v1model program's is 255. */
    public static final int TNA_CPU_PORT = 192;
    private static final java.util.Map<Path, PipelineConfig> pipelines = new java.util.HashMap<>();

    private final Path program;
    private final int cpuPort;
    private final boolean continueOnErrorOnly;
    private SoftwareSwitch sw;
    private SwitchServer server;
    /** Injected frames enter the switch one at a time, in order, off the test's thread: a cable. */
    private final java.util.concurrent.ExecutorService wire = java.util.concurrent.Executors.newSingleThreadExecutor();

    private SoftwareSwitchTarget(Path program, boolean continueOnErrorOnly) {
        this.program = program;
        this.cpuPort = program.equals(TNA_PROGRAM) ? TNA_CPU_PORT : 255;
        this.continueOnErrorOnly = continueOnErrorOnly;
    }

    public static SoftwareSwitchTarget start() throws Exception {
        return start(PROGRAM);
    }

    /** A switch whose {@link #pipeline()} is {@code program} (a v1model source file). */
    public static SoftwareSwitchTarget start(Path program) throws Exception {
        SoftwareSwitchTarget t = new SoftwareSwitchTarget(program, false);
        t.boot(0);
        return t;
    }

    /**
     * A software switch that, like BMv2's P4Runtime server, implements only CONTINUE_ON_ERROR batches (the
     * others are answered UNIMPLEMENTED): what the controller must cope with on BMv2, checked where BMv2 is absent.
     */
    public static SoftwareSwitchTarget startContinueOnErrorOnly() throws Exception {
        SoftwareSwitchTarget t = new SoftwareSwitchTarget(PROGRAM, true);
        t.boot(0);
        return t;
    }

    private void boot(int port) throws Exception {
        sw = new SoftwareSwitch(1, cpuPort);
        if (continueOnErrorOnly) {
            sw.setSupportedAtomicity(java.util.EnumSet.of(p4.v1.P4RuntimeOuterClass.WriteRequest.Atomicity.CONTINUE_ON_ERROR));
        }
        server = SwitchServer.start(sw, "127.0.0.1", port);
    }

    /** The switch itself, for tests that look inside it (tables, the pipeline as loaded). */
    public SoftwareSwitch sw() {
        return sw;
    }

    @Override
    public String name() {
        return continueOnErrorOnly ? "software switch (CONTINUE_ON_ERROR only)"
                : program.equals(TNA_PROGRAM) ? "software switch (TNA)" : "software switch";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int grpcPort() {
        return server.port();
    }

    @Override
    public PipelineConfig pipeline() {
        return pipelineOf(program);
    }

    /** The sfc program's P4Info and text (what a controller pushes to this switch), built once per JVM. */
    public static PipelineConfig sfcPipeline() {
        return pipelineOf(PROGRAM);
    }

    /** A program's P4Info and preprocessed text, as a controller pushes them to this switch; once per JVM. */
    public static synchronized PipelineConfig pipelineOf(Path file) {
        return pipelines.computeIfAbsent(file, f -> {
            try {
                String text = Preprocessor.run(f, List.of()).text();
                SoftwareSwitch probe = new SoftwareSwitch(1, 255);
                probe.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(text), 1);
                return new PipelineConfig(probe.pipeline().p4info, ByteString.copyFromUtf8(text));
            } catch (Exception e) {
                throw new IllegalStateException("cannot load " + f + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public List<Output> send(int port, byte[] frame) {
        return sw.receive(port, frame).stream().filter(o -> o.port() != sw.cpuPort()).toList();
    }

    @Override
    public void onFrame(int port, java.util.function.Consumer<byte[]> device) {
        sw.attachPort(port, device::accept);
    }

    @Override
    public void inject(int port, byte[] frame) {
        wire.execute(() -> sw.receive(port, frame));
    }

    @Override
    public void restart() throws Exception {
        int port = server.port();
        server.close();
        boot(port);
    }

    /** The switch dies: its P4Runtime server goes away until {@link #comeBack} starts an empty one on its address. */
    public int die() {
        int port = server.port();
        server.kill();
        return port;
    }

    /** An empty switch (no pipeline, no entries) on the address a {@link #die} left, {@code port}. */
    public void comeBack(int port) throws Exception {
        boot(port);
    }

    @Override
    public void close() {
        wire.shutdownNow();
        server.close();
    }
}
