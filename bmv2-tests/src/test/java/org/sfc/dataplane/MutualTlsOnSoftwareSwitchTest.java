package org.sfc.dataplane;

import java.nio.file.Path;

import org.sfc.controller.PipelineConfig;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/** Mutual TLS on the software switch ({@code sfc switch run --tls-cert --tls-key --tls-client-ca}). */
class MutualTlsOnSoftwareSwitchTest extends MutualTlsTest {
    SwitchServer server;

    @Override
    int startSwitch(Path clientCa, Pki.Issued cert) throws Exception {
        server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0, cert.cert().toFile(), cert.key().toFile(),
                clientCa.toFile());
        return server.port();
    }

    @Override
    PipelineConfig pipeline() {
        return SoftwareSwitchTarget.sfcPipeline();
    }

    @Override
    void stopSwitch() {
        if (server != null) {
            server.close();
        }
    }
}
