package org.sfc.dataplane;

import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;

/** The controller suite on sfc's software switch (P4Runtime over gRPC on loopback). */
class ControllerOnSoftwareSwitchTest extends ControllerTest {
    @Override
    Target startTarget() throws Exception {
        return SoftwareSwitchTarget.start();
    }
}
