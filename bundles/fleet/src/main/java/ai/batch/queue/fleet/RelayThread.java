package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The thread of an {@link OutboxRelay}: listens on {@link Outbox#CHANNEL} with a connection of its own and polls
 * the relay (on the relay's kept connection) after each notification and every poll interval at most. Failures go
 * to the warning sink and are retried with a back-off; the thread ends only on {@link #halt()}.
 */
final class RelayThread extends Thread {

    private static final long BACKOFF_MIN_MILLIS = 250;
    private static final long BACKOFF_MAX_MILLIS = 5_000;
    private static final long CLOSE_DEADLINE_MILLIS = 5_000;
    private static final long WAIT_SLICE_MILLIS = 250;

    private final OutboxRelay relay;
    private final DataSource dataSource;
    private final long pollNanos;
    private final Consumer<String> warnings;
    private volatile boolean running = true;

    RelayThread(OutboxRelay relay, DataSource dataSource, String name, long pollNanos, Consumer<String> warnings) {
        super(name);
        setDaemon(true);
        this.relay = relay;
        this.dataSource = dataSource;
        this.pollNanos = pollNanos;
        this.warnings = warnings;
    }

    @Override
    public void run() {
        long backoff = BACKOFF_MIN_MILLIS;
        while (running) {
            try (Connection listen = dataSource.getConnection()) {
                listen.setAutoCommit(true);
                try (PreparedStatement s = listen.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                    s.setString(1, getName());
                    s.execute();
                }
                try (Statement s = listen.createStatement()) {
                    s.execute("LISTEN " + Outbox.CHANNEL);
                }
                PGConnection pg = listen.unwrap(PGConnection.class);
                relay.poll();
                backoff = BACKOFF_MIN_MILLIS;
                int wait = (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(pollNanos), WAIT_SLICE_MILLIS));
                for (long last = System.nanoTime(); running;) {
                    PGNotification[] notes = pg.getNotifications(wait);
                    if (running && (notes != null && notes.length > 0 || System.nanoTime() - last >= pollNanos)) {
                        relay.poll();
                        last = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    warnings.accept("Outbox relay " + getName() + " failed (" + e.getMessage() + "); reconnecting in "
                            + backoff + " ms");
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        // halt() interrupts the back-off; the loop checks whether to stop
                    }
                    backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
                }
            }
        }
        relay.closeConnectionNow();
    }

    /** Stops the thread and waits for it, at most 5 s; returns whether it stopped. */
    boolean halt() {
        running = false;
        if (this == Thread.currentThread()) {
            return true;
        }
        interrupt();
        try {
            join(CLOSE_DEADLINE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (isAlive()) {
            warnings.accept("Outbox relay " + getName() + " did not stop within " + CLOSE_DEADLINE_MILLIS + " ms");
            return false;
        }
        return true;
    }
}
