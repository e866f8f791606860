package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sfc.controller.ControllerDaemon;
import org.sfc.controller.Credentials;
import org.sfc.controller.Principal;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;

/**
 * Tenants confined (seed ¶137, ¶151): the daemon's API authenticates principals by token, a tenant sees and
 * changes only its own services as its {@code may-change} allows, a viewer only reads, and the audit log names
 * the authenticated user whatever the client claims. Users and revocations are written to the database by
 * another connection (as {@code sfc user}/{@code sfc token} do) while the daemon runs.
 */
class ApiPrincipalsTest {
    static final String FILE_TOKEN = "the-daemons-own-token";

    @TempDir
    Path dir;
    SwitchServer server;
    ControllerDaemon daemon;
    Store admin; // the operator's own connection to the daemon's database
    String catalog;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SwitchServer.start(new SoftwareSwitch(1, 255), "127.0.0.1", 0);
        daemon = ControllerDaemon.start(new ControllerDaemon.Config("127.0.0.1", server.port(), 1, 10,
                SoftwareSwitchTarget.sfcPipeline(), dir.resolve("sfc.db"), "127.0.0.1", 0, FILE_TOKEN, null));
        ControllerDaemonTest.await(daemon::ready, "the daemon takes charge of the switch");
        admin = Store.open(dir.resolve("sfc.db"));
        catalog = Files.readString(Path.of("../examples/figure-13.yaml"));
        HttpResponse<String> first = call("POST", "/v1/catalog?file=figure-13.yaml", catalog, FILE_TOKEN);
        assertEquals(200, first.statusCode(), first.body());
    }

    @AfterEach
    void stop() {
        admin.close();
        daemon.close();
        server.close();
    }

    String user(String name, Principal.Role role, String tenant) {
        admin.addPrincipal(new Principal(name, role, tenant));
        return Credentials.issue(admin, name).token();
    }

    HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("X-Sfc-User", "mallory"); // what a client says about itself counts for nothing
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String appliedCatalog() {
        return admin.version(admin.applied("127.0.0.1:" + server.port() + "/1").version()).catalog();
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwnServices() throws Exception {
        String ann = user("ann", Principal.Role.TENANT, "acme");
        String view = call("GET", "/v1/catalog", null, ann).body();
        assertTrue(view.contains("acme-portal:") && view.contains("198.51.100.66"), view);
        assertFalse(view.contains("globex") || view.contains("app-2") || view.contains("203.0.113.2"), view);

        HttpResponse<String> ok = call("POST", "/v1/catalog?file=acme.yaml&note=block+another+host",
                view.replace("198.51.100.66", "198.51.100.77"), ann);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(catalog.replace("198.51.100.66", "198.51.100.77"), appliedCatalog(),
                "the tenant's change merged into the operator's catalog, nothing else touched");
        String history = call("GET", "/v1/history", null, FILE_TOKEN).body();
        assertTrue(history.contains("\"version\": 2, ") && history.contains("\"author\": \"ann\"")
                && history.contains("\"note\": \"tenant acme: block another host\"") && !history.contains("mallory"), history);
        assertTrue(admin.auditLog().stream().filter(a -> a.action().equals("apply")).map(Store.Audit::who).toList()
                .equals(List.of(Credentials.FILE_ADMIN, "ann")), "the audit log names who authenticated");
        String own = call("GET", "/v1/history", null, ann).body();
        assertTrue(own.contains("\"author\": \"ann\"") && !own.contains("\"version\": 1,"), "its own versions only: " + own);
        String events = call("GET", "/v1/events", null, ann).body();
        assertTrue(events.contains("\"who\": \"ann\"") && !events.contains("\"who\": \"admin\""), events);
        String stats = call("GET", "/v1/stats", null, ann).body();
        assertTrue(stats.contains("\"owner\": \"acme-portal\"") && !stats.contains("globex-api")
                && !stats.contains("\"kind\": \"device\""), stats);
    }

    @Test
    void aTenantMayNotChangeAnotherTenantsAcl() throws Exception {
        String ann = user("ann", Principal.Role.TENANT, "acme");
        String view = call("GET", "/v1/catalog", null, ann).body() + """
                  globex-api:
                    tenant: globex
                    address: {ip: 203.0.113.2, protocol: udp, port: 5000}
                    rate: {pps: 5000, burst: 500}
                    sequence: [app-2]
                    acl: {default: permit}
                """;
        HttpResponse<String> refused = call("POST", "/v1/catalog?file=acme.yaml", view, ann);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("acme.yaml:") && refused.body().contains(
                "tenant acme may not change service globex-api, which belongs to tenant globex"), refused.body());
        assertEquals(catalog, appliedCatalog(), "nothing changed");
    }

    @Test
    void aTenantMayNotChangeWhatItsMayChangeLeavesOut() throws Exception {
        String ann = user("ann", Principal.Role.TENANT, "acme"); // acme: may-change [acl]
        String view = call("GET", "/v1/catalog", null, ann).body();
        HttpResponse<String> refused = call("POST", "/v1/catalog?file=acme.yaml",
                view.replace("sequence: [app-1]", "sequence: [app-2]"), ann);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("may change only [acl] of its services; the sequence of service acme-portal "
                + "changed"), refused.body());
        HttpResponse<String> operators = call("POST", "/v1/catalog?file=acme.yaml", "devices: {}\nservices: {}\n", ann);
        assertEquals(422, operators.statusCode(), operators.body());
        assertTrue(operators.body().contains("'devices' is the operator's"), operators.body());
        for (String[] op : new String[][] {{"POST", "/v1/rollback?version=1"}, {"GET", "/v1/devices"},
            {"POST", "/v1/devices/drain?device=app-1&to=app-2"}, {"GET", "/v1/switches"},
            {"POST", "/v1/switches/activate?switch=x"}}) {
            HttpResponse<String> r = call(op[0], op[1], null, ann);
            assertEquals(403, r.statusCode(), op[1] + ": " + r.body());
            assertTrue(r.body().contains("acts for tenant acme"), r.body());
        }
        assertEquals(403, call("GET", "/metrics", null, ann).statusCode());
        assertEquals(catalog, appliedCatalog(), "nothing changed");
    }

    @Test
    void aViewerReadsEverythingAndChangesNothing() throws Exception {
        String vic = user("vic", Principal.Role.VIEWER, null);
        assertEquals(catalog, call("GET", "/v1/catalog", null, vic).body());
        assertEquals(200, call("GET", "/v1/devices", null, vic).statusCode());
        HttpResponse<String> refused = call("POST", "/v1/catalog", catalog.replace("198.51.100.66", "198.51.100.77"), vic);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("user vic is a viewer"), refused.body());
        assertEquals(403, call("POST", "/v1/rollback?version=1", null, vic).statusCode());
        assertEquals(200, call("GET", "/v1/switches", null, vic).statusCode());
        assertEquals(403, call("POST", "/v1/switches/activate?switch=x", null, vic).statusCode());
        assertEquals(catalog, appliedCatalog());
    }

    @Test
    void tokensAreCheckedOnEveryRequestAndRevokedAtOnce() throws Exception {
        String ann = user("ann", Principal.Role.TENANT, "acme");
        assertEquals(200, call("GET", "/v1/status", null, ann).statusCode());
        assertTrue(call("GET", "/v1/status", null, ann).body().contains("\"user\": \"ann\", \"role\": \"tenant\", "
                + "\"tenant\": \"acme\""));
        String id = ann.substring(0, ann.indexOf('.'));
        assertEquals(401, call("GET", "/v1/status", null, id + ".not-the-secret").statusCode());
        assertTrue(admin.revokeToken(id));
        HttpResponse<String> revoked = call("GET", "/v1/status", null, ann);
        assertEquals(401, revoked.statusCode(), "revoked in the database, refused by the running daemon at once");
        assertEquals("Bearer realm=\"sfc\"", revoked.headers().firstValue("WWW-Authenticate").orElse(null));
        String again = Credentials.issue(admin, "ann").token();
        assertEquals(200, call("GET", "/v1/status", null, again).statusCode());
        admin.removePrincipal("ann");
        assertEquals(401, call("GET", "/v1/status", null, again).statusCode(), "a removed user's tokens go with it");
    }

    @Test
    void metricsBesideTheApiNeedAnOperatorsToken() throws Exception {
        assertEquals(401, call("GET", "/metrics", null, null).statusCode());
        String vic = user("vic", Principal.Role.VIEWER, null);
        HttpResponse<String> m = call("GET", "/metrics", null, vic);
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("\nsfc_catalog_version 1\n"), m.body());
    }
}
