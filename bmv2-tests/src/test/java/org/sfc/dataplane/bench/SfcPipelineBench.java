package org.sfc.dataplane.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Diff;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.testing.Packets;

import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * Packets per second of our own program (p4src/v1model/sfc.p4) in the software switch, in process on one thread:
 * 1,000 services compiled from a catalog (each with a rate limit and two ACL rules, through a two-port firewall
 * and a server), 64-byte TCP requests from the uplink to 256 different services (parse, port role, ACL,
 * classification with its meter and counters, sequence step, next hop (flow hash), DSCP rewrite, device counter,
 * checksum, deparse), and the same requests coming back from the firewall (the second step).
 * Run: scripts/bench.sh -m bmv2-tests SfcPipelineBench
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:+UseParallelGC"})
@Threads(1)
public class SfcPipelineBench {
    static final int SERVICES = 1_000;

    SoftwareSwitch sw;
    byte[][] requests;
    byte[][] fromFirewall;
    int next;

    static String catalog(int services) {
        StringBuilder b = new StringBuilder("""
                switch:
                  mac: 02:00:00:00:fe:01
                  uplinks:
                    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
                devices:
                  fw-1: {function: firewall, outside: {port: 2, mac: 00:00:00:00:02:01}, inside: {port: 3, mac: 00:00:00:00:03:01}}
                  app-1: {function: server, tag: port, port: 4, mac: 00:00:00:00:04:01}
                services:
                """);
        for (int i = 0; i < services; i++) {
            b.append(String.format("""
                      svc-%d:
                        address: {ip: 10.1.%d.%d, protocol: tcp, port: 443}
                        rate: {pps: 100000000, burst: 1000000}
                        acl: {default: permit, rules: [{action: deny, source: 192.0.2.0/24}, {action: deny, source: 198.18.%d.0/24}]}
                        sequence: [fw-1, app-1]
                    """, i, i >> 8, i & 255, i & 255));
        }
        return b.toString();
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        var pipeline = SoftwareSwitchTarget.sfcPipeline();
        sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, pipeline.deviceConfig(), 1);
        var result = TableCompiler.compile(CatalogLoader.loadText("bench.yaml", catalog(SERVICES)),
                new Schema(sw.pipeline().p4info), Ids.empty());
        for (Diff.Batch batch : Diff.between(DesiredState.empty(result.state().schema()), result.state())) {
            for (SoftwareSwitch.UpdateResult r : sw.write(batch.updates(), WriteRequest.Atomicity.CONTINUE_ON_ERROR)) {
                if (!r.ok()) {
                    throw new IllegalStateException(batch.label() + ": " + r.message());
                }
            }
        }
        requests = new byte[256][];
        fromFirewall = new byte[256][];
        for (int i = 0; i < 256; i++) {
            int svc = (i * 37) % SERVICES;
            // 14 + 20 + 20 + 10 bytes of payload = 64 bytes.
            requests[i] = Packets.tcp(0x02000000fe01L, 0xa1, "203.0.113." + (i % 200), "10.1." + (svc >> 8) + "." + (svc & 255),
                    30000 + i, 443, 64, 0, new byte[10]);
            var out = sw.receive(1, requests[i]);
            if (out.size() != 1 || out.get(0).port() != 2) {
                throw new IllegalStateException("request " + i + " did not go to the firewall: " + out.size());
            }
            fromFirewall[i] = out.get(0).data(); // the firewall passes it back unchanged, from its inside port
            if (sw.receive(3, fromFirewall[i]).size() != 1) {
                throw new IllegalStateException("request " + i + " did not go on to the server");
            }
        }
    }

    /** Step 1: a client's request from the uplink to the firewall. */
    @Benchmark
    public int requestFromTheUplink() {
        return sw.receive(1, requests[next++ & 255]).size();
    }

    /** Step 2: the request back from the firewall's inside, on to the server. */
    @Benchmark
    public int requestBackFromTheFirewall() {
        return sw.receive(3, fromFirewall[next++ & 255]).size();
    }
}
