package org.sfc.cli;

/** An address given as HOST:PORT on the command line (the last colon separates them). */
record HostPort(String host, int port) {
    /** Parses {@code value} of {@code option}; a malformed one is a usage error that shows an example. */
    static HostPort parse(String value, String option, String example) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon < 0) {
                throw new NumberFormatException();
            }
            return new HostPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, like " + example + "; not '" + value + "'");
        }
    }
}
