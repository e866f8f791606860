package org.sfc.compiler;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the health monitor and the operator have done to devices, on top of the catalog: a device replaced by
 * a spare (where it is attached becomes the spare's ports; a spare from outside its pool also takes its slots),
 * bypassed (services skip its step) or dropped (services drop at its step). {@code drained} marks replacements
 * an operator asked for (maintenance): only the operator ends them. The compiler applies the states, so the
 * desired state — and every reconcile — keeps them. Immutable.
 */
public record DeviceStates(Map<String, String> replacedBy, Set<String> bypassed, Set<String> dropped,
                           Set<String> drained) {
    public static final DeviceStates NONE = new DeviceStates(Map.of(), Set.of(), Set.of(), Set.of());

    public DeviceStates {
        replacedBy = Map.copyOf(replacedBy);
        bypassed = Set.copyOf(bypassed);
        dropped = Set.copyOf(dropped);
        drained = Set.copyOf(drained);
    }

    public DeviceStates replace(String failed, String spare) {
        Map<String, String> m = new TreeMap<>(replacedBy);
        m.put(failed, spare);
        return new DeviceStates(m, bypassed, dropped, drained);
    }

    /** A planned swap: {@code device}'s traffic goes to {@code spare} until an operator restores it. */
    public DeviceStates drain(String device, String spare) {
        Set<String> s = new TreeSet<>(drained);
        s.add(device);
        return new DeviceStates(replace(device, spare).replacedBy, bypassed, dropped, s);
    }

    public DeviceStates bypass(String failed) {
        Set<String> s = new TreeSet<>(bypassed);
        s.add(failed);
        return new DeviceStates(replacedBy, s, dropped, drained);
    }

    public DeviceStates drop(String failed) {
        Set<String> s = new TreeSet<>(dropped);
        s.add(failed);
        return new DeviceStates(replacedBy, bypassed, s, drained);
    }

    /** Back to normal for {@code device} (failback). */
    public DeviceStates restore(String device) {
        Map<String, String> m = new TreeMap<>(replacedBy);
        m.remove(device);
        return new DeviceStates(m, without(bypassed, device), without(dropped, device), without(drained, device));
    }

    private static Set<String> without(Set<String> s, String device) {
        Set<String> out = new TreeSet<>(s);
        out.remove(device);
        return out;
    }

    /** These states without those of devices a catalog no longer has (whatever was done to them ends with them). */
    public DeviceStates within(Set<String> devices) {
        DeviceStates s = this;
        for (String d : new TreeSet<>(java.util.stream.Stream.of(replacedBy.keySet(), bypassed, dropped)
                .flatMap(Set::stream).toList())) {
            if (!devices.contains(d)) {
                s = s.restore(d);
            }
        }
        return s;
    }

    /** Whether {@code device} is failed over, bypassed or dropped. */
    public boolean affects(String device) {
        return replacedBy.containsKey(device) || bypassed.contains(device) || dropped.contains(device);
    }

    /** The device {@code spare} stands in for, or null. */
    public String standsInFor(String spare) {
        return replacedBy.entrySet().stream().filter(e -> e.getValue().equals(spare)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** "spare fw-3", "bypass", "drop", "drained to fw-3" or "-" for a device in normal service. */
    public String describe(String device) {
        if (replacedBy.containsKey(device)) {
            return (drained.contains(device) ? "drained to " : "spare ") + replacedBy.get(device);
        }
        return bypassed.contains(device) ? "bypass" : dropped.contains(device) ? "drop" : "-";
    }
}
