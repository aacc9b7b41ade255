package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.plan.ClaimPolicy;

/**
 * Model-aware claims, in one short transaction each: read the fleet's slots and its pending work per model,
 * decide with the same {@link ClaimPolicy} the single-machine slots use, then lease up to a micro-batch of one
 * job's items with {@code FOR UPDATE SKIP LOCKED}, so concurrent claims never take one item twice. A cold pick
 * or a steal (a slot taking a model it does not hold) is decided again under a transaction-scoped advisory
 * lock, and the slot's new model is written before that lock is released, so two idle slots never load one
 * model at once.
 */
final class FleetClaims {

    private static final long DECIDE_LOCK = 0x62617463686364L; // "batchcd"
    private static final int JOB_TRIES = 4;

    private final DataSource dataSource;

    FleetClaims(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What a claim took: the rule that chose the model, and the leased items (none when idle). */
    record Lease(ClaimPolicy.Kind kind, String model, List<ClaimedItem> items) {
        static final Lease IDLE = new Lease(ClaimPolicy.Kind.IDLE, null, List.of());
    }

    /** Adds or updates one of this node's slots: the models it serves and those its runtime holds now. */
    void registerSlot(String node, long epoch, String slot, Set<String> serves, Set<String> holds, int capacity)
            throws SQLException {
        Sql.inTransaction(dataSource, connection -> {
            NodeLiveness.checkAlive(connection, node, epoch);
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO batch_fleet_slots (node_id, slot, "
                    + "serves, holds, capacity) VALUES (?, ?, ?, ?, ?) ON CONFLICT (node_id, slot) DO UPDATE SET "
                    + "serves = EXCLUDED.serves, holds = EXCLUDED.holds, capacity = EXCLUDED.capacity")) {
                upsert.setString(1, node);
                upsert.setString(2, slot);
                upsert.setArray(3, NodeLiveness.textArray(connection, List.copyOf(serves)));
                upsert.setArray(4, NodeLiveness.textArray(connection, List.copyOf(holds)));
                upsert.setInt(5, capacity);
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Claims work for one free slot.
     *
     * @param maxItems the most items to lease (the slot's micro-batch)
     * @param settings the steal factor, the aging limit and the lease target ({@link FleetSettings#leaseTarget})
     * @param stayOnly whether this is one of a slot's further lanes, which only stay on what the slot holds (its
     *        first lane alone picks another model, so the lanes of a runtime never ask it for two models at once)
     * @throws FencedException when this node is no longer alive in this epoch
     */
    Lease claim(String node, long epoch, String slot, int maxItems, FleetSettings settings, boolean stayOnly)
            throws SQLException {
        double stealFactor = settings.stealFactor();
        Duration maxWait = settings.maxWait();
        return Sql.inTransaction(dataSource, connection -> {
            if (NodeLiveness.checkAlive(connection, node, epoch)) {
                return Lease.IDLE; // the fleet is paused
            }
            String slotId = node + "/" + slot;
            StayClaim.Stay stay = StayClaim.find(connection, node, slot, maxWait);
            if (stay != null) {
                int size = leaseSize(stay.itemMs(), maxItems, settings.leaseTarget());
                List<ClaimedItem> items = leaseItems(connection, node, stay.jobId(), size);
                if (!items.isEmpty()) {
                    started(connection, node, stay.jobId(), slotId, items, stay.queued());
                    return new Lease(ClaimPolicy.Kind.STAY, stay.model(), items);
                }
            }
            if (stayOnly) {
                return Lease.IDLE;
            }
            List<ClaimPolicy.Work> work = work(connection, maxWait);
            ClaimPolicy.Claim claim = ClaimPolicy.claim(slots(connection), work, slotId, stealFactor);
            if (claim.kind() == ClaimPolicy.Kind.COLD || claim.kind() == ClaimPolicy.Kind.STEAL) {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, DECIDE_LOCK);
                    lock.execute();
                }
                work = work(connection, maxWait); // again, now that no other slot decides
                claim = ClaimPolicy.claim(slots(connection), work, slotId, stealFactor);
            }
            if (claim.kind() == ClaimPolicy.Kind.IDLE) {
                return Lease.IDLE;
            }
            int size = leaseSize(work, claim.model(), maxItems, settings.leaseTarget());
            List<ClaimedItem> items = lease(connection, node, slotId, claim.model(), size);
            if (items.isEmpty()) {
                return Lease.IDLE; // every item of the model was just taken by other slots
            }
            if (claim.kind() != ClaimPolicy.Kind.STAY) {
                holdOnly(connection, node, slot, claim.model());
            }
            return new Lease(claim.kind(), claim.model(), items);
        });
    }

    /** About {@code target} of work by the model's learned item time; one item while that is unknown. */
    static int leaseSize(List<ClaimPolicy.Work> work, String model, int maxItems, Duration target) {
        for (ClaimPolicy.Work w : work) {
            if (w.model().equals(model)) {
                return leaseSize(w.remainingMs() / w.items(), maxItems, target);
            }
        }
        return 1;
    }

    static int leaseSize(double itemMs, int maxItems, Duration target) {
        if (Double.isNaN(itemMs)) {
            return 1;
        }
        double fits = itemMs <= 0 ? maxItems : target.toMillis() / itemMs;
        return (int) Math.max(1, Math.min(maxItems, Math.floor(fits)));
    }

    private static List<ClaimPolicy.Slot> slots(Connection connection) throws SQLException {
        List<ClaimPolicy.Slot> slots = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.node_id || '/' || s.slot, s.serves, s.holds, "
                + "s.loading FROM batch_fleet_slots s JOIN batch_fleet_nodes n USING (node_id) "
                + "WHERE n.dead_at IS NULL AND n.stopped_at IS NULL");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Set<String> holds = new HashSet<>(Arrays.asList((String[]) rows.getArray(3).getArray()));
                if (rows.getString(4) != null) {
                    holds.add(rows.getString(4));
                }
                slots.add(new ClaimPolicy.Slot(rows.getString(1), Set.of((String[]) rows.getArray(2).getArray()), holds));
            }
        }
        return slots;
    }

    /**
     * Open work per model in the plan's order (priority, then the oldest job), with learned times: from the jobs'
     * counts of open items (pending or running), so reading it costs the open jobs, not their items. Items
     * leased and running still count, as do retries waiting for their time; the lease itself takes only free ones.
     */
    private static List<ClaimPolicy.Work> work(Connection connection, Duration maxWait) throws SQLException {
        List<ClaimPolicy.Work> work = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT w.resource_key, w.items, "
                + "w.items * t.mean_ms, l.mean_ms, w.aged FROM (SELECT j.resource_key, sum(j.open_items) AS items, "
                + "bool_or(j.created_at < now() - ? * interval '1 millisecond') AS aged, max(j.priority_rank) AS rank, "
                + "min(j.plan_seq) AS first FROM batch_fleet_jobs j WHERE j.status IN ('QUEUED', 'RUNNING') "
                + "AND j.open_items > 0 GROUP BY j.resource_key) w "
                + "LEFT JOIN (SELECT resource_key, sum(mean_ms * samples) / sum(samples) AS mean_ms "
                + "FROM batch_fleet_timings GROUP BY resource_key) t USING (resource_key) "
                + "LEFT JOIN batch_fleet_loads l USING (resource_key) ORDER BY w.rank DESC, w.first")) {
            select.setLong(1, maxWait.toMillis());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    double remaining = rows.getDouble(3);
                    remaining = rows.wasNull() ? Double.NaN : remaining;
                    double load = rows.getDouble(4);
                    load = rows.wasNull() ? Double.NaN : load;
                    work.add(new ClaimPolicy.Work(rows.getString(1), rows.getInt(2), remaining, load, rows.getBoolean(5)));
                }
            }
        }
        return work;
    }

    /** Leases up to {@code batchSize} items of the model's first job that still has some free. */
    private static List<ClaimedItem> lease(Connection connection, String node, String slotId, String model,
            int batchSize) throws SQLException {
        List<String> tried = new ArrayList<>();
        for (int t = 0; t < JOB_TRIES; t++) {
            String jobId = nextJob(connection, model, tried);
            if (jobId == null) {
                return List.of();
            }
            List<ClaimedItem> items = leaseItems(connection, node, jobId, batchSize);
            if (!items.isEmpty()) {
                started(connection, node, jobId, slotId, items, true);
                return items;
            }
            tried.add(jobId);
        }
        return List.of();
    }

    private static String nextJob(Connection connection, String model, List<String> tried) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT j.job_id FROM batch_fleet_jobs j "
                + "WHERE j.resource_key = ? AND j.status IN ('QUEUED', 'RUNNING') AND NOT (j.job_id = ANY (?)) "
                + "AND EXISTS (SELECT 1 FROM batch_fleet_items i WHERE i.job_id = j.job_id AND i.status = 'PENDING' "
                + "AND (i.not_before IS NULL OR i.not_before <= now())) ORDER BY j.priority_rank DESC, j.plan_seq LIMIT 1")) {
            select.setString(1, model);
            select.setArray(2, NodeLiveness.textArray(connection, tried));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static List<ClaimedItem> leaseItems(Connection connection, String node, String jobId, int batchSize)
            throws SQLException {
        List<ClaimedItem> items = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("WITH picked AS (SELECT job_id, item_id "
                + "FROM batch_fleet_items WHERE job_id = ? AND status = 'PENDING' "
                + "AND (not_before IS NULL OR not_before <= now()) ORDER BY position LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "UPDATE batch_fleet_items i SET status = 'RUNNING', lease_owner = ?, leased_at = now(), "
                + "attempt = i.attempt + 1, not_before = NULL FROM picked, batch_fleet_jobs j "
                + "WHERE i.job_id = picked.job_id AND i.item_id = picked.item_id AND j.job_id = i.job_id "
                + "RETURNING i.item_id, i.attempt, i.data::text, i.data_type, i.size_bucket, j.resource_key, "
                + "j.operation, j.overwrite_policy, i.position")) {
            update.setString(1, jobId);
            update.setInt(2, batchSize);
            update.setString(3, node);
            try (ResultSet rows = update.executeQuery()) {
                List<Object[]> ordered = new ArrayList<>();
                while (rows.next()) {
                    ordered.add(new Object[] {rows.getInt(9), claimed(jobId, rows)});
                }
                ordered.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
                ordered.forEach(row -> items.add((ClaimedItem) row[1]));
            }
        }
        return items;
    }

    /** A leased row as an item; a row that cannot be read becomes an item that fails, saying why. */
    private static ClaimedItem claimed(String jobId, ResultSet row) throws SQLException {
        String itemId = row.getString(1);
        String problem = null;
        Object data = null;
        SizeBucket bucket = SizeBucket.UNKNOWN;
        OverwritePolicy policy = OverwritePolicy.OVERWRITE;
        try {
            bucket = SizeBucket.valueOf(row.getString(5));
            policy = OverwritePolicy.valueOf(row.getString(8));
            data = ItemData.restore(row.getString(3), row.getString(4));
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException e) {
            problem = "Item " + itemId + " of job " + jobId + " has a row this node cannot read: " + e.getMessage();
        }
        return new ClaimedItem(jobId, itemId, row.getInt(2), data, problem, bucket, row.getString(6), row.getString(7),
                policy);
    }

    /** Starts the job if it is still queued ({@code job_started}), and tells of the items' start. */
    private static void started(Connection connection, String node, String jobId, String slotId,
            List<ClaimedItem> items, boolean mayStart) throws SQLException {
        List<FleetEvent> events = new ArrayList<>();
        if (mayStart) {
            start(connection, jobId, events);
        }
        for (ClaimedItem item : items) {
            events.add(FleetPayloads.itemStarted(jobId, item.itemId(), slotId, item.sizeBucket().wireName()));
        }
        Outbox.write(connection, node, events, false); // the node's notifier wakes the relays

    }

    private static void start(Connection connection, String jobId, List<FleetEvent> events) throws SQLException {
        try (PreparedStatement start = connection.prepareStatement("UPDATE batch_fleet_jobs SET status = 'RUNNING', "
                + "started_at = now() WHERE job_id = ? AND status = 'QUEUED' RETURNING resource_key, operation, total_items")) {
            start.setString(1, jobId);
            try (ResultSet row = start.executeQuery()) {
                if (row.next()) {
                    events.add(FleetPayloads.jobStarted(jobId, row.getString(1), row.getString(2), row.getInt(3)));
                }
            }
        }
    }

    private static void holdOnly(Connection connection, String node, String slot, String model) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE batch_fleet_slots SET holds = ARRAY[?]::text[], "
                + "loading = NULL WHERE node_id = ? AND slot = ?")) {
            update.setString(1, model);
            update.setString(2, node);
            update.setString(3, slot);
            update.executeUpdate();
        }
    }
}
