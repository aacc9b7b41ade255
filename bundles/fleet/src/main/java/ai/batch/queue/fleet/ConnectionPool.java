package ai.batch.queue.fleet;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.ConnectionPoolDataSource;
import javax.sql.DataSource;
import javax.sql.PooledConnection;

/**
 * A small, bounded pool over the driver's {@link ConnectionPoolDataSource} (the JDBC way: closing a handle returns
 * its physical connection; a fatal error the driver reports discards it). At most {@code size} connections are
 * out at once; a caller waits up to {@code waitMs} for one, then gets an {@link SQLException}. Idle connections
 * unused for a while are checked before they are handed out, so a database restart costs one failed check.
 */
final class ConnectionPool implements DataSource, AutoCloseable {

    private static final long CHECK_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionPoolDataSource source;
    private final Semaphore permits;
    private final long waitMs;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private volatile boolean closed;

    private record Idle(PooledConnection connection, long since) {
    }

    ConnectionPool(ConnectionPoolDataSource source, int size, long waitMs) {
        this.source = source;
        this.permits = new Semaphore(size, true);
        this.waitMs = waitMs;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw new SQLException("No fleet database connection free within " + waitMs + " ms (pool.size "
                        + "connections are all in use)", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for a fleet database connection", "08001", e);
        }
        try {
            return borrow();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("The fleet's connection pool is closed", "08003");
        }
        while (true) {
            Idle next;
            synchronized (idle) {
                next = idle.pollFirst();
            }
            if (next == null) {
                return handle(source.getPooledConnection());
            }
            Connection handle;
            try {
                handle = next.connection().getConnection();
            } catch (SQLException e) {
                discard(next.connection());
                continue;
            }
            if (System.nanoTime() - next.since() < CHECK_IDLE_NANOS || handle.isValid(2)) {
                return handle;
            }
            discard(next.connection());
        }
    }

    private Connection handle(PooledConnection pooled) throws SQLException {
        pooled.addConnectionEventListener(new ConnectionEventListener() {
            private boolean failed;

            @Override
            public void connectionClosed(ConnectionEvent event) {
                if (!failed) {
                    giveBack(pooled);
                }
            }

            @Override
            public void connectionErrorOccurred(ConnectionEvent event) {
                failed = true;
                discard(pooled);
                permits.release();
            }
        });
        return pooled.getConnection();
    }

    private void giveBack(PooledConnection pooled) {
        if (closed) {
            discard(pooled);
        } else {
            synchronized (idle) {
                idle.addFirst(new Idle(pooled, System.nanoTime()));
            }
        }
        permits.release();
    }

    private static void discard(PooledConnection pooled) {
        try {
            pooled.close();
        } catch (SQLException ignored) {
            // broken already
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(i -> discard(i.connection()));
            idle.clear();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The fleet pool connects with its configured user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // nothing is logged through JDBC's writer
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // set on the driver's data source
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("Not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
