package org.sfc.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A tenant sees only its services and posts only them back; the operator's text stays as it was. */
class TenantViewTest {
    static final String FILE = "figure-13.yaml";

    static String catalog() throws Exception {
        return Files.readString(Path.of("../examples/figure-13.yaml"));
    }

    @Test
    void aViewHoldsOnlyTheTenantsServicesAsWritten() throws Exception {
        String view = TenantView.extract(FILE, catalog(), "acme");
        assertTrue(view.contains("  acme-portal:\n    tenant: acme\n"), view);
        assertTrue(view.contains("# one host of the partner network is blocked"), "comments kept: " + view);
        assertFalse(view.contains("globex-api") || view.contains("203.0.113.2") || view.contains("app-2")
                || view.contains("02:00:00:00:fe:01"), "nothing of the operator's or another tenant's: " + view);
        assertEquals(catalog(), TenantView.merge(FILE, catalog(), "v.yaml", view, "acme").text(),
                "posting a view back unchanged changes nothing");
        assertTrue(TenantView.extract(FILE, catalog(), "initech").endsWith("services: {}\n"));
    }

    @Test
    void aPostedViewReplacesTheTenantsServicesInPlace() throws Exception {
        String view = TenantView.extract(FILE, catalog(), "acme").replace("198.51.100.66", "198.51.100.77");
        String merged = TenantView.merge(FILE, catalog(), "v.yaml", view, "acme").text();
        assertEquals(catalog().replace("198.51.100.66", "198.51.100.77"), merged);
        TenantPolicy.check(CatalogLoader.loadText(FILE, catalog()), CatalogLoader.loadText(FILE, merged), "acme");
    }

    @Test
    void aViewInAnotherIndentationIsReindentedAndAServiceLeftOutIsRemoved() throws Exception {
        String view = """
                services:
                    acme-new:
                        tenant: acme
                        address: {ip: 203.0.113.9, protocol: tcp, port: 80}
                        sequence: [app-1]
                """;
        String merged = TenantView.merge(FILE, catalog(), "v.yaml", view, "acme").text();
        Catalog c = CatalogLoader.loadText(FILE, merged);
        assertEquals(List.of("globex-api", "acme-new"), List.copyOf(c.services().keySet()));
        assertTrue(merged.contains("\n  acme-new:\n      tenant: acme\n"), "moved as a whole to the catalog's indent: " + merged);
        assertTrue(merged.startsWith(catalog().substring(0, catalog().indexOf("  acme-portal:"))), "the operator's text kept");
        // acme may change only ACLs: adding and removing services is refused by the policy, located in the view.
        TenantView.Merged m = TenantView.merge(FILE, catalog(), "v.yaml", view, "acme");
        CatalogException e = assertThrows(CatalogException.class, () -> TenantPolicy.check(CatalogLoader.loadText(FILE,
                catalog()), CatalogLoader.loadText(FILE, m.text()), "acme"));
        assertEquals(List.of("the operator's part of the catalog (figure-13.yaml): tenant acme may not remove services "
                + "(may-change: [acl])", "v.yaml:3:9: tenant acme may not add services (may-change: [acl])"),
                m.relocate(e).problems());
    }

    @Test
    void anotherTenantsServiceInAViewIsAChangeToIt() throws Exception {
        String view = TenantView.extract(FILE, catalog(), "acme") + """
                  globex-api:
                    tenant: globex
                    address: {ip: 203.0.113.2, protocol: udp, port: 5000}
                    sequence: [app-2]
                    acl: {default: deny}
                """;
        TenantView.Merged m = TenantView.merge(FILE, catalog(), "v.yaml", view, "acme");
        CatalogException e = assertThrows(CatalogException.class, () -> TenantPolicy.check(CatalogLoader.loadText(FILE,
                catalog()), CatalogLoader.loadText(FILE, m.text()), "acme"));
        // Located as the loader locates a service: where its mapping starts, the line after its name.
        int line = (int) view.lines().takeWhile(l -> !l.startsWith("  globex-api:")).count() + 2;
        assertEquals(List.of("v.yaml:" + line + ":5: tenant acme may not change service globex-api, which belongs to "
                + "tenant globex"), m.relocate(e).problems());
    }

    @Test
    void aViewHoldsOnlyServices() throws Exception {
        CatalogException e = assertThrows(CatalogException.class, () -> TenantView.merge(FILE, catalog(), "v.yaml",
                "devices:\n  fw-9: {function: firewall}\nservices: {}\n", "acme"));
        assertEquals(List.of("v.yaml:1:1: a tenant's catalog holds only its services; 'devices' is the operator's"),
                e.problems());
        CatalogException yaml = assertThrows(CatalogException.class, () -> TenantView.merge(FILE, catalog(), "v.yaml",
                "services:\n  a: [\n", "acme"));
        assertTrue(yaml.problems().get(0).startsWith("v.yaml:"), yaml.problems().toString());
    }

    @Test
    void problemsInTheMergedCatalogPointAtTheView() throws Exception {
        String view = TenantView.extract(FILE, catalog(), "acme").replace("sequence: [app-1]", "sequence: [app-9]");
        TenantView.Merged m = TenantView.merge(FILE, catalog(), "v.yaml", view, "acme");
        CatalogException e = assertThrows(CatalogException.class,
                () -> Validator.validate(CatalogLoader.loadText(FILE, m.text())));
        int line = (int) view.lines().takeWhile(l -> !l.contains("app-9")).count() + 1;
        List<String> problems = m.relocate(e).problems();
        assertTrue(problems.get(0).startsWith("v.yaml:" + line + ":"), problems.toString());
        assertTrue(problems.get(0).contains("app-9"), problems.toString());
    }
}
