package org.sfc.controller;

/**
 * Who is calling the controller's API, as authenticated by a token (never as the client says): an admin (the
 * operator: everything), a tenant (its own services only, as its catalog entry's {@code may-change} allows;
 * {@code tenant} names it) or a viewer (reads everything, changes nothing).
 */
public record Principal(String name, Role role, String tenant) {
    public enum Role { ADMIN, TENANT, VIEWER }

    public Principal {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw new IllegalArgumentException("a user name is 1-64 letters, digits, '.', '_', '@' or '-' (starting with a "
                    + "letter or digit), not '" + name + "'");
        }
        if ((role == Role.TENANT) != (tenant != null)) {
            throw new IllegalArgumentException(role == Role.TENANT ? "a tenant user names its tenant (--tenant T)"
                    : "only a tenant user has a tenant (--role tenant)");
        }
    }

    public boolean mayChange() {
        return role != Role.VIEWER;
    }
}
