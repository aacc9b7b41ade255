package ai.batch.queue.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.SizeBucket;

/**
 * The fleet's learned item times, read once for an estimate: an item is estimated from its own size bucket,
 * else the UNKNOWN bucket, else the other buckets of the same model and operation (weighted by samples).
 */
final class LearnedTimes {

    private record Mean(long samples, double meanMs) {
    }

    private final Map<String, Mean> byKey = new HashMap<>();
    private final Map<String, Mean> byModelOperation = new HashMap<>();

    static LearnedTimes read(Connection connection) throws SQLException {
        LearnedTimes times = new LearnedTimes();
        Map<String, double[]> sums = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT resource_key, operation, size_bucket, samples, mean_ms FROM batch_fleet_timings");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String modelOperation = rows.getString(1) + '\u0000' + rows.getString(2);
                times.byKey.put(modelOperation + '\u0000' + rows.getString(3), new Mean(rows.getLong(4), rows.getDouble(5)));
                double[] sum = sums.computeIfAbsent(modelOperation, k -> new double[2]);
                sum[0] += rows.getLong(4);
                sum[1] += rows.getLong(4) * rows.getDouble(5);
            }
        }
        sums.forEach((key, sum) -> times.byModelOperation.put(key, new Mean((long) sum[0], sum[1] / sum[0])));
        return times;
    }

    /** @return the samples recorded for exactly this key */
    long samples(String model, String operation, SizeBucket bucket) {
        Mean mean = byKey.get(model + '\u0000' + operation + '\u0000' + bucket.name());
        return mean == null ? 0 : mean.samples();
    }

    /** @return the samples of every bucket of this model and operation */
    long samples(String model, String operation) {
        Mean mean = byModelOperation.get(model + '\u0000' + operation);
        return mean == null ? 0 : mean.samples();
    }

    OptionalDouble itemMs(String model, String operation, SizeBucket bucket) {
        String modelOperation = model + '\u0000' + operation;
        Mean mean = byKey.get(modelOperation + '\u0000' + bucket.name());
        if (mean == null) {
            mean = byKey.get(modelOperation + '\u0000' + SizeBucket.UNKNOWN.name());
        }
        if (mean == null) {
            mean = byModelOperation.get(modelOperation);
        }
        return mean == null ? OptionalDouble.empty() : OptionalDouble.of(mean.meanMs());
    }

    /**
     * The remaining work of a job: its PENDING and RUNNING items.
     *
     * @return 0 when none remain, -1 when no remaining item can be estimated, else the sum in milliseconds
     */
    long remainingMs(BatchJob<?> job) {
        boolean any = false;
        boolean estimated = false;
        double sum = 0;
        for (BatchItem<?> item : job.items()) {
            if (item.status() == BatchItemStatus.PENDING || item.status() == BatchItemStatus.RUNNING) {
                any = true;
                OptionalDouble ms = itemMs(job.resourceKey(), job.operation(), item.sizeBucket());
                if (ms.isPresent()) {
                    estimated = true;
                    sum += ms.getAsDouble();
                }
            }
        }
        if (!any) {
            return 0;
        }
        return estimated ? Math.round(sum) : -1;
    }
}
