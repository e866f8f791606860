package org.sfc.dataplane.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.sfc.catalog.CatalogLoader;
import org.sfc.catalog.Ipv4;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.Frame;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.SoftwareSwitchProcessTarget;
import org.sfc.dataplane.target.VethSwitchTarget;
import org.sfc.sw.testing.P4Rt;

import p4.v1.P4RuntimeOuterClass.Update;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * Side by side on the wire: the software switch (its own process, libpcap ports) and BMv2's simple_switch_grpc, each
 * on 16 veth pairs, each given the same program (p4src/v1model/sfc.p4: our source, p4c's build for BMv2) and the same
 * entries (examples/figure-7.yaml compiled by the table compiler). 60-byte client requests to the firewall service
 * enter on the uplink (port 1) at each offered rate; the frames leaving on fw-1's outside port (2) are counted.
 * Reports delivered packets/s per target and rate in one run. Not a JMH benchmark: it measures two processes over
 * real interfaces, on whatever else the machine is doing.
 *   scripts/bench.sh --wire [--rates 10000,50000,0] [--seconds 3]     (0 = as fast as the sender can)
 */
public final class WireBench {
    static final Path CATALOG = Path.of("../examples/figure-7.yaml");
    static final int UPLINK = 1;
    static final int FW1_OUTSIDE = 2;

    record Measure(long offered, long sent, long delivered) {}

    private WireBench() {}

    public static void main(String[] args) throws Exception {
        List<Long> rates = List.of(10_000L, 50_000L, 0L);
        double seconds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rates" -> rates = java.util.Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("wire bench: unknown option " + args[i]
                        + " (--rates R1,R2,... --seconds S)");
            }
        }
        Map<String, List<Measure>> results = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (String target : List.of("software switch", "bmv2")) {
            String missing = target.equals("bmv2") ? Bmv2Target.unavailable() : SoftwareSwitchProcessTarget.unavailable();
            if (missing != null) {
                skipped.put(target, missing);
                continue;
            }
            System.err.println("wire bench: " + target + " ...");
            try (VethSwitchTarget t = target.equals("bmv2") ? Bmv2Target.start() : SoftwareSwitchProcessTarget.start()) {
                provision(t);
                t.keepEmitted(false);
                List<Measure> ms = new ArrayList<>();
                for (long rate : rates) {
                    ms.add(measure(t, rate, seconds));
                    System.err.println("  " + describe(rate) + ": " + ms.get(ms.size() - 1));
                }
                results.put(target, ms);
            }
        }
        System.out.println(table(rates, results, skipped));
    }

    /** The sfc pipeline and the Figure 7 catalog's entries, in the compiler's order. */
    static void provision(VethSwitchTarget t) throws java.io.IOException {
        PipelineConfig pipeline = t.pipeline();
        try (P4RuntimeClient client = P4RuntimeClient.connect(t.host(), t.grpcPort(), 1, 10, 5000)) {
            client.setPipeline(pipeline.p4info(), pipeline.deviceConfig());
            var compiled = TableCompiler.compile(CatalogLoader.load(CATALOG), new Schema(pipeline.p4info()), Ids.empty());
            List<Update> updates = compiled.state().entities().stream().map(e -> P4Rt.update(Update.Type.INSERT, e))
                    .toList();
            client.write(updates, WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        }
    }

    /** Offers {@code rate} requests/s (0: back to back) for {@code seconds}; counts what reaches fw-1. */
    static Measure measure(VethSwitchTarget t, long rate, double seconds) throws InterruptedException {
        byte[] request = Frame.tcp(0x02000000fe01L, 0xa1, Ipv4.parse("198.51.100.7").value(),
                Ipv4.parse("203.0.113.10").value(), 40000, 443, 0x10, "60 B!!").bytes();
        long before = t.countLeaving(FW1_OUTSIDE);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long period = rate > 0 ? 1_000_000_000L / rate : 0;
        long sent = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            if (period > 0) {
                long due = start + sent * period;
                if (due > now) {
                    if (due - now > 200_000) {
                        LockSupport.parkNanos(due - now - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                    continue;
                }
            }
            t.inject(UPLINK, request);
            sent++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(1000); // what is still queued in the switch or the kernel comes out
        long delivered = t.countLeaving(FW1_OUTSIDE) - before;
        return new Measure(rate, Math.round(sent / elapsed), Math.round(delivered / elapsed));
    }

    static String describe(long rate) {
        return rate > 0 ? String.format("%,d pps offered", rate) : "top speed";
    }

    static String table(List<Long> rates, Map<String, List<Measure>> results, Map<String, String> skipped) {
        StringBuilder sb = new StringBuilder("| offered |");
        results.keySet().forEach(t -> sb.append(' ').append(t).append(": delivered of sent |"));
        sb.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        for (int i = 0; i < rates.size(); i++) {
            sb.append("| ").append(describe(rates.get(i))).append(" |");
            for (List<Measure> ms : results.values()) {
                Measure m = ms.get(i);
                sb.append(String.format(" %,d of %,d pps (%.0f %%) |", m.delivered(), m.sent(),
                        100.0 * m.delivered() / Math.max(1, m.sent())));
            }
            sb.append('\n');
        }
        skipped.forEach((t, why) -> sb.append(t).append(": not measured: ").append(why).append('\n'));
        return sb.toString();
    }
}
