package org.sfc.dataplane.target;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sfc.controller.PipelineConfig;
import org.sfc.sw.testing.P4c;

import com.google.protobuf.ByteString;

/**
 * BMv2's {@code simple_switch_grpc} running p4c's build of a program (p4src/v1model/sfc.p4 unless told), started by
 * the test on veth ports. Needs p4c and simple_switch_grpc on PATH and root; {@link #unavailable()} says what is
 * missing, and the BMv2 test classes skip with that reason.
 */
public final class Bmv2Target extends VethSwitchTarget {
    private static final Map<Path, PipelineConfig> builds = new java.util.HashMap<>();

    private final Path program;
    /** BMv2 also serves Thrift (simple_switch_CLI); its default 9090 clashes between two switches. */
    private final int thriftPort;

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
        String root = needsRoot();
        return root == null ? null : "BMv2 target skipped: " + root;
    }

    private Bmv2Target(Path program) throws IOException {
        this.program = program;
        // Two probes for a free port may get the same one (the first is closed before the second): BMv2 then
        // cannot bind its Thrift server on its own gRPC port. Seen in CI.
        int thrift = freePort();
        while (thrift == grpcPort()) {
            thrift = freePort();
        }
        this.thriftPort = thrift;
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
        return start(program, List.of());
    }

    /**
     * BMv2 serving P4Runtime over mutual TLS: its certificate and key, and the CA whose certificates it requires
     * of every client (simple_switch_grpc's --grpc-server-ssl ... --grpc-server-with-client-auth).
     */
    public static Bmv2Target startWithMutualTls(Path program, Path clientCa, Path cert, Path key) throws Exception {
        String missing = unavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, missing);
        return start(program, List.of("--grpc-server-ssl", "--grpc-server-cacert", clientCa.toString(),
                "--grpc-server-cert", cert.toString(), "--grpc-server-key", key.toString(),
                "--grpc-server-with-client-auth"));
    }

    private static Bmv2Target start(Path program, List<String> grpcOptions) throws Exception {
        Bmv2Target t = new Bmv2Target(program);
        t.grpcOptions = grpcOptions;
        t.pipeline(); // a program p4c refuses fails here, before any port is made
        t.boot();
        return t;
    }

    private List<String> grpcOptions = List.of();

    @Override
    protected List<String> command(List<String> ifaces, int grpcPort) {
        List<String> cmd = new ArrayList<>(List.of("simple_switch_grpc", "--device-id", "1", "--no-p4",
                "--thrift-port", String.valueOf(thriftPort)));
        for (int p = 1; p <= ifaces.size(); p++) {
            cmd.add("-i");
            cmd.add(p + "@" + ifaces.get(p - 1));
        }
        cmd.addAll(List.of("--", "--grpc-server-addr", "127.0.0.1:" + grpcPort, "--cpu-port", String.valueOf(CPU_PORT)));
        cmd.addAll(grpcOptions);
        return cmd;
    }

    @Override
    public String name() {
        return "bmv2";
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
}
