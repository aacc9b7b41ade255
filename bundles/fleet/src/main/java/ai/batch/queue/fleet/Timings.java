package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import ai.batch.queue.BatchItemStatus;

/**
 * What the fleet learns of its items' and loads' durations, shared by every node: a running mean per model,
 * operation and size bucket (completed items only), and per model for loads. A micro-batch adds its samples in
 * one statement per key, in key order so that concurrent settlements never deadlock.
 */
final class Timings {

    private Timings() {
    }

    static void record(Connection connection, List<Outcome> finals) throws SQLException {
        Map<String, long[]> byKey = new TreeMap<>();
        Map<String, String[]> keys = new TreeMap<>();
        for (Outcome outcome : finals) {
            if (outcome.status() != BatchItemStatus.COMPLETED || outcome.durationMs() == null) {
                continue;
            }
            ClaimedItem item = outcome.item();
            String key = item.resourceKey() + '\u0000' + item.operation() + '\u0000' + item.sizeBucket().name();
            keys.putIfAbsent(key, new String[] {item.resourceKey(), item.operation(), item.sizeBucket().name()});
            long[] sum = byKey.computeIfAbsent(key, k -> new long[2]);
            sum[0]++;
            sum[1] += outcome.durationMs();
        }
        if (byKey.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO batch_fleet_timings AS t (resource_key, "
                + "operation, size_bucket, samples, mean_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (resource_key, operation, "
                + "size_bucket) DO UPDATE SET samples = t.samples + EXCLUDED.samples, mean_ms = (t.mean_ms * t.samples "
                + "+ EXCLUDED.mean_ms * EXCLUDED.samples) / (t.samples + EXCLUDED.samples)")) {
            for (Map.Entry<String, long[]> entry : byKey.entrySet()) {
                String[] key = keys.get(entry.getKey());
                upsert.setString(1, key[0]);
                upsert.setString(2, key[1]);
                upsert.setString(3, key[2]);
                upsert.setLong(4, entry.getValue()[0]);
                upsert.setDouble(5, (double) entry.getValue()[1] / entry.getValue()[0]);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Adds one measured load of a model. */
    static void recordLoad(Connection connection, String model, long loadMs) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO batch_fleet_loads AS l (resource_key, "
                + "samples, mean_ms) VALUES (?, 1, ?) ON CONFLICT (resource_key) DO UPDATE SET samples = l.samples + 1, "
                + "mean_ms = (l.mean_ms * l.samples + EXCLUDED.mean_ms) / (l.samples + 1)")) {
            upsert.setString(1, model);
            upsert.setDouble(2, loadMs);
            upsert.executeUpdate();
        }
    }
}
