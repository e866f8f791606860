package org.sfc.controller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sfc.compiler.Ids;

import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.ReadResponse;

/**
 * The controller's durable memory, an embedded SQLite database: every catalog version (text, who, when, and
 * the ids its compilation gave), which version each switch has (and whether an apply was under way), and
 * an audit log of every change. Each method is one transaction.
 */
public final class Store implements AutoCloseable {
    /**
     * A version as stored: a catalog (its text and the ids its compilation gave), or, for a switch adopted as
     * found ({@code sfc switch adopt}), the entries it held ({@code adopted} non-null, no catalog).
     */
    public record Version(int number, Instant created, String author, String note, String file, String catalog,
                          Ids ids, List<Entity> adopted) {
        public boolean isAdopted() {
            return adopted != null;
        }

        /** The catalog's text; an adopted version has none, and says so. */
        public String catalogText() {
            if (isAdopted()) {
                throw new IllegalArgumentException("version " + number + " is the " + adopted.size() + " entries adopted "
                        + "from " + file + ", not a catalog; 'sfc catalog history' lists the versions");
            }
            return catalog;
        }
    }

    /**
     * A token as stored: its public id, whose it is, the Argon2id hash of its secret (never the secret), and when
     * it was revoked (null: it is valid).
     */
    public record Token(String id, String principal, String hash, Instant created, Instant revoked) {}

    /** One line of the audit log. */
    public record Audit(long id, Instant at, String who, String action, String detail) {}

    /**
     * What a switch has: a version, whether applying it was finished ({@code applying} = cut off), and the
     * cookie of the pipeline it was written under (null in databases from before cookies were recorded): a
     * switch whose pipeline has another cookie is not the one this record is about.
     */
    public record Applied(int version, boolean applying, Long cookie) {}

    private final Connection db;

    private Store(Connection db) {
        this.db = db;
    }

    /** Opens (creating if needed) the database at {@code file}. */
    public static Store open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("CREATE TABLE IF NOT EXISTS versions (number INTEGER PRIMARY KEY, created TEXT NOT NULL, "
                        + "author TEXT NOT NULL, note TEXT, file TEXT, catalog TEXT NOT NULL, ids TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS applied (switch TEXT PRIMARY KEY, version INTEGER NOT NULL "
                        + "REFERENCES versions(number), applying INTEGER NOT NULL, at TEXT NOT NULL)");
                addColumnIfMissing(s, "versions", "adopted", "BLOB");
                addColumnIfMissing(s, "applied", "cookie", "INTEGER");
                s.execute("CREATE TABLE IF NOT EXISTS device_states (switch TEXT NOT NULL, device TEXT NOT NULL, "
                        + "action TEXT NOT NULL, spare TEXT, at TEXT NOT NULL, PRIMARY KEY (switch, device))");
                s.execute("CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
                        + "who TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS principals (name TEXT PRIMARY KEY, role TEXT NOT NULL, tenant TEXT, "
                        + "created TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS pairs (pair TEXT PRIMARY KEY, active TEXT NOT NULL, at TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, principal TEXT NOT NULL REFERENCES "
                        + "principals(name) ON DELETE CASCADE, hash TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT)");
            }
            return new Store(c);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the controller database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Databases written by an earlier sfc lack later columns: add them (nullable, so old rows stay valid). */
    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (r.getString("name").equals(column)) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    /** Records a new catalog version; returns its number (1, 2, ...). */
    public synchronized int addVersion(String author, String note, String file, String catalog, Ids ids) {
        return insertVersion(author, note, file, catalog, ids, null);
    }

    /** Records the entries a switch holds as a version (an adopted switch); returns its number. */
    public synchronized int addAdopted(String author, String note, String from, List<Entity> entities) {
        return insertVersion(author, note, from, "", Ids.empty(),
                ReadResponse.newBuilder().addAllEntities(entities).build().toByteArray());
    }

    private int insertVersion(String author, String note, String file, String catalog, Ids ids, byte[] adopted) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO versions (created, author, note, file, catalog, ids, "
                + "adopted) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, Instant.now().toString());
            p.setString(2, author);
            p.setString(3, note);
            p.setString(4, file);
            p.setString(5, catalog);
            p.setString(6, idsText(ids));
            p.setBytes(7, adopted);
            p.executeUpdate();
            try (ResultSet k = p.getGeneratedKeys()) {
                k.next();
                return k.getInt(1);
            }
        } catch (SQLException e) {
            throw failed("record a catalog version", e);
        }
    }

    public synchronized Version version(int number) {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM versions WHERE number = ?")) {
            p.setInt(1, number);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? version(r) : null;
            }
        } catch (SQLException e) {
            throw failed("read version " + number, e);
        }
    }

    /** Every version, oldest first. */
    public synchronized List<Version> history() {
        List<Version> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM versions ORDER BY number")) {
            while (r.next()) {
                out.add(version(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the history", e);
        }
    }

    /**
     * Marks that {@code version} is being applied to {@code sw} (done = false) or has been (done = true), under
     * the pipeline with {@code cookie}.
     */
    public synchronized void setApplied(String sw, int version, boolean done, long cookie) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO applied (switch, version, applying, at, cookie) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT(switch) DO UPDATE SET version = excluded.version, "
                + "applying = excluded.applying, at = excluded.at, cookie = excluded.cookie")) {
            p.setString(1, sw);
            p.setInt(2, version);
            p.setInt(3, done ? 0 : 1);
            p.setString(4, Instant.now().toString());
            p.setLong(5, cookie);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("record what switch " + sw + " has", e);
        }
    }

    /** What {@code sw} has, or null if nothing was ever applied to it. */
    public synchronized Applied applied(String sw) {
        try (PreparedStatement p = db.prepareStatement("SELECT version, applying, cookie FROM applied WHERE switch = ?")) {
            p.setString(1, sw);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                long cookie = r.getLong(3);
                return new Applied(r.getInt(1), r.getInt(2) != 0, r.wasNull() ? null : cookie);
            }
        } catch (SQLException e) {
            throw failed("read what switch " + sw + " has", e);
        }
    }

    /**
     * Records which switch of a redundant pair is the active one, so a restarted controller keeps it active (a
     * returning switch comes back as the standby: nothing moves back unless an operator says so).
     */
    public synchronized void setActive(String pair, String sw) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO pairs (pair, active, at) VALUES (?, ?, ?) "
                + "ON CONFLICT(pair) DO UPDATE SET active = excluded.active, at = excluded.at")) {
            p.setString(1, pair);
            p.setString(2, sw);
            p.setString(3, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("record the active switch of pair " + pair, e);
        }
    }

    /** The active switch of {@code pair}, or null if none was recorded. */
    public synchronized String active(String pair) {
        try (PreparedStatement p = db.prepareStatement("SELECT active FROM pairs WHERE pair = ?")) {
            p.setString(1, pair);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failed("read the active switch of pair " + pair, e);
        }
    }

    /** Every switch anything was applied to, by name, with what it has. */
    public synchronized Map<String, Applied> appliedAll() {
        Map<String, Applied> out = new java.util.TreeMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT switch, version, applying, cookie FROM applied");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                long cookie = r.getLong(4);
                out.put(r.getString(1), new Applied(r.getInt(2), r.getInt(3) != 0, r.wasNull() ? null : cookie));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read what the switches have", e);
        }
    }

    /** The health monitor's device states for {@code sw} (what survives a controller restart). */
    public synchronized org.sfc.compiler.DeviceStates deviceStates(String sw) {
        org.sfc.compiler.DeviceStates states = org.sfc.compiler.DeviceStates.NONE;
        try (PreparedStatement p = db.prepareStatement("SELECT device, action, spare FROM device_states WHERE switch = ?")) {
            p.setString(1, sw);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String d = r.getString(1);
                    states = switch (r.getString(2)) {
                        case "spare" -> states.replace(d, r.getString(3));
                        case "drain" -> states.drain(d, r.getString(3));
                        case "bypass" -> states.bypass(d);
                        default -> states.drop(d);
                    };
                }
            }
            return states;
        } catch (SQLException e) {
            throw failed("read the device states of " + sw, e);
        }
    }

    /** Records the device states of {@code sw}, replacing what was recorded. */
    public synchronized void setDeviceStates(String sw, org.sfc.compiler.DeviceStates states) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement del = db.prepareStatement("DELETE FROM device_states WHERE switch = ?");
                 PreparedStatement ins = db.prepareStatement("INSERT INTO device_states (switch, device, action, spare, at) "
                         + "VALUES (?, ?, ?, ?, ?)")) {
                del.setString(1, sw);
                del.executeUpdate();
                String now = Instant.now().toString();
                for (var e : states.replacedBy().entrySet()) {
                    row(ins, sw, e.getKey(), states.drained().contains(e.getKey()) ? "drain" : "spare", e.getValue(), now);
                }
                for (String d : states.bypassed()) {
                    row(ins, sw, d, "bypass", null, now);
                }
                for (String d : states.dropped()) {
                    row(ins, sw, d, "drop", null, now);
                }
            }
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the failure below says what went wrong
            }
            throw failed("record the device states of " + sw, e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    private static void row(PreparedStatement ins, String sw, String device, String action, String spare, String at)
            throws SQLException {
        ins.setString(1, sw);
        ins.setString(2, device);
        ins.setString(3, action);
        ins.setString(4, spare);
        ins.setString(5, at);
        ins.executeUpdate();
    }

    /** Records a principal; refuses a name already taken. */
    public synchronized void addPrincipal(Principal who) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO principals (name, role, tenant, created) VALUES "
                + "(?, ?, ?, ?)")) {
            p.setString(1, who.name());
            p.setString(2, who.role().name().toLowerCase());
            p.setString(3, who.tenant());
            p.setString(4, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            if (principal(who.name()) != null) {
                throw new IllegalArgumentException("there is already a user '" + who.name() + "'; 'sfc user list' lists them");
            }
            throw failed("record user " + who.name(), e);
        }
    }

    /** The principal named {@code name}, or null. */
    public synchronized Principal principal(String name) {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM principals WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? principal(r) : null;
            }
        } catch (SQLException e) {
            throw failed("read user " + name, e);
        }
    }

    /** Every principal, by name. */
    public synchronized List<Principal> principals() {
        List<Principal> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM principals ORDER BY name")) {
            while (r.next()) {
                out.add(principal(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the users", e);
        }
    }

    /** Removes a principal and every token it had; false if there was none. */
    public synchronized boolean removePrincipal(String name) {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM principals WHERE name = ?")) {
            p.setString(1, name);
            return p.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("remove user " + name, e);
        }
    }

    private static Principal principal(ResultSet r) throws SQLException {
        return new Principal(r.getString("name"), Principal.Role.valueOf(r.getString("role").toUpperCase()),
                r.getString("tenant"));
    }

    /** Records a token (its secret already hashed). */
    public synchronized void addToken(String id, String principal, String hash) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO tokens (id, principal, hash, created) VALUES (?, ?, ?, ?)")) {
            p.setString(1, id);
            p.setString(2, principal);
            p.setString(3, hash);
            p.setString(4, Instant.now().toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("record a token for " + principal, e);
        }
    }

    /** The token with public id {@code id}, or null. */
    public synchronized Token token(String id) {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM tokens WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? token(r) : null;
            }
        } catch (SQLException e) {
            throw failed("read token " + id, e);
        }
    }

    /** Every token (revoked ones too), oldest first. */
    public synchronized List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM tokens ORDER BY created, id")) {
            while (r.next()) {
                out.add(token(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the tokens", e);
        }
    }

    /** Revokes a token for good; false if there is no such token or it was revoked already. */
    public synchronized boolean revokeToken(String id) {
        try (PreparedStatement p = db.prepareStatement("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL")) {
            p.setString(1, Instant.now().toString());
            p.setString(2, id);
            return p.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("revoke token " + id, e);
        }
    }

    private static Token token(ResultSet r) throws SQLException {
        String revoked = r.getString("revoked");
        return new Token(r.getString("id"), r.getString("principal"), r.getString("hash"),
                Instant.parse(r.getString("created")), revoked == null ? null : Instant.parse(revoked));
    }

    public synchronized void audit(String who, String action, String detail) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO audit (at, who, action, detail) VALUES (?, ?, ?, ?)")) {
            p.setString(1, Instant.now().toString());
            p.setString(2, who);
            p.setString(3, action);
            p.setString(4, detail);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("write the audit log", e);
        }
    }

    /**
     * The last {@code limit} device events — health changes and maintenance, drift, a redundant pair's takeovers and
     * switch-overs — oldest first.
     */
    public synchronized List<Audit> deviceEvents(int limit) {
        List<Audit> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM (SELECT * FROM audit WHERE action IN "
                + "('event', 'health', 'drift', 'takeover', 'pair') ORDER BY id DESC LIMIT ?) ORDER BY id")) {
            p.setInt(1, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(audit(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the device events", e);
        }
    }

    /** The last {@code limit} audit lines written by any of {@code who}, oldest first (a tenant's own events). */
    public synchronized List<Audit> eventsBy(java.util.Collection<String> who, int limit) {
        List<Audit> out = new ArrayList<>();
        if (who.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(who.size(), "?"));
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM (SELECT * FROM audit WHERE who IN (" + marks
                + ") ORDER BY id DESC LIMIT ?) ORDER BY id")) {
            int i = 1;
            for (String w : who) {
                p.setString(i++, w);
            }
            p.setInt(i, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(audit(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the events of " + who, e);
        }
    }

    /** The audit log, oldest first. */
    public synchronized List<Audit> auditLog() {
        List<Audit> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM audit ORDER BY id")) {
            while (r.next()) {
                out.add(audit(r));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the audit log", e);
        }
    }

    private static Audit audit(ResultSet r) throws SQLException {
        return new Audit(r.getLong("id"), Instant.parse(r.getString("at")), r.getString("who"), r.getString("action"),
                r.getString("detail"));
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw failed("close the database", e);
        }
    }

    private static Version version(ResultSet r) throws SQLException {
        byte[] adopted = r.getBytes("adopted");
        try {
            return new Version(r.getInt("number"), Instant.parse(r.getString("created")), r.getString("author"),
                    r.getString("note"), r.getString("file"), r.getString("catalog"), ids(r.getString("ids")),
                    adopted == null ? null : ReadResponse.parseFrom(adopted).getEntitiesList());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new SQLException("version " + r.getInt("number") + " holds unreadable adopted entries", e);
        }
    }

    /** Ids as lines of "kind TAB name TAB id" (names are catalog keys: no tabs or newlines). */
    static String idsText(Ids ids) {
        StringBuilder sb = new StringBuilder();
        ids.asMap().forEach((kind, m) -> m.forEach((name, id) -> sb.append(kind).append('\t').append(name).append('\t')
                .append(id).append('\n')));
        return sb.toString();
    }

    static Ids ids(String text) {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t");
            m.computeIfAbsent(f[0], k -> new TreeMap<>()).put(f[1], Integer.parseInt(f[2]));
        }
        return Ids.of(m);
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("controller database: could not " + what + ": " + e.getMessage(), e);
    }
}
