package ai.batch.queue.itests;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL of the fleet tests: PostgreSQL's own binaries from Maven Central, started by the test JVM (outside
 * the framework), once. Used only from {@code @Configuration} methods, so the probe bundle never needs the class.
 */
final class FleetDatabase {

    private static EmbeddedPostgres server;

    private FleetDatabase() {
    }

    /** @return the JDBC URL of a started PostgreSQL's {@code postgres} database (user {@code postgres}) */
    static synchronized String url() {
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
        return server.getJdbcUrl("postgres", "postgres");
    }
}
