package org.sfc.dataplane;

import java.nio.file.Path;

import org.sfc.controller.PipelineConfig;
import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.SoftwareSwitchTarget;

/** Mutual TLS on BMv2 (simple_switch_grpc --grpc-server-ssl ... --grpc-server-with-client-auth); skipped without it. */
class MutualTlsOnBmv2Test extends MutualTlsTest {
    Bmv2Target bmv2;

    @Override
    int startSwitch(Path clientCa, Pki.Issued cert) throws Exception {
        bmv2 = Bmv2Target.startWithMutualTls(SoftwareSwitchTarget.PROGRAM, clientCa, cert.cert(), cert.key());
        return bmv2.grpcPort();
    }

    @Override
    PipelineConfig pipeline() {
        return bmv2.pipeline();
    }

    @Override
    void stopSwitch() {
        if (bmv2 != null) {
            bmv2.close();
        }
    }
}
