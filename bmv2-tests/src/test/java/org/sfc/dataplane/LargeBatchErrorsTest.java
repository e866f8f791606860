package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.dataplane.target.TargetKind;
import org.sfc.sw.testing.P4Rt;

import p4.v1.P4RuntimeOuterClass.Update;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * A refused batch as large as the controller sends (5,000 updates) reports every update's error: the per-update
 * errors travel in the response trailers, far beyond gRPC's default 8 KiB of metadata, and the controller's channel
 * must take them (else the call dies with RST_STREAM and nothing says which update failed).
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class LargeBatchErrorsTest {
    @Parameter
    TargetKind kind;

    @AutoClose
    Sfc sfc;

    @BeforeEach
    void start() throws Exception {
        sfc = new Sfc(kind.start());
    }

    @Test
    void everyUpdateOfALargeRefusedBatchHasItsError() {
        List<Update> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // ports 512 and up do not fit the 9-bit ig_port: each insert fails
            batch.add(P4Rt.insert(sfc.rt.entry("port_role", sfc.rt.call("set_uplink", 1), 0,
                    sfc.rt.exact("port_role", "ig_port", 512 + i))));
        }
        P4RuntimeClient.WriteFailed refused = assertThrows(P4RuntimeClient.WriteFailed.class,
                () -> sfc.client.write(batch, WriteRequest.Atomicity.CONTINUE_ON_ERROR));
        assertEquals(5000, refused.errors().size(), refused.getMessage());
        assertEquals(4999, refused.errors().get(4999).index());
    }
}
