package org.sfc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Replacing a device in the catalog's text (seed ¶198): every use changes, nothing else does. */
class CatalogTextTest {
    static final String POOLED = """
            devices:
              fw-1: {function: firewall, port: 2, mac: 00:00:00:00:02:01}
              fw-2: {function: firewall, port: 3, mac: 00:00:00:00:03:01}
              fw-3: {function: firewall, port: 4, mac: 00:00:00:00:04:01}
            pools:
              fws: {function: firewall, members: [fw-1, fw-2], spares: [fw-3]}   # fw-1 first
              pair: {function: firewall, members: [fw-1, fw-3]}
            groups:
              g: {members: [fw-1, fw-2]}
            services:
              fw-1: {sequence: [{device: fw-1, copy-to: [fw-1x]}, "fw-1"]}
            """;

    @Test
    void everyServiceOfFigure20MovesToTheChosenFirewallAndTheRestOfTheTextStays() throws Exception {
        String text = Files.readString(Path.of("../examples/figure-20.yaml"));
        String next = CatalogText.replaceDevice(text, "fw-2061", "fw-2062");
        Catalog before = Validator.validate(CatalogLoader.loadText("f.yaml", text));
        Catalog after = Validator.validate(CatalogLoader.loadText("f.yaml", next));
        for (String w : List.of("w1", "w5", "w9")) {
            assertEquals("fw-2061", before.services().get(w).sequence().get(0).target());
            assertEquals("fw-2062", after.services().get(w).sequence().get(0).target(), w);
        }
        assertEquals(before.services().get("w2"), after.services().get("w2"), "w2 never used fw-2061");
        assertEquals(before.devices(), after.devices(), "the device definitions stay");
        assertEquals(before.pools(), after.pools(), "both are members of the pool: it stays as it was");
        assertEquals(text.lines().filter(l -> l.startsWith("#")).toList(),
                next.lines().filter(l -> l.startsWith("#")).toList(), "comments stay");
    }

    @Test
    void poolsSwapTheTwoUnlessBothAreMembersAndKeysAreNotValues() {
        String next = CatalogText.replaceDevice(POOLED, "fw-1", "fw-3");
        assertTrue(next.contains("fws: {function: firewall, members: [fw-3, fw-2], spares: [fw-1]}   # fw-1 first"), next);
        assertTrue(next.contains("pair: {function: firewall, members: [fw-1, fw-3]}"), next);
        assertTrue(next.contains("g: {members: [fw-3, fw-2]}"), next);
        assertTrue(next.contains("  fw-1: {sequence: [{device: fw-3, copy-to: [fw-1x]}, \"fw-3\"]}"), next);
        assertTrue(next.contains("  fw-1: {function: firewall, port: 2"), next);
    }

    @Test
    void aDeviceNothingUsesIsRefused() {
        assertEquals("no service, pool or group uses device 'fw-9'",
                assertThrows(IllegalArgumentException.class, () -> CatalogText.replaceDevice(POOLED, "fw-9", "fw-3"))
                        .getMessage());
    }
}
