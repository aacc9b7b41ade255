package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

/**
 * One node of the fleet: joins, beats on the database clock from a thread of its own, reaps dead nodes, runs
 * its slots ({@link SlotWorker}), tells in-flight items of their cancellation, and relays the whole fleet's
 * events ({@link OutboxRelay}) to its subscribers. A graceful {@link #stop} releases its leases first and stops
 * beating last. It never shuts itself down: while the database is away it keeps its in-flight work, holds its
 * results, and tries again with backoff; and it reaps nobody until it has been in touch with the database for
 * {@code deadAfter} without a break, so a database restart does not make every node look dead.
 */
final class FleetNode {

    /** What a node reports to whoever runs it (a log). */
    interface Reports {
        void warn(String message);

        default void info(String message) {
        }
    }

    /** How often a node tells its subscribers of the fleet's nodes ({@link NodeTable}). */
    private static final long NODE_TABLE_EVERY_MS = 2_000;
    /** How often a node deletes the events older than the outbox retention. */
    private static final long PRUNE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DataSource dataSource;
    private final FleetSettings settings;
    private final Consumer<FleetEvent> events;
    private final Reports reports;
    private final NodeLiveness liveness;
    private final FleetClaims claims;
    private final Settlements settlements;
    /** Each slot's lanes: as many workers as its {@code ai.batch.concurrency}. */
    private final Map<String, List<SlotWorker>> slots = new ConcurrentHashMap<>();
    private final Object work = new Object();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final int maxAttempts;
    private final long retryBackoffMs;
    private volatile long epoch;
    private volatile boolean running;
    private volatile boolean databaseAway;
    private volatile long inTouchSinceNanos;
    private Thread heartbeat;
    private Thread nodeTable;
    private OutboxRelay relay;
    private Notifier notifier;

    FleetNode(DataSource dataSource, FleetSettings settings, int maxAttempts, long retryBackoffMs,
            Consumer<FleetEvent> events, Reports reports) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.maxAttempts = maxAttempts;
        this.retryBackoffMs = retryBackoffMs;
        this.events = events;
        this.reports = reports;
        this.liveness = new NodeLiveness(dataSource);
        this.claims = new FleetClaims(dataSource);
        this.settlements = new Settlements(dataSource);
    }

    /** Migrates the schema, joins, and starts beating and relaying events written from now on. */
    synchronized void start() throws SQLException {
        new Migrations().migrate(dataSource);
        epoch = liveness.join(settings.node(), FleetNode.class.getPackage().getImplementationVersion());
        inTouchSinceNanos = System.nanoTime();
        running = true;
        notifier = new Notifier(dataSource, threadName("notify"));
        relay = new OutboxRelay(dataSource, Outbox.newest(dataSource), this::relayed, reports::warn);
        relay.start(threadName("events"));
        heartbeat = new Thread(this::beatLoop, threadName("heartbeat"));
        heartbeat.setDaemon(true);
        heartbeat.start();
        nodeTable = new Thread(this::publishNodes, threadName("nodes"));
        nodeTable.setDaemon(true);
        nodeTable.start();
        reports.info("Fleet node " + settings.node() + " joined (epoch " + epoch + ")");
    }

    /**
     * Adds a slot and starts its lanes, or gives a running slot of that name its new handlers (and as many lanes as
     * their concurrency asks now).
     */
    synchronized void addSlot(FleetSlot slot) throws SQLException {
        claims.registerSlot(settings.node(), epoch, slot.name(), slot.serves(), Set.of(), slot.concurrency());
        List<SlotWorker> lanes = slots.computeIfAbsent(slot.name(), name -> new CopyOnWriteArrayList<>());
        lanes.forEach(lane -> lane.update(slot));
        while (lanes.size() < slot.concurrency()) {
            SlotWorker lane = new SlotWorker(this, slot, lanes.size());
            lanes.add(lane);
            lane.start();
        }
        while (lanes.size() > slot.concurrency()) {
            release(lanes.remove(lanes.size() - 1).stop(), "slot lane removed");
        }
    }

    /** Stops a slot: its in-flight items go back to pending for another slot. */
    synchronized void removeSlot(String name) {
        List<SlotWorker> lanes = slots.remove(name);
        if (lanes != null) {
            lanes.forEach(lane -> release(lane.stop(), "slot removed"));
            try {
                Sql.inTransaction(dataSource, c -> {
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM batch_fleet_slots WHERE node_id = ? AND slot = ?")) {
                        delete.setString(1, settings.node());
                        delete.setString(2, name);
                        return delete.executeUpdate();
                    }
                });
            } catch (SQLException e) {
                databaseTrouble("slot " + name + " could not be removed from the fleet", e);
            }
        }
    }

    /** Graceful stop: slots stop, leases are released, the relay stops, and the heartbeat stops last. */
    void stop() {
        if (!running) {
            return;
        }
        workers().forEach(SlotWorker::stop);
        slots.clear();
        try {
            int released = liveness.leave(settings.node(), epoch);
            reports.info("Fleet node " + settings.node() + " left; " + released + " running items went back to the queue");
        } catch (SQLException e) {
            reports.warn("Fleet node " + settings.node() + " could not release its leases (" + e.getMessage()
                    + "); other nodes requeue them once it is declared dead");
        }
        halt();
    }

    /** Stops every thread without writing anything, as a crash would. */
    void halt() {
        running = false;
        workers().forEach(SlotWorker::stop);
        slots.clear();
        if (relay != null) {
            relay.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (nodeTable != null) {
            nodeTable.interrupt();
        }
        if (heartbeat != null) {
            heartbeat.interrupt();
            try {
                heartbeat.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void beatLoop() {
        long nextPrune = System.nanoTime() + PRUNE_EVERY_NANOS;
        while (running) {
            try {
                if (!liveness.beat(settings.node(), epoch)) {
                    fenced(new FencedException(settings.node(), epoch));
                }
                backInTouch();
                if (System.nanoTime() - inTouchSinceNanos >= settings.deadAfter().toNanos()) {
                    NodeLiveness.Reaped reaped = liveness.reap(settings.node(), settings.deadAfter());
                    if (!reaped.nodes().isEmpty() || reaped.itemsRequeued() > 0) {
                        reports.warn("Declared dead (no heartbeat for " + settings.deadAfter().toMillis() + " ms): "
                                + reaped.nodes() + "; " + reaped.itemsRequeued() + " running items of dead nodes went "
                                + "back to the queue");
                    }
                }
                tellCancelled();
                if (System.nanoTime() - nextPrune >= 0) {
                    nextPrune = System.nanoTime() + PRUNE_EVERY_NANOS;
                    Outbox.prune(dataSource, settings.outboxRetention());
                }
            } catch (SQLException e) {
                databaseTrouble("heartbeat failed", e);
            } catch (RuntimeException | LinkageError e) {
                reports.warn("Fleet heartbeat: " + e); // the heartbeat thread never ends but with the node
            }
            sleep(settings.heartbeat().toMillis());
        }
    }

    /** Every two seconds, the fleet's nodes to this node's subscribers (a thread of its own: never the heartbeat's). */
    private void publishNodes() {
        while (running) {
            try {
                events.accept(NodeTable.event(settings.node(), NodeTable.read(dataSource)));
            } catch (SQLException | RuntimeException e) {
                // the heartbeat reports the database's trouble; a subscriber's own failure is its own
            }
            sleep(NODE_TABLE_EVERY_MS);
        }
    }

    private void tellCancelled() throws SQLException {
        if (slots.isEmpty()) {
            return;
        }
        Set<String> cancelled = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT job_id, item_id FROM batch_fleet_items WHERE lease_owner = ? AND status = 'CANCELLED'")) {
            select.setString(1, settings.node());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    cancelled.add(rows.getString(1) + '/' + rows.getString(2));
                }
            }
        }
        if (!cancelled.isEmpty()) {
            workers().forEach(w -> w.cancel(cancelled));
        }
    }

    /** This node was declared dead: join again under a new epoch; results of the old one are refused. */
    synchronized void fenced(FencedException e) {
        if (!running) {
            return;
        }
        try {
            long before = epoch;
            if (liveness.beat(settings.node(), before)) {
                return; // another thread rejoined already
            }
            epoch = liveness.join(settings.node(), FleetNode.class.getPackage().getImplementationVersion());
            for (List<SlotWorker> lanes : slots.values()) {
                FleetSlot slot = lanes.get(0).slot();
                claims.registerSlot(settings.node(), epoch, slot.name(), slot.serves(), Set.of(), slot.concurrency());
            }
            reports.warn(e.getMessage() + "; it joined again (epoch " + epoch + "), its late results are refused");
        } catch (SQLException trouble) {
            databaseTrouble("rejoining after being declared dead failed", trouble);
        }
    }

    private List<SlotWorker> workers() {
        List<SlotWorker> all = new java.util.ArrayList<>();
        slots.values().forEach(all::addAll);
        return all;
    }

    private void release(List<ClaimedItem> held, String reason) {
        if (held.isEmpty()) {
            return;
        }
        try {
            settlements.release(settings.node(), held, reason);
        } catch (SQLException e) {
            databaseTrouble(held.size() + " items of a stopped slot stay leased until this node is declared dead", e);
        }
    }

    /** A slot's claim or settlement committed events: wake the relays (coalesced). */
    void wrote() {
        Notifier current = notifier;
        if (current != null) {
            current.poke();
        }
    }

    void settled(FleetSlot slot, Settlements.Settled settled) {
        if (!settled.refused().isEmpty()) {
            refused.addAndGet(settled.refused().size());
            reports.info("Slot " + slot.name() + ": " + settled.refused().size()
                    + " late results refused (the items were cancelled or ran again elsewhere)");
        }
    }

    void slotFailed(FleetSlot slot, RuntimeException e) {
        reports.warn("Slot " + slot.name() + " of fleet node " + settings.node() + " failed and goes on after a pause: " + e);
    }

    void dropped(FleetSlot slot, int results, String why) {
        dropped.addAndGet(results);
        reports.warn("Slot " + slot.name() + " dropped " + results + " results: " + why + "; the items run again");
    }

    /**
     * The database did not answer. Said once per outage; only the heartbeat's own failures stop the reaper, which
     * then waits for {@code deadAfter} of unbroken beats, so that an outage never makes every node look dead.
     */
    void databaseTrouble(String what, Exception e) {
        if (what.startsWith("heartbeat")) {
            inTouchSinceNanos = Long.MAX_VALUE / 2; // no reaping until in touch for deadAfter again
        }
        if (!databaseAway) {
            databaseAway = true;
            reports.warn("Fleet node " + settings.node() + ": " + what + ": " + e.getMessage()
                    + " (trying again with backoff; in-flight work is kept)");
        }
    }

    private void backInTouch() {
        if (databaseAway) {
            databaseAway = false;
            inTouchSinceNanos = System.nanoTime();
            reports.warn("Fleet node " + settings.node() + " is in touch with the database again");
        } else if (inTouchSinceNanos == Long.MAX_VALUE / 2) {
            inTouchSinceNanos = System.nanoTime();
        }
    }

    private void relayed(FleetEvent event) {
        events.accept(event);
        synchronized (work) {
            work.notifyAll();
        }
    }

    /** An idle slot waits here for new work, at most the poll interval. */
    void awaitWork() {
        synchronized (work) {
            try {
                work.wait(settings.poll().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits without throwing; an interrupt ends the wait early (the caller checks whether it should stop). */
    void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String threadName(String part) {
        return "ai-batch-fleet-" + settings.node() + "-" + part;
    }

    String id() {
        return settings.node();
    }

    long epoch() {
        return epoch;
    }

    FleetSettings settings() {
        return settings;
    }

    FleetClaims claims() {
        return claims;
    }

    Settlements settlements() {
        return settlements;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    long retryBackoffMs() {
        return retryBackoffMs;
    }

    long refusedResults() {
        return refused.get();
    }

    DataSource dataSource() {
        return dataSource;
    }
}
