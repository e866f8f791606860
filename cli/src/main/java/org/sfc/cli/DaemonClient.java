package org.sfc.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.sfc.catalog.CatalogException;
import org.sfc.controller.Provisioner;

import picocli.CommandLine.Option;

/**
 * Talking to a running controller daemon instead of the switch: {@code --controller URL} (or $SFC_CONTROLLER)
 * with the token from {@code --token-file} (default ~/.sfc/token). Its answers become the same exit codes.
 */
final class DaemonClient {
    @Option(names = "--controller", paramLabel = "URL",
            description = "go through a running 'sfc controller run' (e.g. http://127.0.0.1:9600) instead of the switch; "
                    + "default: $SFC_CONTROLLER")
    String url;

    /** Where the daemon's admin token is kept unless --token-file says otherwise: ~/.sfc/token. */
    static Path defaultTokenFile() {
        return Path.of(System.getProperty("user.home"), ".sfc", "token");
    }

    @Option(names = "--token-file", paramLabel = "FILE", description = {"the API token to present (default: ~/.sfc/token, "
            + "the daemon's own: admin); a user's", "token from 'sfc user add' or 'sfc token issue' acts as that user"})
    Path tokenFile;

    @Option(names = "--controller-ca", paramLabel = "PEM",
            description = "for an https:// --controller: trust this CA certificate (default: the JDK's CAs)")
    Path controllerCa;

    /** Whether commands should go through a daemon. */
    boolean enabled() {
        return base() != null;
    }

    private String base() {
        String u = url != null ? url : System.getenv("SFC_CONTROLLER");
        return u == null || u.isBlank() ? null : u.replaceAll("/+$", "");
    }

    /**
     * Sends a request as the token's principal (the daemon records who that is; nothing the client says about
     * itself counts); 200 returns the body, the rest become the errors the direct path would throw.
     */
    String call(String method, String path, String body) throws IOException, InterruptedException {
        Path tokens = tokenFile != null ? tokenFile : defaultTokenFile();
        if (!Files.exists(tokens)) {
            throw new IllegalArgumentException("no API token at " + tokens + "; the daemon writes it on its first start "
                    + "(or give --token-file)");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + Files.readString(tokens).trim())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            HttpClient.Builder client = HttpClient.newBuilder();
            if (controllerCa != null) {
                client.sslContext(org.sfc.controller.PemTls.trusting(controllerCa));
            }
            r = client.build().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new Errors.Unreachable("no controller daemon answered at " + base() + "; is 'sfc controller run' running?", e);
        }
        return switch (r.statusCode()) {
            case 200 -> r.body();
            case 422 -> throw new CatalogException(problems(r.body()));
            case 409 -> throw new Provisioner.ApplyFailed(error(r.body()), null);
            case 503 -> throw new Errors.Unreachable(error(r.body()), null);
            case 401 -> throw new IllegalArgumentException("the daemon refused the token in " + tokens + " (wrong, revoked, or "
                    + "its user removed)");
            case 403 -> throw new Errors.Forbidden(r.body().contains("\"problems\"") ? problems(r.body())
                    : java.util.List.of(error(r.body())));
            default -> throw new IllegalArgumentException("the daemon answered " + r.statusCode() + ": " + error(r.body()));
        };
    }

    /** The strings of {"problems": ["...", ...]} (our daemon's own JSON: one string per problem). */
    static java.util.List<String> problems(String json) {
        java.util.List<String> out = new java.util.ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        boolean first = true;
        while (m.find()) {
            if (first) { // the key "problems"
                first = false;
                continue;
            }
            out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }

    static String error(String json) {
        var m = java.util.regex.Pattern.compile("\"error\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : json.trim();
    }
}
