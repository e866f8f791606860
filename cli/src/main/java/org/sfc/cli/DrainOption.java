package org.sfc.cli;

import java.time.Duration;

import org.sfc.controller.Provisioner;

import picocli.CommandLine.Option;

/** {@code --drain}: how long a versioned cut-over keeps a changed service's old steps for packets in flight. */
final class DrainOption {
    @Option(names = "--drain", paramLabel = "TIME", description = {"after a change of a service's chain, keep its old",
        "steps this long (e.g. 2s, 500ms) for packets still inside its devices: they finish the chain they",
        "started, every new packet takes the new one; 0 removes them at once (default: 2s)"})
    String drain;

    /** Refuses --drain through the daemon, which drains as it was started with (`controller run --drain`). */
    void requireDirect(boolean throughDaemon) {
        if (throughDaemon && drain != null) {
            throw new IllegalArgumentException("--drain is for a change made directly; the controller daemon drains "
                    + "as it was started ('sfc controller run --drain TIME')");
        }
    }

    /** The drain time asked for, or the default. */
    Duration time() {
        return drain == null ? Provisioner.DEFAULT_DRAIN : parse(drain);
    }

    static Duration parse(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,7})(ms|s)?").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--drain takes a time such as 2s or 500ms (or 0), not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return "ms".equals(m.group(2)) ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }
}
