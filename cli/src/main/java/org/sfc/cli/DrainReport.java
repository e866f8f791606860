package org.sfc.cli;

import java.io.PrintWriter;

import org.sfc.controller.Provisioner;

/** What a CLI apply or rollback says about a versioned cut-over, and the wait for its drain before it exits. */
final class DrainReport {
    private DrainReport() {}

    /** Names the services cut over per packet and, if old steps are kept, waits for the drain and removes them. */
    static void print(PrintWriter out, Provisioner p, Provisioner.Report r) {
        if (r.versioned().isEmpty()) {
            return;
        }
        out.printf("per-packet cut-over of %s: new steps beside the old ones, classifiers flipped%n",
                String.join(", ", r.versioned()));
        if (r.draining() > 0) {
            out.printf("keeping %d old entries %d ms for packets inside devices...%n", r.draining(),
                    p.drainTime().toMillis());
            out.flush();
            p.settle();
            out.println("old entries removed");
        }
    }
}
