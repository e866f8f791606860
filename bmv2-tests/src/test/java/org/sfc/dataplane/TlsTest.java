package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/** The controller reaches a switch over TLS when it trusts the switch's certificate, and not in plaintext. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void tlsWhenTheCertificateIsTrustedAndNothingInPlaintext() throws Exception {
        Pki ca = Pki.create(dir, "operator");
        Pki.Issued cert = ca.issue("switch");
        try (SwitchServer server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0, cert.cert().toFile(),
                cert.key().toFile())) {
            try (P4RuntimeClient c = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000, ca.caCert)) {
                assertTrue(c.primary());
                assertEquals(null, c.pipeline(), "a TLS round trip: the fresh switch has no pipeline");
            }
            IllegalStateException plain = assertThrows(IllegalStateException.class,
                    () -> P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 3000));
            assertTrue(plain.getMessage().contains("no P4Runtime switch answered"), plain.getMessage());
        }
    }
}
