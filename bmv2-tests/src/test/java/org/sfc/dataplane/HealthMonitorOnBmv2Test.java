package org.sfc.dataplane;

import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;

/** The health-monitor suite on BMv2 (skipped, saying what is missing, where it is not installed). */
class HealthMonitorOnBmv2Test extends HealthMonitorTest {
    @Override
    Target startTarget() throws Exception {
        return Bmv2Target.startOrSkip(SoftwareSwitchTarget.PROGRAM);
    }
}
