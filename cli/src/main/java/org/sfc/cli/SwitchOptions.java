package org.sfc.cli;

import java.nio.file.Path;

import org.sfc.controller.P4RuntimeClient;

import picocli.CommandLine.Option;

/** How to reach the switch and where the controller keeps its state. */
final class SwitchOptions {
    @Option(names = {"-t", "--target"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9559",
            description = "the switch's P4Runtime address (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--device-id", defaultValue = "1", description = "P4Runtime device id (default: ${DEFAULT-VALUE})")
    long deviceId;

    @Option(names = "--election-id", defaultValue = "10",
            description = "this controller's election id; the highest connected one is primary (default: ${DEFAULT-VALUE})")
    long electionId;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "talk to the switch over TLS, trusting this CA "
            + "certificate (default: plaintext)")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "this controller's certificate (chain), for a "
            + "switch that requires mutual TLS; with --tls-key and --tls-ca")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the private key (PKCS#8 PEM) of --tls-cert; "
            + "a file, so the key never shows in ps or a log")
    Path tlsKey;

    @Option(names = "--db", paramLabel = "FILE", description = "the controller database (default: $SFC_DB or ~/.sfc/sfc.db)")
    Path db;

    @Option(names = "--user", description = {"who is making the change, for the audit log (default: $USER); through",
            "--controller the daemon records the token's user instead"})
    String user;

    Path database() {
        return db != null ? db : Home.database();
    }

    String who() {
        return user != null ? user : localUser();
    }

    /** Who runs this command on this machine ($USER), for the audit log of local changes. */
    static String localUser() {
        String u = System.getenv("USER");
        return u != null ? u : System.getProperty("user.name", "unknown");
    }

    /** The switch's name in the store: its address and device id. */
    String switchName() {
        return target + "/" + deviceId;
    }

    /** TLS as the options say (null: plaintext); a certificate without --tls-ca is a usage error. */
    P4RuntimeClient.Tls tls() {
        if (tlsCa == null && (tlsCert != null || tlsKey != null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key need --tls-ca (the CA to trust the switch by)");
        }
        return tlsCa == null ? null : new P4RuntimeClient.Tls(tlsCa, tlsCert, tlsKey);
    }

    /** The switch's address (--target). */
    HostPort address() {
        return HostPort.parse(target, "--target", "127.0.0.1:9559");
    }

    P4RuntimeClient connect() {
        HostPort a = address();
        try {
            return P4RuntimeClient.connect(a.host(), a.port(), deviceId, electionId, 5000, tls());
        } catch (IllegalStateException e) {
            throw new Errors.Unreachable(e.getMessage(), e);
        }
    }
}
