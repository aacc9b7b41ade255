package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/** A fresh fleet database and the store's parts on it, with the shortcuts the store tests share. */
final class StoreFixture {

    /** Claims lease up to their micro-batch whatever the learned times; no aging. */
    static final FleetSettings SETTINGS = new FleetSettings("test", Duration.ofSeconds(1), Duration.ofSeconds(10), 1024,
            Duration.ofDays(1), 2.0, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofDays(1));

    final DataSource db;
    final NodeLiveness liveness;
    final FleetClaims claims;
    final Settlements settlements;

    StoreFixture() {
        this(false);
    }

    /** @param pooled whether connections are pooled (as on a node) rather than opened per transaction */
    StoreFixture(boolean pooled) {
        db = pooled ? TestDatabase.pooled(TestDatabase.migrated()) : TestDatabase.migrated();
        liveness = new NodeLiveness(db);
        claims = new FleetClaims(db);
        settlements = new Settlements(db);
    }

    /** Joins a node and registers its slots, each serving the given models. */
    long node(String node, Set<String> serves, String... slots) throws SQLException {
        long epoch = liveness.join(node, "test");
        for (String slot : slots) {
            claims.registerSlot(node, epoch, slot, serves, Set.of(), 1);
        }
        return epoch;
    }

    String enqueue(String model, int items) throws SQLException {
        List<BatchItem<String>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(BatchItem.of("i" + i, "data-" + i, SizeBucket.MEDIUM));
        }
        return Sql.inTransaction(db, c -> {
            try (Statement learned = c.createStatement()) { // items of 1 ms: a claim leases its whole micro-batch
                learned.execute("INSERT INTO batch_fleet_timings VALUES ('" + model + "', 'tag', 'MEDIUM', 1, 1) "
                        + "ON CONFLICT DO NOTHING");
            }
            return FleetJobs.enqueue(c, null, BatchJob.of(model, "tag", OverwritePolicy.OVERWRITE, list));
        });
    }

    FleetClaims.Lease claim(String node, long epoch, String slot, int batch) throws SQLException {
        return claims.claim(node, epoch, slot, batch, SETTINGS, false);
    }

    Settlements.Settled completeAll(String node, String slot, FleetClaims.Lease lease) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        for (ClaimedItem item : lease.items()) {
            outcomes.add(Outcome.completed(item, 5, "ok"));
        }
        return settlements.settle(node, node + "/" + slot, outcomes);
    }

    BatchJob<Object> job(String id) throws SQLException {
        return Sql.inTransaction(db, c -> FleetJobs.read(c, id)).orElseThrow();
    }

    /** The outbox in sequence order: topic and properties (the JSON column as a map). */
    List<Map<String, Object>> outbox(String topic) throws SQLException {
        List<Map<String, Object>> events = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT topic, props::text FROM batch_fleet_outbox ORDER BY seq")) {
            while (rows.next()) {
                if (topic == null || topic.equals(rows.getString(1))) {
                    Map<String, Object> props = new TreeMap<>(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readValue(rows.getString(2), Map.class));
                    props.put("topic", rows.getString(1));
                    events.add(props);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    int count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }
}
