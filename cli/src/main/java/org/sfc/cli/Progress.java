package org.sfc.cli;

import java.io.PrintWriter;

import org.sfc.controller.Provisioner;

/** A progress bar on the terminal for long applies (only when a person is watching: a console is attached). */
final class Progress {
    private Progress() {}

    static void attach(Provisioner p, PrintWriter err) {
        if (System.console() == null) {
            return;
        }
        p.onProgress((done, total) -> {
            if (total < 10_000) {
                return; // small changes are over before a bar would help
            }
            int width = 40;
            int filled = (int) ((long) done * width / total);
            err.printf("\r[%s%s] %3d%% %,d/%,d writes", "#".repeat(filled), ".".repeat(width - filled),
                    (int) ((long) done * 100 / total), done, total);
            if (done.equals(total)) {
                err.println();
            }
            err.flush();
        });
    }
}
