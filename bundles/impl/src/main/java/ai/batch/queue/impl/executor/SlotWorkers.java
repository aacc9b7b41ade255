package ai.batch.queue.impl.executor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import ai.batch.queue.BatchJob;
import ai.batch.queue.impl.core.ExecutorQueue;
import ai.batch.queue.impl.handlers.HandlerRegistration;
import ai.batch.queue.impl.handlers.HandlerRegistry;
import ai.batch.queue.impl.plan.ClaimPolicy;

/**
 * Runs the jobs of models served by slots: one thread per slot claims work through {@link ClaimPolicy} and joins
 * that job's shared {@link JobRun} with its own handler, so the items of one job may run on several slots at once
 * while each job stays one job to every observer. Claims are made one at a time (under {@code claimLock}), so
 * two idle slots never load one model at once.
 */
final class SlotWorkers {

    /** What the workers need of the executor that owns them. */
    interface Host {
        /** @return the current wake-up generation */
        long generation();

        /** Waits until the generation moves past {@code seen}. @return {@code false} when closing */
        boolean awaitChange(long seen);

        /** @return whether the executor may start jobs */
        boolean enabled();

        /** @return what every run shares */
        JobRun.Context context();

        /** @return {@code slots.stealFactor} as configured now */
        double stealFactor();
    }

    private final ExecutorQueue queue;
    private final HandlerRegistry handlers;
    private final Host host;
    private final Logger logger;
    private final String threadPrefix;
    private final Object claimLock = new Object();
    private final Map<String, SlotState> slots = new LinkedHashMap<>(); // guarded by claimLock
    private final Map<String, JobRun> runs = new HashMap<>(); // shared runs by job id; guarded by claimLock
    private boolean closed; // guarded by claimLock
    private Map<String, Set<String>> reported = Map.of(); // guarded by claimLock

    SlotWorkers(ExecutorQueue queue, HandlerRegistry handlers, Host host, Logger logger, String threadPrefix) {
        this.queue = queue;
        this.handlers = handlers;
        this.host = host;
        this.logger = logger;
        this.threadPrefix = threadPrefix;
    }

    /** Starts a worker for each new slot and retires those whose handlers are all gone. */
    void refresh() {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (HandlerRegistration registration : handlers.all()) {
            if (registration.isSlot()) {
                declared.computeIfAbsent(registration.slot(), id -> new LinkedHashSet<>())
                        .addAll(registration.resources());
            }
        }
        List<SlotState> started = new ArrayList<>();
        synchronized (claimLock) {
            if (closed) {
                return;
            }
            slots.values().removeIf(slot -> {
                if (!declared.containsKey(slot.id)) {
                    slot.retire();
                    return true;
                }
                return false;
            });
            declared.forEach((id, serves) -> {
                SlotState slot = slots.get(id);
                if (slot == null) {
                    slot = new SlotState(id);
                    slot.reported(reported.getOrDefault(id, Set.of()));
                    slots.put(id, slot);
                    started.add(slot);
                }
                slot.serve(serves);
            });
        }
        for (SlotState slot : started) {
            Thread worker = new Thread(() -> work(slot), threadPrefix + "-slot-" + slot.id);
            worker.setDaemon(true);
            slot.thread = worker;
            worker.start();
        }
    }

    /** What the slots' runtimes say they hold, by slot name (from their lifecycle services). */
    void reported(Map<String, Set<String>> bySlot) {
        synchronized (claimLock) {
            reported = Map.copyOf(bySlot);
            slots.forEach((id, slot) -> slot.reported(bySlot.getOrDefault(id, Set.of())));
        }
    }

    /** @return every slot as it is now, in the order they appeared */
    List<SlotState.Status> status() {
        synchronized (claimLock) {
            return slots.values().stream().map(SlotState::status).toList();
        }
    }

    /** Stops the workers; their runs end through the executor's own stopping of calls. */
    void close(long timeoutMs) {
        List<SlotState> stopping;
        synchronized (claimLock) {
            closed = true;
            stopping = new ArrayList<>(slots.values());
            slots.clear();
        }
        for (SlotState slot : stopping) {
            slot.retire();
            Thread thread = slot.thread;
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join(timeoutMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void work(SlotState slot) {
        while (!slot.retired() && !Thread.currentThread().isInterrupted()) {
            long seen = host.generation();
            Claimed claimed;
            try {
                claimed = claim(slot);
            } catch (RuntimeException e) {
                logger.error("Slot {} failed to claim work; it tries again on the next change", slot.id, e);
                claimed = null;
            }
            if (claimed == null) {
                if (!host.awaitChange(seen)) {
                    return;
                }
                continue;
            }
            try {
                claimed.run.join(claimed.lane, claimed.lanes);
            } catch (InterruptedException e) {
                return; // closing: the run's calls are stopped by the executor and its lanes end by themselves
            } finally {
                slot.left();
            }
        }
    }

    private record Claimed(JobRun run, Lane lane, int lanes) {
    }

    /** @return what the slot takes now, or {@code null} if nothing */
    private Claimed claim(SlotState slot) {
        if (!host.enabled() || queue.isPaused()) {
            return null;
        }
        synchronized (claimLock) {
            if (closed || slot.retired()) {
                return null;
            }
            runs.values().removeIf(JobRun::isClosed);
            List<ExecutorQueue.JobDemand> demand = queue.demand();
            List<ClaimPolicy.Slot> view = slots.values().stream().map(SlotState::view).toList();
            ClaimPolicy.Claim claim = ClaimPolicy.claim(view, work(demand), slot.id, host.stealFactor());
            if (claim.kind() == ClaimPolicy.Kind.IDLE) {
                return null;
            }
            Optional<HandlerRegistration> handler = handlers.selectOnSlot(slot.id, claim.model());
            ClaimPolicy.Slot before = slot.view();
            JobRun run = handler.isEmpty() ? null
                    : runFor(claim.model(), new ExecutorQueue.SlotStart(slot.lastModel(), before.holds()));
            if (run == null) {
                return null;
            }
            slot.took(claim.model(), run.job.id());
            Lane lane = new Lane(handler.get(), slot.id, slot.itemsDone, !before.holds().contains(claim.model()));
            return new Claimed(run, lane, handler.get().concurrency());
        }
    }

    /** @return a shared run of the model with items left to take, else a newly started job of it, else null */
    private JobRun runFor(String model, ExecutorQueue.SlotStart starter) {
        for (JobRun run : runs.values()) {
            if (run.job.resourceKey().equals(model) && run.claimable() > 0) {
                return run;
            }
        }
        Optional<BatchJob<?>> started = queue.startNext(key -> key.equals(model) && handlers.servesBySlots(key),
                starter);
        if (started.isEmpty()) {
            return null;
        }
        JobRun run = new JobRun(started.get(), host.context(), true);
        runs.put(started.get().id(), run);
        return run;
    }

    /**
     * The work per model not yet taken, for models served by slots: that of the shared runs first (they started
     * first), then the queued jobs in the plan's order.
     */
    private List<ClaimPolicy.Work> work(List<ExecutorQueue.JobDemand> demand) {
        Map<String, WorkSum> byModel = new LinkedHashMap<>();
        for (ExecutorQueue.JobDemand job : demand) {
            if (!job.running()) {
                continue;
            }
            JobRun run = runs.get(job.jobId());
            if (run != null) {
                int left = run.claimable();
                double share = job.openItems() == 0 ? 0 : (double) left / job.openItems();
                byModel.computeIfAbsent(job.model(), WorkSum::new).add(left, job.remainingMs() * share, job);
            }
        }
        for (ExecutorQueue.JobDemand job : demand) {
            if (!job.running() && handlers.servesBySlots(job.model())) {
                byModel.computeIfAbsent(job.model(), WorkSum::new).add(job.openItems(), job.remainingMs(), job);
            }
        }
        return byModel.values().stream().map(WorkSum::work).toList();
    }

    /** The work of one model, summed over its jobs. */
    private static final class WorkSum {
        private final String model;
        private int items;
        private double remainingMs;
        private double loadMs = Double.NaN;
        private boolean aged;

        WorkSum(String model) {
            this.model = model;
        }

        void add(int moreItems, double moreMs, ExecutorQueue.JobDemand job) {
            items += moreItems;
            remainingMs += moreMs; // NaN, once any job's work is unknown
            loadMs = job.loadMs();
            aged |= job.aged();
        }

        ClaimPolicy.Work work() {
            return new ClaimPolicy.Work(model, items, remainingMs, loadMs, aged);
        }
    }
}
