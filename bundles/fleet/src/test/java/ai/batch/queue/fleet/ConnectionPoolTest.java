package ai.batch.queue.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

class ConnectionPoolTest {

    private ConnectionPool pool;

    private ConnectionPool pool(int size, long waitMs) {
        PGConnectionPoolDataSource source = new PGConnectionPoolDataSource();
        source.setUrl(TestDatabase.server().getJdbcUrl("postgres", "postgres"));
        pool = new ConnectionPool(source, size, waitMs);
        return pool;
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aClosedHandleGivesItsConnectionBackForTheNextCaller() throws Exception {
        ConnectionPool pool = pool(2, 1_000);
        int first;
        try (Connection c = pool.getConnection()) {
            first = pid(c);
        }
        try (Connection c = pool.getConnection()) {
            assertThat(pid(c)).isEqualTo(first);
        }
    }

    @Test
    void aCallerWaitsAtMostItsDeadlineWhenEveryConnectionIsOut() throws Exception {
        ConnectionPool pool = pool(2, 150);
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
            assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("150 ms");
        }
        try (Connection again = pool.getConnection()) {
            assertThat(pid(again)).isPositive();
        }
    }

    @Test
    void aConnectionTheServerDroppedIsDiscardedAfterItsFirstFailure() throws Exception {
        ConnectionPool pool = pool(1, 1_000);
        int dropped;
        try (Connection c = pool.getConnection()) {
            dropped = pid(c);
        }
        try (Connection admin = TestDatabase.server().getPostgresDatabase().getConnection();
                Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + dropped + ")");
        }
        try (Connection broken = pool.getConnection()) {
            assertThatThrownBy(() -> pid(broken)).isInstanceOf(SQLException.class);
        }
        try (Connection fresh = pool.getConnection()) {
            assertThat(pid(fresh)).isNotEqualTo(dropped);
        }
    }
}
