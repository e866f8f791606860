package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;

/**
 * P4Runtime over mutual TLS (seed ¶131, ¶153): a switch that requires client certificates lets in only a
 * controller presenting one its CA signed — not one with TLS but no certificate, not one whose certificate
 * another CA signed, not plaintext — and the controller provisions it over that channel. Runs on the software
 * switch ({@link MutualTlsOnSoftwareSwitchTest}) and on BMv2 ({@link MutualTlsOnBmv2Test}).
 */
abstract class MutualTlsTest {
    @TempDir
    Path dir;
    Pki ca;
    Pki.Issued controller;

    /** Starts a switch serving P4Runtime with {@code server}'s certificate, requiring clients signed by {@code clientCa}. */
    abstract int startSwitch(Path clientCa, Pki.Issued server) throws Exception;

    abstract PipelineConfig pipeline();

    abstract void stopSwitch();

    int port;

    @BeforeEach
    void start() throws Exception {
        ca = Pki.create(dir, "operator");
        controller = ca.issue("controller");
        port = startSwitch(ca.caCert, ca.issue("switch"));
    }

    @AfterEach
    void stop() {
        stopSwitch();
    }

    P4RuntimeClient connect(P4RuntimeClient.Tls tls) {
        return P4RuntimeClient.connect("127.0.0.1", port, 1, 10, 3000, tls);
    }

    @Test
    void onlyAControllerWhoseCertificateTheCaSignedGetsIn() throws Exception {
        try (P4RuntimeClient c = connect(new P4RuntimeClient.Tls(ca.caCert, controller.cert(), controller.key()))) {
            assertTrue(c.primary());
            assertEquals(null, c.pipeline(), "a round trip over mutual TLS: the fresh switch has no pipeline");
        }
        IllegalStateException noCertificate = assertThrows(IllegalStateException.class,
                () -> connect(P4RuntimeClient.Tls.trusting(ca.caCert)));
        assertTrue(noCertificate.getMessage().contains("no P4Runtime switch answered"), noCertificate.getMessage());
        Pki other = Pki.create(dir, "stranger");
        Pki.Issued impostor = other.issue("impostor");
        assertThrows(IllegalStateException.class,
                () -> connect(new P4RuntimeClient.Tls(ca.caCert, impostor.cert(), impostor.key())));
        assertThrows(IllegalStateException.class, () -> connect(null), "plaintext is refused");
    }

    @Test
    void theControllerProvisionsTheSwitchOverMutualTls() throws Exception {
        try (Store store = Store.open(dir.resolve("sfc.db"));
             P4RuntimeClient c = connect(new P4RuntimeClient.Tls(ca.caCert, controller.cert(), controller.key()))) {
            Provisioner p = Provisioner.start(c, pipeline(), store, "sw1", "test");
            Provisioner.Report r = p.apply("figure-7.yaml", Files.readString(Path.of("../examples/figure-7.yaml")),
                    "alice", null);
            assertEquals(p.desired().entities().size(), r.writes());
            assertEquals(r.writes(), p.readAll().size(), "read back over the same channel");
        }
    }
}
