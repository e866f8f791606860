package org.sfc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
import org.sfc.controller.Store;

import picocli.CommandLine.Option;

/** Which catalog a read-only command looks at: a file, a recorded version, or what the switch has. */
final class CatalogSource {
    @Option(names = {"-c", "--catalog"}, paramLabel = "FILE", description = "a catalog file (default: the version the "
            + "switch has, from the controller database)")
    Path file;

    // (not --version: every command has that one, for the program's version)
    @Option(names = "--catalog-version", paramLabel = "N", description = "a recorded catalog version instead")
    Integer version;

    /** The catalog's name (file, or "version N") and text. */
    record Loaded(String name, String text, Catalog catalog) {}

    Loaded load(SwitchOptions target) throws IOException {
        return load(target, null);
    }

    /** As {@link #load(SwitchOptions)}; with a daemon in use, a recorded version comes from the daemon's database. */
    Loaded load(SwitchOptions target, DaemonClient daemon) throws IOException {
        if (file != null) {
            String text = Files.readString(file);
            return new Loaded(file.toString(), text, CatalogLoader.loadText(file.toString(), text));
        }
        if (daemon != null && daemon.enabled()) {
            String text;
            try {
                text = daemon.call("GET", "/v1/catalog" + (version != null ? "?version=" + version : ""), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            String name = version != null ? "version " + version : "the controller's current version";
            return new Loaded(name, text, CatalogLoader.loadText(name, text));
        }
        try (Store store = Store.open(target.database())) {
            Store.Version v = recorded(store, target, version);
            return new Loaded("version " + v.number(), v.catalogText(), CatalogLoader.loadText(v.file(), v.catalogText()));
        }
    }

    /** Version {@code number} of the database, or (null) the one the switch has; a clear error if there is none. */
    static Store.Version recorded(Store store, SwitchOptions target, Integer number) {
        Integer n = number;
        if (n == null) {
            Store.Applied a = store.applied(target.switchName());
            if (a == null) {
                throw new IllegalArgumentException("nothing has been applied to " + target.switchName() + " (database "
                        + target.database() + "); give --catalog FILE or --catalog-version N");
            }
            n = a.version();
        }
        Store.Version v = store.version(n);
        if (v == null) {
            throw new IllegalArgumentException("there is no version " + n + "; 'sfc catalog history' lists them");
        }
        return v;
    }
}
