package org.sfc.dataplane;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.sfc.controller.ControllerDaemon;

/** A test's client of a controller daemon's API, with the admin's token. */
record DaemonApi(ControllerDaemon daemon, String token) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET /v1/switches, unchecked (for awaiting conditions). */
    String switches() {
        try {
            return call("GET", "/v1/switches", null).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether /v1/switches says {@code sw} has this role and, connected, this version (or is not connected). */
    boolean is(String sw, String role, boolean connected, int version) {
        return switches().contains("{\"switch\": \"" + sw + "\", \"role\": \"" + role + "\", \"connected\": " + connected
                + ", \"version\": " + (connected ? String.valueOf(version) : "null"));
    }
}
