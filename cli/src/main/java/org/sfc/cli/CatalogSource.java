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

    @Option(names = "--version", paramLabel = "N", description = "a recorded catalog version instead")
    Integer version;

    /** The catalog's name (file, or "version N") and text. */
    record Loaded(String name, String text, Catalog catalog) {}

    Loaded load(SwitchOptions target) throws IOException {
        if (file != null) {
            String text = Files.readString(file);
            return new Loaded(file.toString(), text, CatalogLoader.loadText(file.toString(), text));
        }
        try (Store store = Store.open(target.database())) {
            int n;
            if (version != null) {
                n = version;
            } else {
                Store.Applied a = store.applied(target.switchName());
                if (a == null) {
                    throw new IllegalArgumentException("nothing has been applied to " + target.switchName() + " (database "
                            + target.database() + "); give --catalog FILE or --version N");
                }
                n = a.version();
            }
            Store.Version v = store.version(n);
            if (v == null) {
                throw new IllegalArgumentException("there is no version " + n + "; 'sfc catalog history' lists them");
            }
            return new Loaded("version " + n, v.catalog(), CatalogLoader.loadText(v.file(), v.catalog()));
        }
    }
}
