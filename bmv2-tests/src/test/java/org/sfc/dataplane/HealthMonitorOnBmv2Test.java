package org.sfc.dataplane;

import org.junit.jupiter.api.Assumptions;
import org.sfc.dataplane.target.Bmv2Target;
import org.sfc.dataplane.target.Target;

/** The health-monitor suite on BMv2 (skipped, saying what is missing, where it is not installed). */
class HealthMonitorOnBmv2Test extends HealthMonitorTest {
    @Override
    Target startTarget() throws Exception {
        String missing = Bmv2Target.unavailable();
        Assumptions.assumeTrue(missing == null, missing);
        return Bmv2Target.start();
    }
}
