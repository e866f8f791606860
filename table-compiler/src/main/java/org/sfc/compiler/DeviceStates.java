package org.sfc.compiler;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the health monitor has done to devices, on top of the catalog: a failed device replaced by a spare
 * (its next hops lead to the spare, the spare's ports take its slots), bypassed (services skip its step) or
 * dropped (services drop at its step). The compiler applies it, so the desired state — and every reconcile
 * — keeps it. Immutable.
 */
public record DeviceStates(Map<String, String> replacedBy, Set<String> bypassed, Set<String> dropped) {
    public static final DeviceStates NONE = new DeviceStates(Map.of(), Set.of(), Set.of());

    public DeviceStates {
        replacedBy = Map.copyOf(replacedBy);
        bypassed = Set.copyOf(bypassed);
        dropped = Set.copyOf(dropped);
    }

    public DeviceStates replace(String failed, String spare) {
        Map<String, String> m = new TreeMap<>(replacedBy);
        m.put(failed, spare);
        return new DeviceStates(m, bypassed, dropped);
    }

    public DeviceStates bypass(String failed) {
        Set<String> s = new TreeSet<>(bypassed);
        s.add(failed);
        return new DeviceStates(replacedBy, s, dropped);
    }

    public DeviceStates drop(String failed) {
        Set<String> s = new TreeSet<>(dropped);
        s.add(failed);
        return new DeviceStates(replacedBy, bypassed, s);
    }

    /** Back to normal for {@code device} (failback). */
    public DeviceStates restore(String device) {
        Map<String, String> m = new TreeMap<>(replacedBy);
        m.remove(device);
        Set<String> b = new TreeSet<>(bypassed);
        b.remove(device);
        Set<String> d = new TreeSet<>(dropped);
        d.remove(device);
        return new DeviceStates(m, b, d);
    }

    /** Whether {@code device} is failed over, bypassed or dropped. */
    public boolean affects(String device) {
        return replacedBy.containsKey(device) || bypassed.contains(device) || dropped.contains(device);
    }
}
