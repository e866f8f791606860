package org.sfc.sw.runtime;

/** Match kinds of table key fields, as P4Info's MatchField.MatchType names them. */
public enum MatchKind {
    EXACT, LPM, TERNARY, RANGE, OPTIONAL, SELECTOR;

    public static MatchKind of(String p4Name) {
        return switch (p4Name) {
            case "exact" -> EXACT;
            case "lpm" -> LPM;
            case "ternary" -> TERNARY;
            case "range" -> RANGE;
            case "optional" -> OPTIONAL;
            case "selector" -> SELECTOR;
            default -> null;
        };
    }
}
