package org.sfc.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens: Argon2id-hashed at rest, checked against the store on every use, revocable at once. */
class CredentialsTest {
    @TempDir
    Path dir;

    @Test
    void theHashIsArgon2idAsOtherImplementationsWriteIt() {
        // Written by argon2-cffi (the reference C implementation): our verifier reads the PHC string as they do.
        String reference = "$argon2id$v=19$m=19456,t=2,p=1$p/OvCgryK4arPvvSsQZ2CA$JuxwWJx5s2CxZFoHllvXcHK21IoVbbwB20fX/Byf9aw";
        assertTrue(Credentials.verify(reference, "correct horse battery staple"));
        assertFalse(Credentials.verify(reference, "correct horse battery stapler"));
        String ours = Credentials.hash("s3cret");
        assertTrue(ours.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), ours);
        assertTrue(Credentials.verify(ours, "s3cret"));
        assertFalse(Credentials.hash("s3cret").equals(ours), "a fresh salt each time");
        assertFalse(Credentials.verify("$argon2id$v=19$m=x,t=2,p=1$AAAA$AAAA", "s3cret"), "garbage is no match, no crash");
    }

    @Test
    void aTokenAuthenticatesItsPrincipalUntilRevoked() throws Exception {
        Path db = dir.resolve("sfc.db");
        try (Store store = Store.open(db)) {
            store.addPrincipal(new Principal("ann", Principal.Role.TENANT, "acme"));
            Credentials.Issued issued = Credentials.issue(store, "ann");
            Credentials creds = new Credentials(store, "file-token");
            assertEquals(new Principal("ann", Principal.Role.TENANT, "acme"), creds.authenticate(issued.token()));
            assertEquals(new Principal(Credentials.FILE_ADMIN, Principal.Role.ADMIN, null), creds.authenticate("file-token"));
            assertNull(creds.authenticate(issued.id() + ".wrong"));
            assertNull(creds.authenticate(issued.token() + "x"));
            assertNull(creds.authenticate("nosuchid.secret"));
            assertNull(creds.authenticate(""));
            assertTrue(store.revokeToken(issued.id()));
            assertNull(creds.authenticate(issued.token()), "revoked: refused at once, though it was checked before");
            assertFalse(store.revokeToken(issued.id()), "revoked once");

            Credentials.Issued second = Credentials.issue(store, "ann");
            assertEquals("ann", creds.authenticate(second.token()).name());
            assertTrue(store.removePrincipal("ann"));
            assertNull(creds.authenticate(second.token()), "a removed user's tokens go with it");
            assertThrows(IllegalArgumentException.class, () -> Credentials.issue(store, "ann"));
        }
        String raw = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("file-token"), "the file token is never stored");
    }

    @Test
    void guessingATokensSecretStopsCostingHashesAfterAFewTries() throws Exception {
        try (Store store = Store.open(dir.resolve("sfc.db"))) {
            store.addPrincipal(new Principal("ann", Principal.Role.ADMIN, null));
            Credentials.Issued issued = Credentials.issue(store, "ann");
            Credentials creds = new Credentials(store, null);
            assertEquals("ann", creds.authenticate(issued.token()).name());
            assertEquals(1, creds.hashesComputed());
            for (int i = 0; i < 20; i++) {
                assertNull(creds.authenticate(issued.id() + ".guess" + i));
            }
            assertEquals(1 + Credentials.MAX_FAILURES, creds.hashesComputed(), "only the first wrong guesses were hashed");
            assertEquals("ann", creds.authenticate(issued.token()).name(), "the secret verified before still gets in");
            Credentials.Issued other = Credentials.issue(store, "ann");
            assertEquals("ann", creds.authenticate(other.token()).name(), "another token of the user is not locked");
        }
    }

    @Test
    void secretsAreNeverStored() throws Exception {
        Path db = dir.resolve("sfc.db");
        String secret;
        try (Store store = Store.open(db)) {
            store.addPrincipal(new Principal("vic", Principal.Role.VIEWER, null));
            secret = Credentials.issue(store, "vic").token().split("\\.")[1];
            assertTrue(store.tokens().get(0).hash().startsWith("$argon2id$"));
        }
        for (Path f : Files.list(dir).toList()) { // the database and its write-ahead log
            assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret), f.toString());
        }
    }

    @Test
    void principalsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Principal("ann", Principal.Role.TENANT, null));
        assertThrows(IllegalArgumentException.class, () -> new Principal("ann", Principal.Role.VIEWER, "acme"));
        assertThrows(IllegalArgumentException.class, () -> new Principal("a b", Principal.Role.ADMIN, null));
    }
}
