package org.sfc.sw.ports;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test host on Linux interfaces, meant to run inside a network namespace
 * ({@code ip netns exec NS java ... PcapProbe IFACE...}): reads commands {@code send IFACE HEX} on stdin and
 * prints {@code recv IFACE HEX} for every frame captured on its interfaces, {@code ready} once all are open.
 */
public final class PcapProbe {
    private PcapProbe() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, PcapPort> ports = new LinkedHashMap<>();
        for (String iface : args) {
            ports.put(iface, PcapPort.open(iface, frame -> {
                synchronized (out) {
                    out.println("recv " + iface + " " + HexFormat.of().formatHex(frame));
                }
            }));
        }
        synchronized (out) {
            out.println("ready");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && parts[0].equals("send") && ports.containsKey(parts[1])) {
                ports.get(parts[1]).send(HexFormat.of().parseHex(parts[2]));
            }
        }
        ports.values().forEach(PcapPort::close);
    }
}
