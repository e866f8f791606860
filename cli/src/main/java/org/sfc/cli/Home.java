package org.sfc.cli;

import java.nio.file.Path;

/** Where the project is (the launcher sets SFC_HOME), for default paths like the P4 program. */
final class Home {
    private Home() {}

    static Path resolve(String relative) {
        String home = System.getenv("SFC_HOME");
        return (home == null ? Path.of("") : Path.of(home)).resolve(relative);
    }

    /** The default controller database: $SFC_DB, else ~/.sfc/sfc.db. */
    static Path database() {
        String db = System.getenv("SFC_DB");
        return db != null ? Path.of(db) : Path.of(System.getProperty("user.home"), ".sfc", "sfc.db");
    }
}
