package ai.batch.queue.fleet;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One slot's thread: claim a micro-batch, run it with the slot's handler, settle it; idle until new work.
 * Database trouble never ends it: a failed claim waits and tries again, and finished results are held and
 * settled again with backoff until the database answers (or until this node is fenced, when they are dropped:
 * their items run elsewhere).
 */
final class SlotWorker implements Runnable {

    private static final long MAX_BACKOFF_MS = 5_000;

    private final FleetNode node;
    private final int lane;
    private volatile FleetSlot slot;
    private final ItemCalls calls;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile List<LeasedContext> inFlight = List.of();

    /**
     * @param lane which of the slot's lanes ({@code ai.batch.concurrency}) this is; lane 0 follows the whole claim
     *        rule, the others only stay on what the slot holds
     */
    SlotWorker(FleetNode node, FleetSlot slot, int lane) {
        this.node = node;
        this.lane = lane;
        this.slot = slot;
        FleetSettings settings = node.settings();
        String suffix = slot.name() + (lane == 0 ? "" : "-" + lane);
        this.calls = new ItemCalls(node.threadName("call-" + suffix), settings.itemTimeout(), node.maxAttempts(),
                node.retryBackoffMs());
        this.thread = new Thread(this, node.threadName("slot-" + suffix));
        thread.setDaemon(true);
    }

    FleetSlot slot() {
        return slot;
    }

    /** Its handlers changed: the next claim and call use the new ones. */
    void update(FleetSlot changed) {
        slot = changed;
    }

    void start() {
        thread.start();
    }

    /** Stops claiming and interrupts the call in progress; returns the items it held (to be released). */
    List<ClaimedItem> stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.close();
        List<ClaimedItem> held = new ArrayList<>();
        inFlight.forEach(c -> held.add(c.item()));
        return held;
    }

    /** Cancels the in-flight item if it is one of these (job/item keys). */
    void cancel(java.util.Set<String> cancelled) {
        for (LeasedContext context : inFlight) {
            if (cancelled.contains(context.jobId() + '/' + context.itemId())) {
                context.cancel();
            }
        }
        calls.interruptIfAllCancelled();
    }

    @Override
    public void run() {
        long backoff = 100;
        while (!stopped) {
            try {
                long epoch = node.epoch();
                FleetClaims.Lease lease = node.claims().claim(node.id(), epoch, slot.name(),
                        node.settings().batchSize(), node.settings(), lane > 0);
                backoff = 100;
                if (lease.items().isEmpty()) {
                    node.awaitWork();
                    continue;
                }
                node.wrote();
                List<LeasedContext> contexts = new ArrayList<>(lease.items().size());
                lease.items().forEach(item -> contexts.add(new LeasedContext(item)));
                inFlight = contexts;
                List<Outcome> outcomes = calls.run(slot(), contexts);
                settleHolding(outcomes, epoch);
                inFlight = List.of();
            } catch (FencedException e) {
                node.fenced(e);
                node.awaitWork();
            } catch (SQLException e) {
                node.databaseTrouble("slot " + slot.name() + " could not claim", e);
                backoff = pause(backoff);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            } catch (RuntimeException e) {
                node.slotFailed(slot, e);
                backoff = pause(backoff);
            }
        }
    }

    private void settleHolding(List<Outcome> outcomes, long epoch) {
        long backoff = 100;
        while (true) {
            try {
                Settlements.Settled settled = node.settlements().settle(node.id(), node.id() + "/" + slot.name(), outcomes);
                node.wrote();
                node.settled(slot, settled);
                return;
            } catch (SQLException e) {
                if (node.epoch() != epoch) {
                    node.dropped(slot, outcomes.size(), "this node was declared dead meanwhile");
                    return;
                }
                node.databaseTrouble("slot " + slot.name() + " holds " + outcomes.size() + " results", e);
                if (stopped) {
                    node.dropped(slot, outcomes.size(), "the node stopped before the database answered");
                    return;
                }
                backoff = pause(backoff);
            }
        }
    }

    private long pause(long backoffMs) {
        node.sleep(backoffMs);
        return Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
}
