package org.sfc.sw.runtime;

import java.util.Arrays;

/** An action with its arguments, as a table entry, default entry or profile member holds it. */
public record ActionCall(ActionDef action, long[] args) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ActionCall c && c.action == action && Arrays.equals(c.args, args);
    }

    @Override
    public int hashCode() {
        return action.hashCode() * 31 + Arrays.hashCode(args);
    }

    @Override
    public String toString() {
        return action.name + Arrays.toString(args);
    }
}
