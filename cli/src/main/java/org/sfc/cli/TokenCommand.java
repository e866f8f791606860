package org.sfc.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sfc.controller.Credentials;
import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc token}: issue, list and revoke the API tokens of {@code sfc user}s. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"API tokens: ID.SECRET, given with --token-file to commands that go through --controller (or",
            "as 'Authorization: Bearer ID.SECRET'). Only the Argon2id hash of the secret is kept; a revoked token",
            "stops working at once, even in a running daemon. A user may hold several (to rotate: issue, switch,",
            "revoke the old one)."},
        subcommands = {TokenCommand.Issue.class, TokenCommand.List.class, TokenCommand.Revoke.class,
            CommandLine.HelpCommand.class})
final class TokenCommand extends GroupCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issue another token to a user (shown once).")
    static final class Issue implements Callable<Integer> {
        @Parameters(paramLabel = "USER")
        String user;

        @Option(names = "--token-out", paramLabel = "FILE", description = "write the token to this file (mode 600) "
                + "instead of printing it")
        Path tokenOut;

        @CommandLine.Mixin
        UserCommand.Database database = new UserCommand.Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (Store store = database.open()) {
                Credentials.Issued t = Credentials.issue(store, user);
                store.audit(SwitchOptions.localUser(), "token", "issued token " + t.id() + " to " + user);
                UserCommand.show(spec.commandLine().getOut(), t, tokenOut);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every token: its id, user, when issued, "
            + "when revoked.")
    static final class List implements Callable<Integer> {
        @CommandLine.Mixin
        UserCommand.Database database = new UserCommand.Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Store store = database.open()) {
                var out = spec.commandLine().getOut();
                out.printf("%-14s %-20s %-21s %s%n", "ID", "USER", "ISSUED", "REVOKED");
                for (Store.Token t : store.tokens()) {
                    out.printf("%-14s %-20s %-21s %s%n", t.id(), t.principal(), t.created().toString().substring(0, 19),
                            t.revoked() == null ? "-" : t.revoked().toString().substring(0, 19));
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id (the part "
            + "before the dot); it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @CommandLine.Mixin
        UserCommand.Database database = new UserCommand.Database();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String tokenId = id.contains(".") ? id.substring(0, id.indexOf('.')) : id; // a whole token pasted: its id
            try (Store store = database.open()) {
                if (!store.revokeToken(tokenId)) {
                    Store.Token t = store.token(tokenId);
                    throw new IllegalArgumentException(t == null ? "no token '" + tokenId + "'; 'sfc token list' lists them"
                            : "token " + tokenId + " was revoked already, at " + t.revoked());
                }
                store.audit(SwitchOptions.localUser(), "token", "revoked token " + tokenId);
                spec.commandLine().getOut().printf("token %s revoked%n", tokenId);
            }
            return 0;
        }
    }
}
