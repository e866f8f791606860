package org.sfc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sfc.controller.Credentials;
import org.sfc.controller.Principal;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sfc user} and {@code sfc token}: who may use the controller daemon's API, and their tokens. Kept in
 * the controller database (whoever can write it is the operator); a running daemon sees every change at once.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"The users of the controller daemon's API and their roles (kept in the controller database;",
            "a running daemon sees changes at once):",
            "  admin   everything (the daemon's own token file is an admin too)",
            "  tenant  its tenant's services only: reads its view of the catalog (its services, nothing of the",
            "          operator's or of other tenants), the versions and events its users made, its services'",
            "          counters; posts its services back, changing only what the catalog's 'may-change' allows",
            "  viewer  reads everything, changes nothing",
            "Every user authenticates with a token ('sfc token'); the audit log records the user, never a name the",
            "client sent."},
        subcommands = {UserCommand.Add.class, UserCommand.List.class, UserCommand.Remove.class,
            CommandLine.HelpCommand.class})
final class UserCommand extends GroupCommand {

    /** Where the users are kept. */
    static final class Database {
        @Option(names = "--db", paramLabel = "FILE", description = "the controller database (default: $SFC_DB or ~/.sfc/sfc.db)")
        Path db;

        Store open() {
            return Store.open(db != null ? db : Home.database());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a user and issue its first token, shown once (only its Argon2id hash is kept).",
                "Example: sfc user add ann --role tenant --tenant acme --token-out ann.token"})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "the user's name, as the audit log will show it")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, tenant or viewer")
        String role;

        @Option(names = "--tenant", paramLabel = "T", description = "for --role tenant: the catalog's tenant it acts for")
        String tenant;

        @Option(names = "--token-out", paramLabel = "FILE", description = "write the token to this file (mode 600) "
                + "instead of printing it")
        Path tokenOut;

        @CommandLine.Mixin
        Database database = new Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (name.equals(Credentials.FILE_ADMIN)) {
                throw new IllegalArgumentException("'" + Credentials.FILE_ADMIN + "' is the daemon's token file's user; "
                        + "choose another name");
            }
            Principal who = new Principal(name, role(role), tenant);
            try (Store store = database.open()) {
                store.addPrincipal(who);
                Credentials.Issued t = Credentials.issue(store, name);
                store.audit(SwitchOptions.localUser(), "user", "added user " + name + " (" + describe(who) + ") with token " + t.id());
                PrintWriter out = spec.commandLine().getOut();
                out.printf("user %s added (%s)%n", name, describe(who));
                show(out, t, tokenOut);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The users, their roles and their valid tokens.")
    static final class List implements Callable<Integer> {
        @CommandLine.Mixin
        Database database = new Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Store store = database.open()) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-20s %-16s %s%n", "USER", "ROLE", "VALID TOKENS");
                java.util.Map<String, java.util.List<String>> valid = store.tokens().stream().filter(t -> t.revoked() == null)
                        .collect(java.util.stream.Collectors.groupingBy(Store.Token::principal,
                                java.util.stream.Collectors.mapping(Store.Token::id, java.util.stream.Collectors.toList())));
                for (Principal p : store.principals()) {
                    out.printf("%-20s %-16s %s%n", p.name(), describe(p),
                            String.join(" ", valid.getOrDefault(p.name(), java.util.List.of())));
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user; its tokens stop working at once (its past changes stay in the audit log).")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @CommandLine.Mixin
        Database database = new Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Store store = database.open()) {
                if (!store.removePrincipal(name)) {
                    throw new IllegalArgumentException("no user '" + name + "'; 'sfc user list' lists them");
                }
                store.audit(SwitchOptions.localUser(), "user", "removed user " + name);
                spec.commandLine().getOut().printf("user %s removed; its tokens no longer work%n", name);
            }
            return 0;
        }
    }

    static Principal.Role role(String text) {
        try {
            return Principal.Role.valueOf(text.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--role is admin, tenant or viewer, not '" + text + "'");
        }
    }

    static String describe(Principal p) {
        return p.role() == Principal.Role.TENANT ? "tenant " + p.tenant() : p.role().name().toLowerCase();
    }

    /** Prints a new token, or writes it to {@code file} (readable by its owner only) and prints only its id. */
    static void show(PrintWriter out, Credentials.Issued t, Path file) throws IOException {
        if (file == null) {
            out.printf("token %s (shown once; give it to the user, e.g. in a file for --token-file):%n%s%n", t.id(), t.token());
            return;
        }
        PrivateFile.write(file, t.token() + "\n");
        out.printf("token %s written to %s (use it with --token-file)%n", t.id(), file);
    }
}
