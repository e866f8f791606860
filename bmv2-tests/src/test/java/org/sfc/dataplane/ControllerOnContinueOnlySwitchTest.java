package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;

import io.grpc.Status;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * The controller suite on a software switch that implements only CONTINUE_ON_ERROR batches, as BMv2's P4Runtime
 * server does: every apply, rollback, refused update (undone by the controller itself) and restart must work there.
 */
class ControllerOnContinueOnlySwitchTest extends ControllerTest {
    @Override
    Target startTarget() throws Exception {
        return SoftwareSwitchTarget.startContinueOnErrorOnly();
    }

    @Test
    void theSwitchAnswersRollbackOnErrorWithUnimplementedAsTheSpecSays() {
        controller();
        P4RuntimeClient.WriteFailed e = assertThrows(P4RuntimeClient.WriteFailed.class, () -> clients.get(0).write(
                List.of(p4.v1.P4RuntimeOuterClass.Update.getDefaultInstance()), WriteRequest.Atomicity.ROLLBACK_ON_ERROR));
        assertEquals(Status.Code.UNIMPLEMENTED, e.errors().get(0).code(), e.getMessage());
    }
}
