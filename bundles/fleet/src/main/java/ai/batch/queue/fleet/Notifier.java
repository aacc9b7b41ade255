package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Wakes every node's relay after this node's slots wrote events, once for however many transactions committed
 * meanwhile: one {@code pg_notify} in a short transaction of its own, on a thread of its own. The slots' claims and
 * settlements then commit without PostgreSQL's notification lock, which a notifying transaction holds through its
 * commit. A failed notification is not retried: relays also poll.
 */
final class Notifier implements AutoCloseable {

    private final DataSource dataSource;
    private final Thread thread;
    private boolean poked;
    private boolean closed;

    Notifier(DataSource dataSource, String threadName) {
        this.dataSource = dataSource;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Some transaction committed events: the relays are woken soon. */
    synchronized void poke() {
        poked = true;
        notifyAll();
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (!poked && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                poked = false;
            }
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_notify('" + Outbox.CHANNEL + "', '')");
            } catch (SQLException e) {
                // the relays poll as well; the database's trouble is reported by the node's heartbeat
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
