package org.sfc.dataplane;

import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;

/** The health-monitor suite on sfc's software switch. */
class HealthMonitorOnSoftwareSwitchTest extends HealthMonitorTest {
    @Override
    Target startTarget() throws Exception {
        return SoftwareSwitchTarget.start();
    }
}
