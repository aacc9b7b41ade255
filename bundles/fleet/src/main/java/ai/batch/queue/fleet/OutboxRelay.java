package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hands every committed outbox event to one consumer, exactly once and in sequence order.
 *
 * <p>Sequence numbers are taken at insert but become visible at commit, so they appear out of order and a plain
 * {@code seq > last} tail would lose events. The relay keeps a <em>floor</em>: every number at or below it was
 * delivered or will never commit. Rows above the floor are delivered while contiguous; a missing number (a gap) stops
 * delivery until one of these happens:
 * <ul>
 * <li>its transaction commits: the rows are delivered in order;</li>
 * <li>its transaction is known to have ended: once {@code gapGraceMillis} have passed since the gap was first seen,
 * every transaction holding one of its numbers has a transaction id, and the relay takes a <em>fence</em>, a fresh id
 * above all of them ({@code pg_current_xact_id()}; a snapshot's xmax would not do, it is only one past the latest
 * <em>completed</em> id). When a later snapshot's xmin reaches the fence they have all ended, so numbers still missing
 * were rolled back and the floor passes them ({@link #skippedHoles()}). The grace assumes a transaction gets its id
 * within it after taking a number, as an {@code INSERT} ({@link Outbox#write}) does at once;</li>
 * <li>it is older than {@code gapTimeoutMillis} (a transaction left open): it is passed with a warning. Its numbers
 * are then watched until their transactions end, at most {@value #LATE_WINDOW_MILLIS} ms; one that commits meanwhile
 * is delivered late, out of order, with a warning ({@link #lateDeliveries()}).</li>
 * </ul>
 *
 * <p>{@link #start(String)} runs the relay on a {@link RelayThread}, which listens for the outbox's notifications
 * and polls after each and every {@code pollMillis} at most. A consumer that throws is reported and its event
 * counts as delivered.
 */
final class OutboxRelay implements AutoCloseable {

    static final long DEFAULT_POLL_MILLIS = 250;
    static final long DEFAULT_GAP_GRACE_MILLIS = 200;
    static final long DEFAULT_GAP_TIMEOUT_MILLIS = 10_000;
    /** How long numbers passed on a timeout are watched for a late commit. */
    static final long LATE_WINDOW_MILLIS = 60_000;
    /** At most this many numbers passed on a timeout are watched at once. */
    static final int MAX_WATCHED = 10_000;
    static final int BATCH = 500;
    /** How far past a full batch stuck at a gap the relay looks for further gaps, so they age meanwhile. */
    static final int LOOKAHEAD = 10 * BATCH;

    private static final String SELECT = "SELECT seq, node_id, topic, props::text FROM batch_fleet_outbox ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    /** Properties EventAdmin consumers read as Integer or Long, whichever size Jackson chose. */
    private static final Map<String, Class<?>> NUMBER_TYPES = Map.ofEntries(Map.entry("totalItems", Integer.class),
            Map.entry("completed", Integer.class), Map.entry("total", Integer.class),
            Map.entry("succeeded", Integer.class), Map.entry("failed", Integer.class),
            Map.entry("skipped", Integer.class), Map.entry("attempt", Integer.class),
            Map.entry("durationMs", Long.class), Map.entry("etaRemainingMs", Long.class),
            Map.entry("totalDurationMs", Long.class), Map.entry("avgDurationMs", Long.class),
            Map.entry("loadMs", Long.class));

    private final DataSource dataSource;
    private final Consumer<FleetEvent> consumer;
    private final Consumer<String> warnings;
    private final long pollNanos;
    private final long graceNanos;
    private final long timeoutNanos;
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private final Map<Long, Watched> watched = new LinkedHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicReference<RelayThread> worker = new AtomicReference<>();
    private volatile long floor;
    private Connection connection;

    /** Numbers up to {@code to} missing since {@code seenAt}; {@code fence} is taken once the grace has passed. */
    private static final class Gap {
        final long to;
        final long seenAt;
        Long fence;
        boolean ended;

        Gap(long to, long seenAt) {
            this.to = to;
            this.seenAt = seenAt;
        }
    }

    private record Watched(Long fence, long since) {
    }

    private record Row(long seq, String node, String topic, String props) {
    }

    OutboxRelay(DataSource dataSource, long startAfter, Consumer<FleetEvent> consumer, Consumer<String> warnings) {
        this(dataSource, startAfter, consumer, warnings, DEFAULT_POLL_MILLIS, DEFAULT_GAP_GRACE_MILLIS,
                DEFAULT_GAP_TIMEOUT_MILLIS);
    }

    /**
     * @param startAfter only events with a greater sequence number are delivered ({@link Outbox#newest} for "from now on")
     * @param warnings where gaps passed on a timeout, late deliveries and failures are reported
     * @param gapTimeoutMillis raised to {@code gapGraceMillis} when lower
     */
    OutboxRelay(DataSource dataSource, long startAfter, Consumer<FleetEvent> consumer, Consumer<String> warnings,
            long pollMillis, long gapGraceMillis, long gapTimeoutMillis) {
        this.dataSource = dataSource;
        this.floor = startAfter;
        this.consumer = consumer;
        this.warnings = warnings;
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, pollMillis));
        this.graceNanos = TimeUnit.MILLISECONDS.toNanos(gapGraceMillis);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(gapGraceMillis, gapTimeoutMillis));
    }

    /** Sequence numbers passed because their transactions ended without committing them. */
    long skippedHoles() {
        return skipped.get();
    }

    /** Events delivered out of order because their transaction committed after their gap timed out. */
    long lateDeliveries() {
        return late.get();
    }

    /** Every sequence number at or below this one was delivered or passed. */
    long floor() {
        return floor;
    }

    /**
     * Reads the outbox and delivers what can be delivered, reading on while whole batches go through.
     *
     * @return the number of events delivered
     */
    synchronized int poll() throws SQLException {
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
            }
            int delivered = 0;
            long before;
            List<Row> rows;
            do {
                long now = System.nanoTime();
                before = floor;
                List<Gap> due = gaps.values().stream().filter(g -> g.fence == null && now - g.seenAt >= graceNanos)
                        .toList();
                if (!due.isEmpty()) {
                    long fence = single(connection, "SELECT pg_current_xact_id()::text::bigint");
                    due.forEach(g -> g.fence = fence);
                }
                long xmin = 0;
                if (!watched.isEmpty() || gaps.values().stream().anyMatch(g -> g.fence != null && !g.ended)) {
                    xmin = single(connection, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
                }
                long oldest = xmin;
                gaps.values().forEach(g -> g.ended |= g.fence != null && oldest >= g.fence);
                delivered += checkWatched(xmin, now);
                rows = read(SELECT + "WHERE seq > ? ORDER BY seq LIMIT " + BATCH, floor);
                delivered += advance(rows, now);
                if (rows.size() == BATCH && floor < rows.get(BATCH - 1).seq) {
                    lookAhead(rows.get(BATCH - 1).seq);
                }
            } while (rows.size() == BATCH && floor > before);
            return delivered;
        } catch (SQLException | RuntimeException e) {
            closeConnection();
            throw e;
        }
    }

    /** Delivers the contiguous rows, passes gaps that ended or timed out, and records every gap seen. */
    private int advance(List<Row> rows, long now) {
        int delivered = 0;
        long expected = floor + 1;
        boolean blocked = false;
        for (Row row : rows) {
            if (row.seq > expected) {
                Gap gap = gap(expected, row.seq - 1);
                if (!blocked && gap.ended) {
                    skipped.addAndGet(row.seq - expected);
                } else if (!blocked && now - gap.seenAt >= timeoutNanos) {
                    watch(expected, row.seq - 1, gap, now);
                } else {
                    blocked = true;
                }
            }
            if (!blocked) {
                deliver(row);
                floor = row.seq;
                delivered++;
            }
            expected = row.seq + 1;
        }
        long passed = floor;
        gaps.values().removeIf(g -> g.to <= passed);
        return delivered;
    }

    private void lookAhead(long after) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT seq FROM batch_fleet_outbox WHERE seq > ? ORDER BY seq LIMIT " + LOOKAHEAD)) {
            s.setLong(1, after);
            try (ResultSet r = s.executeQuery()) {
                for (long expected = after + 1; r.next(); expected = r.getLong(1) + 1) {
                    if (r.getLong(1) > expected) {
                        gap(expected, r.getLong(1) - 1);
                    }
                }
            }
        }
    }

    /** The record of a gap covering {@code from..to}; a new one, seen now (after the read), when none does. */
    private Gap gap(long from, long to) {
        Map.Entry<Long, Gap> known = gaps.floorEntry(from);
        if (known != null && known.getValue().to >= to) {
            return known.getValue();
        }
        gaps.subMap(from, true, to, true).clear();
        if (known != null && known.getValue().to >= from) {
            gaps.remove(known.getKey());
        }
        Gap gap = new Gap(to, System.nanoTime());
        gaps.put(from, gap);
        return gap;
    }

    private void watch(long from, long to, Gap gap, long now) {
        long unwatched = 0;
        for (long seq = from; seq <= to; seq++) {
            if (watched.size() < MAX_WATCHED) {
                watched.put(seq, new Watched(gap.fence, now));
            } else {
                unwatched++;
            }
        }
        warn("Outbox seq " + (from == to ? from : from + ".." + to) + " still missing after "
                + TimeUnit.NANOSECONDS.toMillis(now - gap.seenAt) + " ms (a transaction holds it open); passed, "
                + "delivered late if it commits within " + LATE_WINDOW_MILLIS + " ms" + (unwatched == 0 ? ""
                        : "; " + unwatched + " of these numbers are not watched (too many already)"));
    }

    /** Delivers the watched numbers committed since; forgets those whose transactions ended or waited too long. */
    private int checkWatched(long xmin, long now) throws SQLException {
        if (watched.isEmpty()) {
            return 0;
        }
        List<Row> found = read(SELECT + "WHERE seq = ANY(?) ORDER BY seq",
                connection.createArrayOf("bigint", watched.keySet().toArray()));
        for (Row row : found) {
            watched.remove(row.seq);
            late.incrementAndGet();
            warn("Outbox seq " + row.seq + " (" + row.topic + ") delivered late, out of order: its transaction "
                    + "committed after its gap timed out");
            deliver(row);
        }
        watched.entrySet().removeIf(entry -> {
            Watched w = entry.getValue();
            if (w.fence != null && xmin >= w.fence) {
                skipped.incrementAndGet();
                return true;
            } else if (now - w.since < TimeUnit.MILLISECONDS.toNanos(LATE_WINDOW_MILLIS)) {
                return false;
            }
            warn("Outbox seq " + entry.getKey() + " still uncommitted " + LATE_WINDOW_MILLIS + " ms after it was "
                    + "passed; no longer watched, its event is not relayed if it commits");
            return true;
        });
        return found.size();
    }

    private void deliver(Row row) {
        FleetEvent event;
        try {
            event = new FleetEvent(row.seq, row.node, row.topic, properties(row.props));
        } catch (JsonProcessingException | RuntimeException e) {
            warn("Outbox seq " + row.seq + " (" + row.topic + ") has unreadable properties, not relayed: " + e);
            return;
        }
        try {
            consumer.accept(event);
        } catch (RuntimeException e) {
            warn("Outbox seq " + row.seq + " (" + row.topic + "): the consumer failed: " + e);
        }
    }

    /** An event's properties from their JSON, without nulls, with the numbers of {@link #NUMBER_TYPES} converted. */
    static Map<String, Object> properties(String json) throws JsonProcessingException {
        Map<String, Object> properties = new HashMap<>();
        JSON.readValue(json, MAP).forEach((key, value) -> {
            Class<?> type = NUMBER_TYPES.get(key);
            if (value instanceof Number number && type != null) {
                properties.put(key, type == Integer.class ? (Object) number.intValue() : (Object) number.longValue());
            } else if (value != null) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** Starts the relay thread, a daemon; its name is also the listening connection's {@code application_name}. */
    void start(String threadName) {
        RelayThread thread = new RelayThread(this, dataSource, threadName, pollNanos, this::warn);
        if (!worker.compareAndSet(null, thread)) {
            throw new IllegalStateException("The outbox relay is already started");
        }
        thread.start();
    }

    /** Stops the relay thread and waits for it (at most 5 s), then closes the polling connection. */
    @Override
    public void close() {
        RelayThread thread = worker.get();
        if (thread != null && !thread.halt()) {
            return;
        }
        synchronized (this) {
            closeConnection();
        }
    }

    synchronized void closeConnectionNow() {
        closeConnection();
    }

    private void closeConnection() {
        try (Connection closing = connection) {
            connection = null;
        } catch (SQLException ignored) {
            // dropped either way
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<Row> read(String sql, Object parameter) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)));
                }
            }
        }
        return rows;
    }

    void warn(String message) {
        try {
            warnings.accept(message);
        } catch (RuntimeException ignored) {
            // a failing sink must not stop the relay
        }
    }
}
