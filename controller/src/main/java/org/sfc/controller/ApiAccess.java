package org.sfc.controller;

import java.util.Set;

/**
 * What each role may do on the controller's API, decided in one place. An admin may do everything; a viewer
 * reads everything and changes nothing; a tenant's user reads its own view of the catalog, the versions and
 * events its users made and its services' counters, and posts its services (what it may change in them is
 * {@link org.sfc.catalog.TenantPolicy}'s to say) — devices, rollbacks and metrics are the operator's.
 */
final class ApiAccess {
    private static final Set<String> TENANT_READS = Set.of("/v1/status", "/v1/catalog", "/v1/history", "/v1/events",
            "/v1/stats");

    private ApiAccess() {}

    /** Why {@code who} may not {@code method path}; null if it may. */
    static String refusal(Principal who, String method, String path) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        return switch (who.role()) {
            case ADMIN -> null;
            case VIEWER -> read ? null : "user " + who.name() + " is a viewer: it may read, not " + method + " " + path;
            case TENANT -> read && TENANT_READS.contains(path) || method.equals("POST") && path.equals("/v1/catalog")
                    ? null
                    : "user " + who.name() + " acts for tenant " + who.tenant() + ": it may read its services' catalog, "
                            + "history, events and stats and post its services; " + method + " " + path
                            + " is the operator's";
        };
    }
}
