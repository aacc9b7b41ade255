package ai.batch.queue.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;
import ai.batch.queue.handler.RetryableException;

/**
 * Calls a slot's handler for a leased micro-batch on a thread of the slot's own, with a deadline of the item
 * timeout per item: a call past it is interrupted and left behind (its thread is replaced), and its items fail
 * with "timed out". Under SKIP policy {@code shouldSkip} is asked first. Each item gets one {@link Outcome}.
 */
final class ItemCalls {

    private final String threadName;
    private final Duration itemTimeout;
    private final int maxAttempts;
    private final long backoffMs;
    private ExecutorService calls;
    private volatile Future<?> current;
    private volatile List<LeasedContext> currentContexts = List.of();

    ItemCalls(String threadName, Duration itemTimeout, int maxAttempts, long backoffMs) {
        this.threadName = threadName;
        this.itemTimeout = itemTimeout;
        this.maxAttempts = maxAttempts;
        this.backoffMs = backoffMs;
        this.calls = newThread();
    }

    private ExecutorService newThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the items; one outcome per item, in their order. */
    List<Outcome> run(FleetSlot slot, List<LeasedContext> contexts) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>(contexts.size());
        if (contexts.isEmpty()) {
            return outcomes;
        }
        String model = contexts.get(0).item().resourceKey();
        FleetSlot.Member member = slot.memberFor(model);
        if (member == null) {
            return all(contexts, c -> Outcome.retry(c.item(), "Slot " + slot.name() + " no longer serves " + model, 0));
        }
        List<LeasedContext> toRun = new ArrayList<>();
        for (LeasedContext context : contexts) {
            ClaimedItem item = context.item();
            if (item.dataError() != null) {
                outcomes.add(Outcome.failed(item, item.dataError(), null));
                continue;
            }
            if (item.policy() == OverwritePolicy.SKIP) {
                try {
                    if (member.handler().shouldSkip(item.data(), item.operation())) {
                        outcomes.add(Outcome.skipped(item));
                        continue;
                    }
                } catch (RuntimeException e) {
                    outcomes.add(Outcome.failed(item, "shouldSkip failed: " + message(e), null));
                    continue;
                }
            }
            toRun.add(context);
        }
        if (member.batchSize() > 1) {
            outcomes.addAll(call(member, toRun));
        } else {
            for (LeasedContext context : toRun) {
                outcomes.addAll(call(member, List.of(context)));
            }
        }
        return outcomes;
    }

    private List<Outcome> call(FleetSlot.Member member, List<LeasedContext> contexts) throws InterruptedException {
        if (contexts.isEmpty()) {
            return List.of();
        }
        List<Object> data = new ArrayList<>(contexts.size());
        List<ItemContext> views = new ArrayList<>(contexts.size());
        for (LeasedContext context : contexts) {
            data.add(context.item().data());
            views.add(context);
        }
        long start = System.nanoTime();
        Future<List<ItemResult>> call = calls.submit(() -> contexts.size() == 1 && member.batchSize() == 1
                ? List.of(orFailure(member.handler().process(data.get(0), views.get(0))))
                : member.handler().processBatch(data, views));
        List<ItemResult> results;
        currentContexts = contexts;
        current = call;
        try {
            interruptIfAllCancelled(); // a cancel that came before the call started
            results = call.get(itemTimeout.toMillis() * contexts.size(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.CancellationException e) {
            return all(contexts, c -> Outcome.failed(c.item(), "cancelled", elapsed(start))); // refused: the item is CANCELLED
        } catch (TimeoutException e) {
            call.cancel(true);
            calls.shutdownNow();
            calls = newThread(); // the hung call keeps its thread; this slot goes on with a fresh one
            return all(contexts, c -> Outcome.failed(c.item(), "Item timed out after " + itemTimeout.toMillis() + " ms", elapsed(start)));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            long retryAfter = cause instanceof RetryableException retryable && retryable.retryAfter() != null
                    ? retryable.retryAfter().toMillis() : -1;
            boolean mayPass = cause instanceof RetryableException || cause instanceof java.io.IOException;
            return all(contexts, c -> mayPass ? retryOrFail(c.item(), message(cause), retryAfter, elapsed(start))
                    : Outcome.failed(c.item(), message(cause), elapsed(start)));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } finally {
            current = null;
            currentContexts = List.of();
        }
        long share = elapsed(start) / contexts.size();
        if (results == null || results.size() != contexts.size()) {
            String error = "The handler returned " + (results == null ? "no list" : results.size() + " results")
                    + " for " + contexts.size() + " items";
            return all(contexts, c -> Outcome.failed(c.item(), error, share));
        }
        List<Outcome> outcomes = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            outcomes.add(outcome(contexts.get(i).item(), orFailure(results.get(i)), share));
        }
        return outcomes;
    }

    private Outcome outcome(ClaimedItem item, ItemResult result, long durationMs) {
        if (result.isSuccess()) {
            return Outcome.completed(item, durationMs, result.output());
        }
        if (result.isRetryable()) {
            return retryOrFail(item, result.error(), result.retryAfter() == null ? -1 : result.retryAfter().toMillis(),
                    durationMs);
        }
        return Outcome.failed(item, result.error(), durationMs);
    }

    private Outcome retryOrFail(ClaimedItem item, String error, long retryAfterMs, long durationMs) {
        if (item.attempt() >= maxAttempts) {
            return Outcome.failed(item, error, durationMs);
        }
        long backoff = Math.min(300_000L, backoffMs << Math.min(20, item.attempt() - 1));
        return Outcome.retry(item, error, Math.max(backoff, retryAfterMs));
    }

    private static ItemResult orFailure(ItemResult result) {
        return result != null ? result : ItemResult.failure("The handler returned no result");
    }

    private static List<Outcome> all(List<LeasedContext> contexts, java.util.function.Function<LeasedContext, Outcome> each) {
        List<Outcome> outcomes = new ArrayList<>(contexts.size());
        contexts.forEach(c -> outcomes.add(each.apply(c)));
        return outcomes;
    }

    private static long elapsed(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /** Interrupts the call in progress when every item it runs was cancelled; its results would be refused. */
    void interruptIfAllCancelled() {
        Future<?> call = current;
        List<LeasedContext> contexts = currentContexts;
        if (call != null && !contexts.isEmpty() && contexts.stream().allMatch(LeasedContext::isCancelled)) {
            call.cancel(true);
        }
    }

    void close() {
        calls.shutdownNow();
    }
}
