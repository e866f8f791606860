package org.sfc.controller;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.sfc.catalog.CatalogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The controller as a daemon: keeps one switch, or a redundant pair ({@link RedundantPair}), at its catalog version
 * — each switch's {@link SwitchKeeper} connects (with backoff), pushes the pipeline if missing and reconciles on
 * every (re)connect, so a restarted switch gets everything back — and
 * serves a small HTTP/JSON API on loopback (HTTPS with a certificate) plus Prometheus metrics (beside the API,
 * or on a listener of their own). The switch connection is plaintext, TLS, or mutual TLS.
 *
 * <p>Every request is authenticated by its bearer token ({@link Credentials}: the token file's admin, or a
 * user's); what the {@link Principal} may do is {@link ApiAccess}'s to say, and the audit log records its name.
 * A tenant's user works on its view ({@link TenantScope}): its services, its versions, events and counters.
 *
 * <pre>
 * GET  /v1/status                    switch, connected, version, the caller, and why the switch was refused
 * GET  /v1/catalog?version=N         a version's catalog YAML (default: the one the switch has)
 * GET  /v1/history                   every catalog version
 * GET  /v1/stats                     what the switch counted per service, step, ACL rule, device, drop reason
 * POST /v1/catalog?file=F&amp;note=N     body: catalog YAML; 200 {version, writes}, 422 {problems}, 409 refused
 * POST /v1/rollback?version=N        200 {version, writes}
 * GET  /v1/devices                   every device: health state, probe, action taken (pending: still being
 *                                     written), last answer
 * GET  /v1/events?limit=N            the last N device events (health and maintenance), oldest first
 * POST /v1/devices/drain?device=D&amp;to=S      maintenance: D's traffic to spare S until restored
 * POST /v1/devices/restore?device=D          failback (or the end of a drain)
 * POST /v1/devices/replace?device=D&amp;with=N  every service of D regenerated with N (a new version)
 * GET  /v1/switches                  every switch in charge: role (active, standby), connected, version, the
 *                                     devices its entries keep out of service
 * POST /v1/switches/activate?switch=S  a redundant pair: S becomes the active switch, the other the standby
 * GET  /metrics                      Prometheus text format (an admin's or viewer's token; or, with no token,
 *                                     on a listener of its own)
 * </pre>
 */
public final class ControllerDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerDaemon.class);

    /** Where the switch is, what it runs, where the state is kept, where the API listens and its token. */
    public record Config(String switchHost, int switchPort, long deviceId, long electionId, PipelineConfig pipeline,
                         Path database, String listenHost, int listenPort, String token, P4RuntimeClient.Tls tls,
                         HealthMonitor.Passive passive, Ownership ownership, Listeners listeners, Standby standby) {
        public Config(String switchHost, int switchPort, long deviceId, long electionId, PipelineConfig pipeline,
                      Path database, String listenHost, int listenPort, String token, P4RuntimeClient.Tls tls) {
            this(switchHost, switchPort, deviceId, electionId, pipeline, database, listenHost, listenPort, token, tls,
                    HealthMonitor.Passive.DEFAULT, Ownership.DEFAULT, Listeners.DEFAULT, null);
        }

        public Config with(Ownership o) {
            return new Config(switchHost, switchPort, deviceId, electionId, pipeline, database, listenHost, listenPort,
                    token, tls, passive, o, listeners, standby);
        }

        public Config with(Listeners l) {
            return new Config(switchHost, switchPort, deviceId, electionId, pipeline, database, listenHost, listenPort,
                    token, tls, passive, ownership, l, standby);
        }

        /** The switch and a standby: a redundant pair (null: one switch). */
        public Config with(Standby s) {
            return new Config(switchHost, switchPort, deviceId, electionId, pipeline, database, listenHost, listenPort,
                    token, tls, passive, ownership, listeners, s);
        }

        SwitchKeeper.Address switchAddress() {
            return new SwitchKeeper.Address(switchHost, switchPort, deviceId);
        }
    }

    /**
     * The second switch of a redundant pair (seed Fig. 15): same devices, same addresses, same (virtual) MAC; it
     * takes over when the active switch has been out of reach (no P4Runtime session) for {@code takeoverAfter}.
     * {@code pipeline}: its own build of the program when it is another kind of target (null: the main switch's).
     */
    public record Standby(String host, int port, long deviceId, java.time.Duration takeoverAfter,
                          PipelineConfig pipeline) {
        /** Long enough to ride out a session reset, short enough for a takeover well under a second. */
        public static final java.time.Duration DEFAULT_TAKEOVER_AFTER = java.time.Duration.ofMillis(300);

        /** A standby of the same kind as the main switch: it runs the same pipeline build. */
        public Standby(String host, int port, long deviceId, java.time.Duration takeoverAfter) {
            this(host, port, deviceId, takeoverAfter, null);
        }

        SwitchKeeper.Address address() {
            return new SwitchKeeper.Address(host, port, deviceId);
        }
    }

    /**
     * Whether to overwrite a switch holding entries this database did not write, how often to read the switch for
     * drift (entries someone else added, changed or removed; 0: only on connect and apply), and how long a
     * versioned cut-over keeps old steps for packets in flight.
     */
    public record Ownership(Provisioner.Takeover takeover, long driftCheckMillis, java.time.Duration drain) {
        public static final Ownership DEFAULT = new Ownership(Provisioner.Takeover.REFUSE, 30_000);

        public Ownership(Provisioner.Takeover takeover, long driftCheckMillis) {
            this(takeover, driftCheckMillis, Provisioner.DEFAULT_DRAIN);
        }
    }

    /**
     * HTTPS for the API (a PEM certificate chain and its PKCS#8 key; null: plain HTTP), and where /metrics is
     * served: on a listener of its own (host and port; port 0 picks one), or, without one, beside the API.
     */
    public record Listeners(Path apiCert, Path apiKey, String metricsHost, Integer metricsPort) {
        public static final Listeners DEFAULT = new Listeners(null, null, null, null);

        public Listeners {
            if ((apiCert == null) != (apiKey == null)) {
                throw new IllegalArgumentException("the API's certificate and key go together (--api-tls-cert, --api-tls-key)");
            }
        }
    }

    private final Config config;
    private final Store store;
    private final Credentials credentials;
    private final HttpServer http;
    private final HttpServer metricsHttp; // null: /metrics is on the API listener
    private final java.util.List<SwitchKeeper> keepers;
    private final RedundantPair pair; // null: one switch
    private final AtomicLong applies = new AtomicLong();
    private final AtomicLong applyFailures = new AtomicLong();

    private ControllerDaemon(Config config) throws IOException {
        this.config = config;
        this.store = Store.open(config.database());
        this.credentials = new Credentials(store, config.token());
        InetSocketAddress api = new InetSocketAddress(config.listenHost(), config.listenPort());
        Listeners l = config.listeners();
        if (l.apiCert() != null) {
            var https = com.sun.net.httpserver.HttpsServer.create(api, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(PemTls.server(l.apiCert(), l.apiKey())));
            this.http = https;
        } else {
            this.http = HttpServer.create(api, 0);
        }
        http.setExecutor(Executors.newFixedThreadPool(2));
        http.createContext("/v1/", this::api);
        if (l.metricsPort() != null) {
            this.metricsHttp = HttpServer.create(new InetSocketAddress(l.metricsHost(), l.metricsPort()), 0);
            metricsHttp.setExecutor(Executors.newSingleThreadExecutor());
            metricsHttp.createContext("/metrics", this::metrics);
            http.createContext("/metrics", x -> {
                try (x) {
                    send(x, 404, "{\"error\": \"metrics are served on http://" + l.metricsHost() + ":" + metricsPort()
                            + "/metrics\"}");
                }
            });
        } else {
            this.metricsHttp = null;
            http.createContext("/metrics", this::authenticatedMetrics);
        }
        SwitchKeeper.Address main = config.switchAddress();
        if (config.standby() == null) {
            this.keepers = java.util.List.of(new SwitchKeeper(main, config.pipeline(), Provisioner.Role.ACTIVE,
                    config, store));
            this.pair = null;
        } else {
            SwitchKeeper.Address other = config.standby().address();
            if (other.name().equals(main.name())) {
                throw new IllegalArgumentException("the standby is the switch itself (" + main.name() + "); a pair is "
                        + "two switches");
            }
            // The active one is the store's (a takeover outlives a restart), else the main switch.
            boolean otherActive = other.name().equals(store.active(RedundantPair.name(main.name(), other.name())));
            // (a pair of two kinds of target, e.g. BMv2 and the software switch, runs two builds of the program)
            PipelineConfig otherPipeline = config.standby().pipeline() != null ? config.standby().pipeline()
                    : config.pipeline();
            SwitchKeeper a = new SwitchKeeper(main, config.pipeline(), otherActive ? Provisioner.Role.STANDBY
                    : Provisioner.Role.ACTIVE, config, store);
            SwitchKeeper b = new SwitchKeeper(other, otherPipeline, otherActive ? Provisioner.Role.ACTIVE
                    : Provisioner.Role.STANDBY, config, store);
            this.keepers = java.util.List.of(a, b);
            this.pair = new RedundantPair(a, b, store, config.standby().takeoverAfter(), this);
        }
    }

    /** The switch the traffic goes through: the only one, or the active one of the pair. */
    private SwitchKeeper active() {
        return pair == null ? keepers.get(0) : pair.active();
    }

    public static ControllerDaemon start(Config config) throws IOException {
        ControllerDaemon d = new ControllerDaemon(config);
        d.http.start();
        if (d.metricsHttp != null) {
            d.metricsHttp.start();
        }
        d.keepers.forEach(SwitchKeeper::start);
        if (d.pair != null) {
            d.pair.start();
        }
        log.info("controller API on {}://{}:{}/v1/, metrics on {}; switch {}", config.listeners().apiCert() != null
                ? "https" : "http", config.listenHost(), d.httpPort(), d.metricsHttp == null ? "/metrics"
                : "http://" + config.listeners().metricsHost() + ":" + d.metricsPort() + "/metrics",
                d.keepers.stream().map(k -> k.name() + " (" + k.role().name().toLowerCase() + ")").toList());
        return d;
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The port /metrics is served on: its own listener's, or the API's. */
    public int metricsPort() {
        return metricsHttp != null ? metricsHttp.getAddress().getPort() : httpPort();
    }

    /** Whether the (active) switch is connected, this controller is primary, and the switch holds its version. */
    public boolean ready() {
        return active().provisioner() != null;
    }

    // ------------------------------------------------------------------ HTTP

    private void api(HttpExchange x) throws IOException {
        try (x) {
            Principal who = admit(x);
            if (who == null) {
                return;
            }
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            TenantScope tenant = who.role() == Principal.Role.TENANT ? new TenantScope(store, active().name(), who) : null;
            if (method.equals("GET") && path.equals("/v1/status")) {
                SwitchKeeper k = active();
                Provisioner p = k.provisioner();
                // (a tenant is not told whose entries the switch holds, or the cookies: the operator's business)
                String why = k.refusal() == null ? null : tenant == null ? k.refusal()
                        : "the switch is not in this controller's charge; ask the operator";
                send(x, 200, "{\"switch\": " + json(k.name()) + ", \"connected\": " + (p != null)
                        + ", \"version\": " + (p == null ? "null" : p.version()) + ", \"user\": " + json(who.name())
                        + ", \"role\": " + json(who.role().name().toLowerCase())
                        + (who.tenant() == null ? "" : ", \"tenant\": " + json(who.tenant()))
                        + (why == null ? "" : ", \"refused\": " + json(why)) + "}");
            } else if (method.equals("GET") && path.equals("/v1/catalog")) {
                catalogText(x, tenant);
            } else if (method.equals("GET") && path.equals("/v1/history")) {
                java.util.Set<String> users = tenant == null ? null : tenant.users();
                StringBuilder b = new StringBuilder("[");
                for (Store.Version v : store.history()) {
                    if (users != null && !users.contains(v.author())) {
                        continue; // a tenant sees the versions its own users made
                    }
                    b.append(b.length() > 1 ? ", " : "").append("{\"version\": ").append(v.number()).append(", \"created\": ")
                            .append(json(v.created().toString())).append(", \"author\": ").append(json(v.author()))
                            .append(", \"file\": ").append(json(v.file())).append(", \"note\": ").append(json(v.note()))
                            .append('}');
                }
                send(x, 200, b.append(']').toString());
            } else if (method.equals("POST") && path.equals("/v1/catalog")) {
                String text = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String file = query(x.getRequestURI(), "file", "catalog.yaml");
                String note = query(x.getRequestURI(), "note", null);
                change(x, tenant == null ? p -> p.apply(file, text, who.name(), note) : p -> tenant.apply(p, file, text, note));
            } else if (method.equals("POST") && path.equals("/v1/rollback")) {
                int version = Integer.parseInt(query(x.getRequestURI(), "version", "0"));
                change(x, p -> p.rollback(version, who.name()));
            } else if (method.equals("GET") && path.equals("/v1/devices")) {
                HealthMonitor m = active().monitor();
                if (m == null) {
                    send(x, 503, "{\"error\": \"not connected to switch " + active().name() + "; retrying\"}");
                    return;
                }
                StringBuilder b = new StringBuilder("[");
                for (HealthMonitor.Status st : m.status()) {
                    b.append(b.length() > 1 ? ", " : "").append("{\"device\": ").append(json(st.device()))
                            .append(", \"state\": ").append(json(st.state().name().toLowerCase()))
                            .append(", \"probe\": ").append(json(st.probe())).append(", \"action\": ")
                            .append(json(st.action())).append(", \"last_answer_ms\": ").append(st.lastAnswerMs())
                            .append(", \"probes\": ").append(st.probes()).append(", \"answers\": ").append(st.answers())
                            .append(", \"pending\": ").append(st.pending()).append('}');
                }
                send(x, 200, b.append(']').toString());
            } else if (method.equals("GET") && path.equals("/v1/events")) {
                int limit = Integer.parseInt(query(x.getRequestURI(), "limit", "100"));
                StringBuilder b = new StringBuilder("[");
                for (Store.Audit a : tenant == null ? store.deviceEvents(limit) : store.eventsBy(tenant.users(), limit)) {
                    b.append(b.length() > 1 ? ", " : "").append("{\"at\": ").append(json(a.at().toString()))
                            .append(", \"who\": ").append(json(a.who())).append(", \"kind\": ").append(json(a.action()))
                            .append(", \"detail\": ").append(json(a.detail())).append('}');
                }
                send(x, 200, b.append(']').toString());
            } else if (method.equals("GET") && path.equals("/v1/stats")) {
                stats(x, tenant);
            } else if (method.equals("GET") && path.equals("/v1/switches")) {
                send(x, 200, switches());
            } else if (method.equals("POST") && path.equals("/v1/switches/activate")) {
                String name = query(x.getRequestURI(), "switch", "");
                if (pair == null) {
                    send(x, 409, "{\"error\": \"this controller drives one switch, not a redundant pair: there is "
                            + "nothing to activate (start it with --standby)\"}");
                } else {
                    change(x, p -> pair.activate(name, who.name()));
                }
            } else if (method.equals("POST") && path.startsWith("/v1/devices/")) {
                String device = query(x.getRequestURI(), "device", "");
                switch (path.substring("/v1/devices/".length())) {
                    case "drain" -> change(x, p -> p.drain(device, query(x.getRequestURI(), "to", ""), who.name()));
                    case "restore" -> change(x, p -> p.restore(device, who.name()));
                    case "replace" -> change(x, p -> p.replace(device, query(x.getRequestURI(), "with", ""), who.name()));
                    default -> send(x, 404, "{\"error\": \"no such device operation; drain, restore or replace\"}");
                }
            } else {
                send(x, 404, "{\"error\": \"no " + method + " " + json(path).replace("\"", "") + "\"}");
            }
        }
    }

    /**
     * The principal of the request's bearer token, if it may do what the request asks; null after answering 401
     * (no token, a wrong or revoked one) or 403 (its role does not allow it).
     */
    private Principal admit(HttpExchange x) throws IOException {
        Principal who = authenticate(x);
        String denied = who == null ? null : ApiAccess.refusal(who, x.getRequestMethod(), x.getRequestURI().getPath());
        if (denied != null) {
            send(x, 403, "{\"error\": " + json(denied) + "}");
            return null;
        }
        return who;
    }

    /** The principal of the request's bearer token; null after answering 401 (no token, a wrong or revoked one). */
    private Principal authenticate(HttpExchange x) throws IOException {
        String header = x.getRequestHeaders().getFirst("Authorization");
        Principal who = header != null && header.startsWith("Bearer ") ? credentials.authenticate(header.substring(7).trim())
                : null;
        if (who == null) {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sfc\"");
            send(x, 401, "{\"error\": \"missing, wrong or revoked token: send 'Authorization: Bearer <token>' (the daemon's "
                    + "token file, or one from 'sfc user add' / 'sfc token issue')\"}");
        }
        return who;
    }

    /** Per service, step, ACL rule, device and drop reason, what the switch counted; a tenant's services only. */
    private void stats(HttpExchange x, TenantScope tenant) throws IOException {
        SwitchKeeper k = active();
        Provisioner p = k.provisioner();
        var compiled = p == null ? null : p.compiled();
        if (compiled == null) {
            send(x, 503, "{\"error\": \"not connected to switch " + k.name() + ", or nothing applied yet\"}");
            return;
        }
        java.util.Set<String> own = tenant == null ? null : tenant.services();
        StringBuilder b = new StringBuilder("[");
        for (Accounting.Row r : Accounting.read(k.client(), compiled)) {
            if (own != null && (!own.contains(r.owner()) || r.kind().equals("device") || r.kind().equals("drops"))) {
                continue; // devices and drops are the operator's; other services other tenants'
            }
            b.append(b.length() > 1 ? ", " : "").append("{\"kind\": ").append(json(r.kind())).append(", \"owner\": ")
                    .append(json(r.owner())).append(", \"what\": ").append(json(r.what())).append(", \"packets\": ")
                    .append(r.packets()).append(", \"bytes\": ").append(r.bytes()).append('}');
        }
        send(x, 200, b.append(']').toString());
    }

    private interface Change {
        Provisioner.Report apply(Provisioner p);
    }

    private synchronized void change(HttpExchange x, Change change) throws IOException {
        Provisioner p = active().provisioner();
        if (p == null) {
            send(x, 503, "{\"error\": \"not connected to switch " + active().name() + " (or not primary); retrying\"}");
            return;
        }
        try {
            Provisioner.Report r = pair == null ? change.apply(p) : changeBoth(p, change);
            applies.incrementAndGet();
            send(x, 200, "{\"version\": " + r.version() + ", \"writes\": " + r.writes() + ", \"millis\": " + r.millis()
                    + ", \"versioned\": [" + String.join(", ", r.versioned().stream().map(ControllerDaemon::json).toList())
                    + "], \"draining\": " + r.draining() + "}");
        } catch (CatalogException e) {
            send(x, e instanceof org.sfc.catalog.TenantPolicy.Refused ? 403 : 422, "{\"problems\": [" + String.join(", ",
                    e.problems().stream().map(ControllerDaemon::json).toList()) + "]}");
        } catch (Provisioner.ApplyFailed e) {
            applyFailures.incrementAndGet();
            send(x, 409, "{\"error\": " + json(e.getMessage()) + "}");
        } catch (IllegalArgumentException e) {
            send(x, 400, "{\"error\": " + json(e.getMessage()) + "}");
        } catch (IllegalStateException e) { // (e.g. the switch to activate is not connected)
            send(x, 409, "{\"error\": " + json(e.getMessage()) + "}");
        } catch (RuntimeException e) {
            log.warn("change failed: {}", e.toString());
            send(x, 500, "{\"error\": " + json(e.toString()) + "}");
        }
    }

    /** Every switch in this controller's charge: its role, whether it is connected, its version, why refused. */
    private String switches() {
        StringBuilder b = new StringBuilder("[");
        for (SwitchKeeper k : keepers) {
            Provisioner p = k.provisioner();
            b.append(b.length() > 1 ? ", " : "").append("{\"switch\": ").append(json(k.name()))
                    .append(", \"role\": ").append(json(k.role().name().toLowerCase()))
                    .append(", \"connected\": ").append(p != null)
                    .append(", \"version\": ").append(p == null ? "null" : String.valueOf(p.version()))
                    .append(p == null ? "" : ", \"devices_out\": " + devicesOut(p.deviceStates()))
                    .append(", \"out_of_reach_ms\": ").append(k.outOfReachNanos() / 1_000_000)
                    .append(", \"connects\": ").append(k.connects())
                    .append(k.refusal() == null ? "" : ", \"refused\": " + json(k.refusal())).append('}');
        }
        return b.append(']').toString();
    }

    /** ["fw-1: bypass", "fw-2: spare fw-3"]: the devices a switch's entries keep out of service, and how. */
    private static String devicesOut(org.sfc.compiler.DeviceStates s) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(s.replacedBy().keySet());
        out.addAll(s.bypassed());
        out.addAll(s.dropped());
        return "[" + String.join(", ", out.stream().map(d -> json(d + ": " + s.describe(d))).toList()) + "]";
    }

    /**
     * A change to a pair is made on both switches or on neither: on the active one, then the standby follows; if the
     * standby refuses (it undid its part), the active one goes back to what it had. A standby out of the controller's
     * charge does not hold the change up: it follows when it returns.
     */
    private Provisioner.Report changeBoth(Provisioner active, Change change) {
        int hadVersion = active.version();
        org.sfc.compiler.DeviceStates hadStates = active.deviceStates();
        boolean hadCatalog = active.compiled() != null;
        Provisioner.Report r = change.apply(active);
        try {
            pair.follow("controller");
        } catch (RuntimeException e) {
            String standby = pair.standby().name();
            if (hadCatalog) {
                active.follow(hadVersion, hadStates, "controller");
            }
            store.audit("controller", "apply-failed", "version " + r.version() + ": the standby " + standby
                    + " refused it (" + e.getMessage() + "); " + (hadCatalog ? "the active switch went back to version "
                    + hadVersion : "the active switch keeps it (it had no catalog to go back to)"));
            throw new Provisioner.ApplyFailed("the standby " + standby + " refused the change and it was undone on both "
                    + "switches: " + e.getMessage(), e);
        }
        return r;
    }

    /** Per switch of a pair: which one is active, whether it is in the controller's charge; takeovers so far. */
    private void pairMetrics(StringBuilder b) {
        if (pair == null) {
            return;
        }
        b.append("# HELP sfc_pair_switch 1 for each switch of the redundant pair, by role and whether it is connected\n")
                .append("# TYPE sfc_pair_switch gauge\n");
        for (SwitchKeeper k : pair.both()) {
            b.append("sfc_pair_switch{switch=").append(json(k.name())).append(",role=")
                    .append(json(k.role().name().toLowerCase())).append(",connected=")
                    .append(json(String.valueOf(k.provisioner() != null))).append("} 1\n");
        }
        metric(b, "sfc_pair_takeovers_total", "counter", "times the standby took over from the active switch",
                pair.takeovers());
    }

    /** /metrics beside the API: for the operator's principals (an admin's or a viewer's token). */
    private void authenticatedMetrics(HttpExchange x) throws IOException {
        if (admit(x) == null) {
            x.close();
            return;
        }
        metrics(x);
    }

    private void metrics(HttpExchange x) throws IOException {
        try (x) {
            SwitchKeeper k = active();
            Provisioner p = k.provisioner();
            StringBuilder b = new StringBuilder();
            metric(b, "sfc_switch_connected", "gauge", "1 if the controller is primary for the switch", p != null ? 1 : 0);
            metric(b, "sfc_catalog_version", "gauge", "the catalog version the switch has", p == null ? 0 : p.version());
            metric(b, "sfc_switch_connects_total", "counter", "times the controller took charge of the switch",
                    keepers.stream().mapToLong(SwitchKeeper::connects).sum());
            metric(b, "sfc_applies_total", "counter", "applies and rollbacks that succeeded", applies.get());
            metric(b, "sfc_apply_failures_total", "counter", "applies the switch refused (undone)", applyFailures.get());
            metric(b, "sfc_drift_found_total", "counter", "times the switch was found to differ from its version",
                    keepers.stream().mapToLong(SwitchKeeper::driftFound).sum());
            metric(b, "sfc_drift_repaired_entries_total", "counter", "entries written to undo someone else's changes",
                    keepers.stream().mapToLong(SwitchKeeper::driftRepaired).sum());
            metric(b, "sfc_switch_refused", "gauge", "1 while the switch holds entries this database did not write",
                    k.refusal() == null ? 0 : 1);
            metric(b, "sfc_cutover_draining_entries", "gauge", "old entries a per-packet cut-over keeps for packets "
                    + "still inside devices (removed after the drain time)", p == null ? 0 : p.draining());
            if (p != null) {
                b.append("# HELP sfc_device_fallbacks_total failed devices with no healthy spare, by the fallback taken\n")
                        .append("# TYPE sfc_device_fallbacks_total counter\n");
                for (String fallback : java.util.List.of("drop", "bypass")) {
                    b.append("sfc_device_fallbacks_total{fallback=").append(json(fallback)).append("} ")
                            .append(p.fallbacks().getOrDefault(fallback, 0L)).append('\n');
                }
            }
            pairMetrics(b);
            HealthMonitor m = k.monitor();
            if (m != null) {
                b.append("# HELP sfc_device_state 1 for the state each device is in\n# TYPE sfc_device_state gauge\n");
                for (HealthMonitor.Status st : m.status()) {
                    b.append("sfc_device_state{device=").append(json(st.device())).append(",state=")
                            .append(json(st.state().name().toLowerCase())).append("} 1\n");
                }
                b.append("# HELP sfc_device_transitions_total times devices entered a state\n")
                        .append("# TYPE sfc_device_transitions_total counter\n");
                for (var e : new java.util.TreeMap<>(m.transitions()).entrySet()) {
                    b.append("sfc_device_transitions_total{state=").append(json(e.getKey())).append("} ")
                            .append(e.getValue()).append('\n');
                }
                metric(b, "sfc_health_stalls_total", "counter", "health rounds that ran late (the controller stalled: "
                        + "no device was judged)", m.stalls());
            }
            if (p != null) {
                try {
                    var compiled = p.compiled();
                    if (compiled != null) {
                        serviceAndDeviceMetrics(b, Accounting.read(k.client(), compiled));
                    }
                } catch (RuntimeException e) {
                    log.debug("metrics: counters unavailable: {}", e.getMessage());
                }
            }
            respond(x, 200, "text/plain; version=0.0.4", b.toString());
        }
    }

    /**
     * Per service and kind (a service has a classifier entry per address, port and range: summed, one series
     * each, as the exposition format requires) and per device and direction, packets and bytes.
     */
    private static void serviceAndDeviceMetrics(StringBuilder b, java.util.List<Accounting.Row> rows) {
        java.util.Map<String, long[]> services = new java.util.TreeMap<>();
        java.util.Map<String, long[]> devices = new java.util.TreeMap<>();
        java.util.Map<String, long[]> drops = new java.util.TreeMap<>();
        for (Accounting.Row r : rows) {
            if (r.kind().equals("drops")) {
                long[] n = drops.computeIfAbsent("reason=" + json(r.what()), k -> new long[2]);
                n[0] += r.packets();
                n[1] += r.bytes();
            }
            if (r.kind().equals("requests") || r.kind().equals("replies")) {
                long[] n = services.computeIfAbsent("service=" + json(r.owner()) + ",kind=" + json(r.kind()),
                        k -> new long[2]);
                n[0] += r.packets();
                n[1] += r.bytes();
            } else if (r.kind().equals("device")) {
                long[] n = devices.computeIfAbsent("device=" + json(r.owner()) + ",direction="
                        + json(r.what().equals("sent to") ? "sent" : "received"), k -> new long[2]);
                n[0] += r.packets();
                n[1] += r.bytes();
            }
        }
        series(b, "sfc_service_packets_total", "packets per service and kind (requests, replies)", services, 0);
        series(b, "sfc_service_bytes_total", "bytes per service and kind (requests, replies)", services, 1);
        series(b, "sfc_device_packets_total", "packets sent to (copies included) and received from each device",
                devices, 0);
        series(b, "sfc_device_bytes_total", "bytes sent to (copies included) and received from each device", devices, 1);
        series(b, "sfc_drops_total", "packets the switch dropped, by reason (a reason appears once it has dropped one)",
                drops, 0);
    }

    private static void series(StringBuilder b, String name, String help, java.util.Map<String, long[]> values, int at) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        values.forEach((labels, n) -> b.append(name).append('{').append(labels).append("} ").append(n[at]).append('\n'));
    }

    private static void metric(StringBuilder b, String name, String type, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(' ')
                .append(type).append('\n').append(name).append(' ').append(value).append('\n');
    }

    private static String query(URI uri, String key, String dflt) {
        String q = uri.getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(key)) {
                    return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return dflt;
    }

    /** The YAML of a recorded version (?version=N; default: the one the switch has), its file name in X-Sfc-File. */
    private void catalogText(HttpExchange x, TenantScope tenant) throws IOException {
        String asked = query(x.getRequestURI(), "version", null);
        Store.Applied applied = store.applied(active().name());
        Integer n = asked != null ? Integer.valueOf(asked) : applied == null ? null : applied.version();
        Store.Version v = n == null ? null : store.version(n);
        if (v == null) {
            send(x, 404, "{\"error\": " + json(n == null ? "nothing has been applied to " + active().name()
                    : "there is no version " + n) + "}");
            return;
        }
        if (v.isAdopted()) {
            send(x, 409, "{\"error\": " + json(v.file() + " was adopted as found: version " + n + " is its "
                    + v.adopted().size() + " entries, not a catalog") + "}");
            return;
        }
        x.getResponseHeaders().set("X-Sfc-File", v.file());
        x.getResponseHeaders().set("X-Sfc-Version", String.valueOf(v.number()));
        respond(x, 200, "application/yaml; charset=utf-8", tenant == null ? v.catalog() : tenant.view(v.number()));
    }

    private static void send(HttpExchange x, int code, String json) throws IOException {
        respond(x, code, "application/json", json + "\n");
    }

    private static void respond(HttpExchange x, int code, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", contentType);
        x.sendResponseHeaders(code, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        if (pair != null) {
            pair.close(); // first: a controller going away must not take over on its way out
        }
        keepers.forEach(SwitchKeeper::close);
        http.stop(0);
        if (metricsHttp != null) {
            metricsHttp.stop(0);
        }
        store.close();
    }
}
