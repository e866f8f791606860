package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.sfc.sw.cli.SwitchCommand;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.GetForwardingPipelineConfigRequest;

/** 'sfc switch run' as a separate process: says where it listens, serves P4Runtime, stops cleanly on SIGTERM. */
class SwitchProcessTest {
    static Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), SwitchCommand.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void runsServesAndStopsOnSigterm() throws Exception {
        Process p = start("run", "-p", "src/test/resources/p4/router.p4", "--grpc-address", "127.0.0.1:0",
                "--device-id", "7");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        int port = -1;
        Pattern listening = Pattern.compile("sfc switch: device 7, P4Runtime on 127\\.0\\.0\\.1:(\\d+), 0 port\\(s\\), "
                + "pipeline .*router\\.p4, cpu port 255");
        List<String> seen = new ArrayList<>();
        while ((line = out.readLine()) != null) {
            seen.add(line);
            Matcher m = listening.matcher(line);
            if (m.matches()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        assertTrue(port > 0, "no 'listening' line in " + seen);
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            var cfg = P4RuntimeGrpc.newBlockingStub(ch).getForwardingPipelineConfig(
                    GetForwardingPipelineConfigRequest.newBuilder().setDeviceId(7).build()).getConfig();
            assertEquals(6, cfg.getP4Info().getTablesCount());
        } finally {
            ch.shutdownNow();
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the switch did not stop on SIGTERM");
        StringBuilder rest = new StringBuilder();
        while ((line = out.readLine()) != null) {
            rest.append(line).append('\n');
        }
        assertTrue(rest.toString().contains("sfc switch: stopped"), rest.toString());
        assertEquals(143, p.exitValue(), "exit status of a process ended by SIGTERM");
    }

    @Test
    void aBrokenProgramFailsWithItsErrorsAndStatusOne() throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("bad", ".p4");
        java.nio.file.Files.writeString(bad, "#include <v1model.p4>\nheader h_t { bit<8> a; }\nbogus;\n");
        Process p = start("check", "-p", bad.toString());
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor());
        assertTrue(text.contains(bad + ":3:"), text);
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        Process p = start("run", "-i", "veth1");
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor());
        assertTrue(text.contains("--interface wants PORT@IFACE"), text);
    }
}
