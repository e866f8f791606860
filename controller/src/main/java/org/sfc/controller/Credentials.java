package org.sfc.controller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The API's credentials: tokens {@code ID.SECRET}, issued to a principal, stored as the Argon2id hash of the
 * secret (the PHC string format) and revocable; and the daemon's token file, which authenticates as the
 * {@value #FILE_ADMIN} admin. A token is checked against the store on every request (a revocation takes effect at
 * once, from any process sharing the database); the slow hash is computed once per token and process. After
 * {@value #MAX_FAILURES} wrong secrets for one token id within a minute, that id is not hashed again until the
 * minute is over (guessing costs no CPU); a secret already verified in this process still gets in.
 */
public final class Credentials {
    /** The principal the daemon's own token file authenticates as (a name no user may take). */
    public static final String FILE_ADMIN = "admin";

    // OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane; a 16-byte salt, a 32-byte hash.
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int PASSES = 2;
    private static final int LANES = 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_FAILURES = 5;
    private static final long FAILURE_WINDOW_MILLIS = 60_000;

    /** A token just issued: its public id and the whole token, which is shown once and stored nowhere. */
    public record Issued(String id, String token) {}

    private final Store store;
    private final byte[] fileTokenDigest; // null: no token file
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>(); // token id -> digest of its checked secret
    private final Map<String, long[]> failures = new ConcurrentHashMap<>(); // token id -> {window start, count}
    private final java.util.concurrent.atomic.AtomicLong hashes = new java.util.concurrent.atomic.AtomicLong();

    public Credentials(Store store, String fileToken) {
        this.store = store;
        this.fileTokenDigest = fileToken == null ? null : sha256(fileToken);
    }

    /** Issues a new token for {@code principal} (who must exist). */
    public static Issued issue(Store store, String principal) {
        if (store.principal(principal) == null) {
            throw new IllegalArgumentException("no user '" + principal + "'; 'sfc user add' creates one");
        }
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store.addToken(id, principal, hash(secretText));
        return new Issued(id, id + "." + secretText);
    }

    /** Who {@code token} belongs to, or null if it is no valid token (unknown, wrong secret, revoked). */
    public Principal authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (fileTokenDigest != null && MessageDigest.isEqual(fileTokenDigest, sha256(token))) {
            return new Principal(FILE_ADMIN, Principal.Role.ADMIN, null);
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        String id = token.substring(0, dot);
        String secret = token.substring(dot + 1);
        Store.Token t = store.token(id);
        if (t == null || t.revoked() != null) {
            verified.remove(id);
            return null;
        }
        byte[] digest = sha256(secret);
        byte[] known = verified.get(id);
        if (known == null || !MessageDigest.isEqual(known, digest)) {
            if (lockedOut(id)) {
                return null;
            }
            hashes.incrementAndGet();
            if (!verify(t.hash(), secret)) {
                failures.merge(id, new long[] {System.currentTimeMillis(), 1}, (was, one) ->
                        one[0] - was[0] > FAILURE_WINDOW_MILLIS ? one : new long[] {was[0], was[1] + 1});
                return null;
            }
            failures.remove(id);
            verified.put(id, digest);
        }
        return store.principal(t.principal());
    }

    /** Whether {@code id} had {@value #MAX_FAILURES} wrong secrets within the current minute. */
    private boolean lockedOut(String id) {
        long[] f = failures.get(id);
        return f != null && f[1] >= MAX_FAILURES && System.currentTimeMillis() - f[0] <= FAILURE_WINDOW_MILLIS;
    }

    /** How many slow hashes authentication has computed (what guessing costs). */
    long hashesComputed() {
        return hashes.get();
    }

    /** The Argon2id hash of {@code secret} with a fresh salt, as a PHC string. */
    static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return phc(MEMORY_KIB, PASSES, LANES, salt, argon2(secret, salt, MEMORY_KIB, PASSES, LANES, 32));
    }

    /** Whether {@code secret} hashes to {@code phc} (with the parameters the string records). */
    static boolean verify(String phc, String secret) {
        try {
            return verifyPhc(phc, secret);
        } catch (IllegalArgumentException e) { // a number or Base64 that does not parse: no hash of ours
            return false;
        }
    }

    private static boolean verifyPhc(String phc, String secret) {
        // $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH
        String[] f = phc.split("\\$");
        if (f.length != 6 || !f[1].equals("argon2id") || !f[2].equals("v=19")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : f[3].split(",")) {
            int v = Integer.parseInt(kv.substring(2));
            switch (kv.charAt(0)) {
                case 'm' -> m = v;
                case 't' -> t = v;
                case 'p' -> p = v;
                default -> {
                    return false;
                }
            }
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(f[5]);
        return MessageDigest.isEqual(expected, argon2(secret, b64.decode(f[4]), m, t, p, expected.length));
    }

    private static byte[] argon2(String secret, byte[] salt, int memoryKib, int passes, int lanes, int length) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(passes).withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        g.generateBytes(secret.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static String phc(int m, int t, int p, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(hash);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
