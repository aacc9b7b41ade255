package ai.batch.queue.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * A fleet node's settings, checked when made: each refusal names its key.
 *
 * @param node this node's id, unique in the fleet
 * @param heartbeat how often the node beats (database clock)
 * @param deadAfter how long without a beat before other nodes declare it dead and requeue its items; must
 *        exceed GC pauses and be at least three beats
 * @param batchSize the most items a slot leases per claim
 * @param leaseTarget how much work one claim leases, by the learned item time (at least one item, at most
 *        {@code batchSize}; one item while the model's item time is unknown): a dead node costs at most that
 *        much work done twice, and other slots can share a job's items
 * @param stealFactor how many load times of work per holding slot a second copy of a model needs
 * @param maxWait how long a job may wait before its model is taken first (aging)
 * @param itemTimeout how long one handler call may take per item
 * @param poll the longest an idle slot waits before it looks for work again without a notification
 * @param outboxRetention how long events stay in the outbox
 */
record FleetSettings(String node, Duration heartbeat, Duration deadAfter, int batchSize, Duration leaseTarget,
        double stealFactor,
        Duration maxWait, Duration itemTimeout, Duration poll, Duration outboxRetention) {

    FleetSettings {
        Objects.requireNonNull(node, "node.id");
        if (node.isBlank() || node.contains("/")) {
            throw new IllegalArgumentException("node.id must be non-blank and must not contain '/': '" + node + "'");
        }
        positive("heartbeat.ms", heartbeat);
        positive("deadAfter.ms", deadAfter);
        positive("item.timeout.ms", itemTimeout);
        positive("poll.ms", poll);
        positive("lease.targetMs", leaseTarget);
        positive("outbox.retention.ms", outboxRetention);
        if (deadAfter.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("deadAfter.ms (" + deadAfter.toMillis() + ") must be at least three "
                    + "heartbeats (heartbeat.ms " + heartbeat.toMillis() + ")");
        }
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("batchSize must be 1 to 1024, not " + batchSize);
        }
        if (!(stealFactor >= 0) || Double.isInfinite(stealFactor)) {
            throw new IllegalArgumentException("slots.stealFactor must be a finite number of at least 0, not " + stealFactor);
        }
        positive("planner.maxWaitMs", maxWait);
    }

    private static void positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, not " + value.toMillis());
        }
    }

    /** Defaults for everything but the node id. */
    static FleetSettings defaults(String node) {
        return new FleetSettings(node, Duration.ofSeconds(1), Duration.ofSeconds(10), 32, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10),
                Duration.ofMinutes(30), Duration.ofMillis(500), Duration.ofDays(1));
    }

    FleetSettings withTimes(Duration newHeartbeat, Duration newDeadAfter) {
        return new FleetSettings(node, newHeartbeat, newDeadAfter, batchSize, leaseTarget, stealFactor, maxWait, itemTimeout, poll,
                outboxRetention);
    }
}
