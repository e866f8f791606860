package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/** The controller reaches a switch over TLS when it trusts the switch's certificate, and not in plaintext. */
class TlsTest {
    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool, as PEM certificate and key files. */
    Path[] certificate() throws Exception {
        Path store = dir.resolve("switch.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "switch", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=sfc test switch",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = dir.resolve("switch.pem");
        Path key = dir.resolve("switch.key");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(ks.getCertificate("switch").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(ks.getKey("switch",
                "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, key};
    }

    @Test
    void tlsWhenTheCertificateIsTrustedAndNothingInPlaintext() throws Exception {
        Path[] pem = certificate();
        try (SwitchServer server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0, pem[0].toFile(),
                pem[1].toFile())) {
            try (P4RuntimeClient c = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000, pem[0])) {
                assertTrue(c.primary());
                assertEquals(null, c.pipeline(), "a TLS round trip: the fresh switch has no pipeline");
            }
            IllegalStateException plain = assertThrows(IllegalStateException.class,
                    () -> P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 3000));
            assertTrue(plain.getMessage().contains("no P4Runtime switch answered"), plain.getMessage());
        }
    }
}
