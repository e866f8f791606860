package org.sfc.dataplane;

import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;

/**
 * The controller suite on BMv2's simple_switch_grpc with p4c's build of the program. Where p4c or
 * simple_switch_grpc is not installed every test is skipped, saying what is missing.
 */
class ControllerOnBmv2Test extends ControllerTest {
    @Override
    Target startTarget() throws Exception {
        return Bmv2Target.startOrSkip(SoftwareSwitchTarget.PROGRAM);
    }
}
