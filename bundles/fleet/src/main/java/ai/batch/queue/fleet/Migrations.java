package ai.batch.queue.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/**
 * Creates and upgrades the fleet schema with versioned SQL scripts and a version table
 * ({@code batch_fleet_schema}). Every script runs in one transaction with its version row (PostgreSQL's DDL is
 * transactional), under an advisory lock, so nodes starting together apply each version once. A script already
 * applied whose text changed since, or a database newer than this bundle, is refused with the version named.
 */
final class Migrations {

    /** The scripts, in order; each file is {@code db/V<version>__<description>.sql} beside this class. */
    static final List<String> SCRIPTS = List.of("V1__fleet.sql");

    private static final long LOCK_KEY = 0x6261746368666cL; // "batchfl"

    private final List<Script> scripts;

    Migrations() {
        this(load(SCRIPTS));
    }

    Migrations(List<Script> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** One versioned script. */
    record Script(int version, String description, String text) {
        String checksum() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Brings the schema to the newest version.
     *
     * @return the versions applied now, empty when the schema was current
     */
    List<Integer> migrate(DataSource dataSource) throws SQLException {
        return Sql.inTransaction(dataSource, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                statement.execute("CREATE TABLE IF NOT EXISTS batch_fleet_schema (version integer PRIMARY KEY, "
                        + "description text NOT NULL, checksum text NOT NULL, "
                        + "applied_at timestamptz NOT NULL DEFAULT now())");
            }
            Map<Integer, String> applied = applied(connection);
            int newestKnown = scripts.get(scripts.size() - 1).version();
            for (Map.Entry<Integer, String> row : applied.entrySet()) {
                if (row.getKey() > newestKnown) {
                    throw new SQLException("The fleet database has schema version " + row.getKey()
                            + ", newer than this bundle knows (" + newestKnown + "): update the bundle on this node");
                }
            }
            List<Integer> done = new ArrayList<>();
            for (Script script : scripts) {
                String checksum = applied.get(script.version());
                if (checksum == null) {
                    apply(connection, script);
                    done.add(script.version());
                } else if (!checksum.equals(script.checksum())) {
                    throw new SQLException("Fleet schema version " + script.version() + " (" + script.description()
                            + ") was applied from a different script than this bundle's; the database was changed by hand "
                            + "or by another build");
                }
            }
            return done;
        });
    }

    private static Map<Integer, String> applied(Connection connection) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version, checksum FROM batch_fleet_schema")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    private static void apply(Connection connection, Script script) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(script.text());
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO batch_fleet_schema (version, description, checksum) VALUES (?, ?, ?)")) {
            insert.setInt(1, script.version());
            insert.setString(2, script.description());
            insert.setString(3, script.checksum());
            insert.executeUpdate();
        }
    }

    static List<Script> load(List<String> names) {
        List<Script> loaded = new ArrayList<>();
        for (String name : names) {
            String base = name.substring(1, name.length() - ".sql".length());
            int split = base.indexOf("__");
            int version = Integer.parseInt(base.substring(0, split));
            try (InputStream in = Migrations.class.getResourceAsStream("db/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("Fleet schema script db/" + name + " is missing from the bundle");
                }
                loaded.add(new Script(version, base.substring(split + 2).replace('_', ' '),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("Fleet schema script db/" + name + " cannot be read", e);
            }
        }
        return loaded;
    }
}
