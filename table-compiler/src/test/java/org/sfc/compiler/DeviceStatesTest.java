package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** What was done to a device ends with the device: a catalog without it keeps no state of it. */
class DeviceStatesTest {
    @Test
    void statesOfDevicesACatalogNoLongerHasEnd() {
        DeviceStates s = DeviceStates.NONE.replace("fw-1", "fw-3").bypass("ids-1").drop("app-2").drain("fw-2", "fw-4");
        DeviceStates kept = s.within(Set.of("fw-1", "fw-3", "app-2", "fw-4"));
        assertEquals(DeviceStates.NONE.replace("fw-1", "fw-3").drop("app-2"), kept);
        assertEquals(s, s.within(Set.of("fw-1", "fw-2", "fw-3", "fw-4", "ids-1", "app-2")), "all there: all kept");
    }
}
