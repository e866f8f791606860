package org.sfc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A file holding a secret (an API token): readable by its owner only, from before the secret is in it. */
final class PrivateFile {
    private PrivateFile() {}

    /** Writes {@code text} to {@code file} (replacing it; creating its folders), mode 600 where the file system has modes. */
    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file stays as created
        }
        Files.writeString(file, text);
    }
}
