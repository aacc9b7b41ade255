package ai.batch.queue.itests;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ItemContext;
import ai.batch.queue.handler.ItemResult;

/**
 * A handler whose behaviour each item's data chooses: {@code ok} (default), {@code fail}, {@code throw},
 * {@code error} (throws an Error), {@code null}, {@code block} (waits for release or cancellation),
 * {@code hang} (waits for release and ignores interrupts), {@code failOnce} (fails on the first call only).
 * Data starting with {@code done} is reported as already processed by {@link #shouldSkip}.
 */
public final class ScriptedHandler implements BatchItemHandler<String> {

    private final String name;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> skipQuestions = new CopyOnWriteArrayList<>();
    private final List<String> sawCancellation = new CopyOnWriteArrayList<>();
    private final List<String> interrupted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> started = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> finished = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public ScriptedHandler(String name) {
        this.name = name;
    }

    @Override
    public ItemResult process(String data, ItemContext context) throws Exception {
        calls.add(context.itemId());
        started.add(context.itemId());
        try {
            return script(data, context);
        } finally {
            finished.add(context.itemId());
        }
    }

    private ItemResult script(String data, ItemContext context) throws Exception {
        switch (data) {
            case "fail":
                return ItemResult.failure("scripted failure of " + context.itemId());
            case "throw":
                throw new IllegalStateException("scripted exception in " + context.itemId());
            case "error":
                throw new NoClassDefFoundError("scripted/MissingClass");
            case "null":
                return null;
            case "failOnce":
                return calls.stream().filter(context.itemId()::equals).count() == 1
                        ? ItemResult.failure("first attempt fails") : ItemResult.successWithOutput(name + ":retried");
            case "block":
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.add(context.itemId());
                }
                if (context.isCancelled()) {
                    sawCancellation.add(context.itemId());
                }
                return ItemResult.successWithOutput("late result of " + context.itemId());
            case "hang":
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        interrupted.add(context.itemId()); // a badly behaved handler ignores interrupts
                    }
                }
                return ItemResult.successWithOutput("hung result");
            default:
                return ItemResult.successWithOutput(name + ":" + data);
        }
    }

    @Override
    public boolean shouldSkip(String data, String operation) {
        skipQuestions.add(data);
        return data.startsWith("done");
    }

    /** Waits until the handler has started an item and returns its id. */
    public String awaitStart() throws InterruptedException {
        String itemId = started.poll(EventRecorder.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (itemId == null) {
            throw new AssertionError("Handler " + name + " started no item within " + EventRecorder.DEADLINE);
        }
        return itemId;
    }

    /** Waits until the call for this item has returned (or thrown). */
    public void awaitFinish(String itemId) throws InterruptedException {
        long deadline = System.nanoTime() + EventRecorder.DEADLINE.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String done = finished.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (done == null) {
                throw new AssertionError("Handler " + name + " did not finish " + itemId + " within "
                        + EventRecorder.DEADLINE);
            }
            if (done.equals(itemId)) {
                return;
            }
        }
    }

    /** Lets blocked and hanging calls return. */
    public void release() {
        release.countDown();
    }

    public List<String> calls() {
        return calls;
    }

    public List<String> skipQuestions() {
        return skipQuestions;
    }

    public List<String> sawCancellation() {
        return sawCancellation;
    }

    public List<String> interrupted() {
        return interrupted;
    }
}
