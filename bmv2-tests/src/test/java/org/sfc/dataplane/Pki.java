package org.sfc.dataplane;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A test certificate authority made with the JDK's keytool: a CA, and certificates it signs (for 127.0.0.1, good
 * for server and client authentication), each as PEM files: the certificate and its PKCS#8 private key.
 */
final class Pki {
    /** A certificate signed by the CA, and its key. */
    record Issued(Path cert, Path key) {}

    private static final String PASS = "changeit";
    private final Path dir;
    private final String name;
    final Path caCert;

    private Pki(Path dir, String name) throws Exception {
        this.dir = dir;
        this.name = name;
        Path store = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name
                + " test CA", "-ext", "bc:c", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASS);
        caCert = dir.resolve(name + "-ca.pem");
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", caCert.toString(), "-keystore", store.toString(),
                "-storepass", PASS);
    }

    static Pki create(Path dir, String name) throws Exception {
        return new Pki(dir, name);
    }

    /** A certificate for {@code cn} (SAN 127.0.0.1) signed by this CA. */
    Issued issue(String cn) throws Exception {
        Path store = dir.resolve(name + "-" + cn + ".p12");
        Path csr = dir.resolve(name + "-" + cn + ".csr");
        Path cert = dir.resolve(name + "-" + cn + ".pem");
        keytool("-genkeypair", "-alias", cn, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        keytool("-certreq", "-alias", cn, "-file", csr.toString(), "-keystore", store.toString(), "-storepass", PASS);
        keytool("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc",
                "-ext", "SAN=ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth", "-validity", "2",
                "-keystore", dir.resolve(name + "-ca.p12").toString(), "-storepass", PASS);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASS.toCharArray());
        }
        Path key = dir.resolve(name + "-" + cn + ".key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(ks.getKey(cn, PASS.toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new Issued(cert, key);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
        }
    }
}
