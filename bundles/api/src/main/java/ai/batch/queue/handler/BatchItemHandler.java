package ai.batch.queue.handler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Processes the items of jobs for one or more models. Register implementations as OSGi services with the
 * {@link #RESOURCE} property (or the {@link BatchHandler} component property type); the queue picks them up,
 * as a whiteboard, while it runs.
 *
 * <h2>Which handler runs a job</h2>
 * A handler whose {@link #RESOURCE} names the job's resource key exactly beats a {@code "*"} handler; among
 * equals, the higher {@code service.ranking} wins, then the lower {@code service.id}. A job with no matching
 * handler stays QUEUED (other jobs run) and starts as soon as one is registered. Handlers that declare a
 * {@link #SLOT} share the work of their models instead (see there).
 *
 * <h2>Threading and outcomes</h2>
 * {@link #process} is called on a queue thread, one item at a time per job unless the handler declares
 * {@link #CONCURRENCY}, never while the queue holds a lock. Its outcome maps to the item's status:
 * <ul>
 * <li>{@link ItemResult#success()} or {@link ItemResult#successWithOutput(String)}: COMPLETED, output kept;</li>
 * <li>{@link ItemResult#failure(String)}: FAILED with that error;</li>
 * <li>an exception: FAILED with the exception's message (or its class name when it has none);</li>
 * <li>{@code null}: FAILED with an error saying the handler returned no result;</li>
 * <li>no answer within the configured item timeout: FAILED with an error containing "timed out".</li>
 * </ul>
 * When the item or its job is cancelled, {@link ItemContext#isCancelled()} turns {@code true} and the calling
 * thread is interrupted; the queue discards the late result. A handler that does not return within a second of
 * being stopped is abandoned: the job goes on on another thread and the stuck call's thread ends whenever the
 * handler lets it go.
 *
 * @param <D> the item data type this handler understands
 */
@ConsumerType
public interface BatchItemHandler<D> {

    /**
     * Service property naming the models this handler serves: a String or String[] of resource keys;
     * {@code "*"} serves any model.
     */
    String RESOURCE = "ai.batch.resource";

    /**
     * Service property naming the class of the item data this handler takes (a String, e.g.
     * {@code "com.example.Photo"}). Needed only for data that is not a JDK type: after a restart the queue
     * rebuilds such data from its journal as JSON and converts it, with the handler's class loader, to the class
     * the handler declares; it never instantiates a class just because the journal names it. An item whose
     * restored data no handler declares fails with an error saying so.
     *
     * @since 1.1
     */
    String DATA_TYPE = "ai.batch.dataType";

    /**
     * Service property declaring that this handler is thread-safe and may be called for up to this many items of
     * one job at the same time (an Integer, or a String holding one, from 1 to 256; default 1). Worth it for
     * handlers that wait on something else: a remote model server, a pool of CPU workers. Items then start in
     * order but may finish out of order; events keep the order in which they finished. An invalid value is
     * logged, naming the service, and the handler is called for one item at a time.
     *
     * @since 1.1
     */
    String CONCURRENCY = "ai.batch.concurrency";

    /**
     * Service property declaring that this handler takes up to this many items of one job in one call to
     * {@link #processBatch} (an Integer, or a String holding one, from 1 to 1024; default 1: one item per call to
     * {@link #process}). Worth it where one call amortizes its cost over several items: GPU or ONNX inference,
     * embedding endpoints. The queue groups consecutive pending items of a job; each item keeps its own status,
     * error, share of the call's duration and {@code item_progress} event. An invalid value is logged, naming the
     * service, and means 1.
     *
     * @since 1.2
     */
    String BATCH_SIZE = "ai.batch.batchSize";

    /**
     * Service property declaring that this handler drives one runtime instance of its own, a <em>slot</em> (a
     * String naming it, unique among the handlers of the models it serves: a server's name or address, a
     * device). A blank value declares nothing.
     *
     * <p>A model whose preferred handler (the rule above) is a slot is served by <em>every</em> slot that serves
     * it: the queue keeps them all busy at once, loads each model as few times as possible across them (a slot
     * stays on a model it holds; a model no slot holds goes to one idle slot only; a second slot takes a model
     * another slot holds only when that model's remaining work is worth a load), and may run the items of one
     * job on several slots at once. The job stays one job to every observer: one {@code job_started}, one
     * {@code item_progress} per item with a {@code completed} count that rises by one, one {@code job_completed}.
     * Item and model events name the slot ({@code slot}). A {@link ModelLifecycle} registered with the same
     * {@code ai.batch.slot} value tells the queue which models that slot holds.
     *
     * <p>Handlers that declare no slot keep the rule above exactly: one handler per model.
     *
     * <pre>
     * &#64;Component(property = {"ai.batch.resource=llava:13b", "ai.batch.slot=gpu-box-2"})
     * public class SecondBoxTagger implements BatchItemHandler&lt;Path&gt; { … }
     * </pre>
     *
     * @since 1.4
     */
    String SLOT = "ai.batch.slot";

    /** The value of {@link #RESOURCE} that matches any resource key. */
    String ANY_RESOURCE = "*";

    /**
     * Processes one item.
     *
     * @param data the item's data, as the caller enqueued it
     * @param context the job, item and model, and a cancellation flag to poll in long work
     * @return the result; never {@code null}
     * @throws Exception to fail the item with the exception's message
     */
    ItemResult process(D data, ItemContext context) throws Exception;

    /**
     * Processes several consecutive items of one job in one call; called instead of {@link #process} when the
     * handler declares {@link #BATCH_SIZE} above 1, with at most that many items. The default calls
     * {@link #process} for each item in turn, an exception failing only its own item, and passes over items
     * already cancelled.
     *
     * <p>Each result belongs to the item at the same position. A result for an item cancelled meanwhile is
     * discarded: that item's {@link ItemContext#isCancelled()} turns {@code true}, but the call is not interrupted
     * for it while other items of the call remain. An exception thrown by the call fails every item of it (or, for
     * a failure that may pass, puts each back for another attempt), as does a list of the wrong size. The call
     * may take the configured item timeout once for each of its items; each item records an even share of the
     * call's duration.
     *
     * @param data the items' data, in the job's order
     * @param contexts one context per item, at the same positions
     * @return one result per item, at the same positions; never {@code null}
     * @throws Exception to fail every item of the call with the exception's message
     * @since 1.2
     */
    default List<ItemResult> processBatch(List<D> data, List<ItemContext> contexts) throws Exception {
        List<ItemResult> results = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            ItemContext context = contexts.get(i);
            if (context.isCancelled()) {
                results.add(ItemResult.failure("cancelled"));
                continue;
            }
            try {
                ItemResult result = process(data.get(i), context);
                results.add(result != null ? result : ItemResult.failure("The handler returned no result"));
            } catch (RetryableException e) {
                results.add(ItemResult.retryableFailure(messageOf(e), e.retryAfter()));
            } catch (IOException e) {
                results.add(ItemResult.retryableFailure(messageOf(e)));
            } catch (Exception e) {
                results.add(ItemResult.failure(messageOf(e)));
            }
        }
        return results;
    }

    private static String messageOf(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /**
     * Asked before processing an item of a job whose policy is
     * {@link ai.batch.queue.OverwritePolicy#SKIP}: {@code true} marks the item SKIPPED without processing it
     * (for example because it already has tags). Never asked under OVERWRITE. An exception here fails the
     * item.
     *
     * @param data the item's data
     * @param operation the job's operation
     * @return {@code true} to skip
     */
    default boolean shouldSkip(D data, String operation) {
        return false;
    }
}
