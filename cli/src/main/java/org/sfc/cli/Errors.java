package org.sfc.cli;

import org.sfc.catalog.CatalogException;
import org.sfc.controller.Provisioner;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Turns failures into what an operator reads (no stack traces) and an exit code scripts can trust. */
final class Errors {
    private Errors() {}

    static int handle(Exception e, CommandLine cmd, ParseResult parsed) {
        var err = cmd.getErr();
        if (e instanceof CatalogException ce) {
            err.println("the catalog is invalid (" + ce.problems().size() + " problem"
                    + (ce.problems().size() == 1 ? "" : "s") + "); nothing was changed:");
            ce.problems().forEach(p -> err.println("  " + p));
            return SfcCommand.INVALID;
        }
        if (e instanceof Provisioner.ApplyFailed || e instanceof Provisioner.NotPrimary
                || e instanceof Provisioner.ForeignEntries || e instanceof Provisioner.WouldWipe) {
            err.println("sfc: " + e.getMessage());
            return SfcCommand.REFUSED;
        }
        if (e instanceof Forbidden f) {
            err.println("sfc: not permitted; nothing was changed:");
            f.problems().forEach(p -> err.println("  " + p));
            return SfcCommand.FORBIDDEN;
        }
        if (e instanceof Unreachable) {
            err.println("sfc: " + e.getMessage());
            return SfcCommand.UNREACHABLE;
        }
        if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
            err.println("sfc: " + e.getMessage());
            return 2;
        }
        err.println("sfc: " + e);
        return 1;
    }

    /** The daemon authenticated the caller, whose role or tenant does not allow what it asked (HTTP 403). */
    static final class Forbidden extends RuntimeException {
        private final java.util.List<String> problems;

        Forbidden(java.util.List<String> problems) {
            super(String.join("; ", problems));
            this.problems = java.util.List.copyOf(problems);
        }

        java.util.List<String> problems() {
            return problems;
        }
    }

    /** No switch answered at the address given. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
