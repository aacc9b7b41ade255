package example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import ai.batch.queue.BatchEvents;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.BatchQueue;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;

/** What the demo prints for the queue's events, fed here by hand. */
class ProgressViewTest {

    private static final String JOB = "0c36591d-1111-4a11-a6ab-71451bda850a";
    private static final String EARLIER = "bfb809cd-2222-4a11-a6ab-71451bda850a";

    private final Map<String, BatchJob<?>> jobs = new HashMap<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** The two reads the view makes of the queue; anything else is not expected. */
    private final BatchQueue queue = (BatchQueue) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BatchQueue.class}, (proxy, method, args) -> switch (method.getName()) {
                case "estimateRemainingMs" -> OptionalLong.empty();
                case "getJob" -> Optional.ofNullable(jobs.get((String) args[0]));
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Event event(String topic, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Event(topic, properties);
    }

    private void runJob(ProgressView view) {
        view.handleEvent(event(BatchEvents.TOPIC_JOB_STARTED, BatchEvents.JOB_ID, JOB, BatchEvents.RESOURCE_KEY,
                "moondream", BatchEvents.OPERATION, "tag", BatchEvents.TOTAL_ITEMS, 3));
        view.handleEvent(progress("IMG_0001.jpg", "completed", null, 1));
        view.handleEvent(progress("IMG_0002.jpg", "failed", "moondream ran out of GPU memory on IMG_0002.jpg", 2));
        view.handleEvent(progress("done_IMG_0003.jpg", "skipped", null, 3));
        view.tick();
        view.handleEvent(event(BatchEvents.TOPIC_JOB_COMPLETED, BatchEvents.JOB_ID, JOB, BatchEvents.STATUS,
                "completedWithErrors", BatchEvents.SUCCEEDED, 1, BatchEvents.FAILED, 1, BatchEvents.SKIPPED, 1));
    }

    private static Event progress(String item, String status, String error, int completed) {
        Map<String, Object> properties = new HashMap<>(Map.of(BatchEvents.JOB_ID, JOB, BatchEvents.ITEM_ID, item,
                BatchEvents.STATUS, status, BatchEvents.COMPLETED, completed, BatchEvents.TOTAL, 3,
                BatchEvents.ETA_REMAINING_MS, 100L));
        if (error != null) {
            properties.put(BatchEvents.ERROR, error);
        }
        return new Event(BatchEvents.TOPIC_ITEM_PROGRESS, properties);
    }

    @Test
    void eachFailureShowsItsReasonOnceAndSkippedItemsSayWhy() {
        ProgressView view = new ProgressView(queue, out, Terminal.plain(), false);
        runJob(view);
        assertThat(output()).containsOnlyOnce(
                "  ! IMG_0002.jpg failed: moondream ran out of GPU memory on IMG_0002.jpg\n");
        assertThat(output()).contains("1 ok, 1 failed, 1 skipped");
        assertThat(output()).containsPattern("\n    moondream  tag       \\[#{20}\\]   3/3   ETA 0\\.\\d s  \\(1 failed\\)\n");
        assertThat(output().replaceAll("\n +", " ")).contains("skipped done_IMG_0003.jpg: each already had a result,"
                + " and under OverwritePolicy.SKIP the queue leaves such an item as it is");
        assertThat(output()).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(output().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void plannerNotesUseShortIdsAndFitTheWidth() {
        BatchJob<String> moved = BatchJob.restore(JOB, "moondream", "tag", OverwritePolicy.SKIP,
                List.of(BatchItem.of("a", "a.jpg", SizeBucket.SMALL)), BatchJobStatus.QUEUED, null, null, null,
                true, "Runs before bakllava/describe (job " + EARLIER + ", queued earlier): it shares model "
                        + "'moondream' with an earlier job, so the model loads once");
        jobs.put(JOB, moved);
        ProgressView view = new ProgressView(queue, out, new Terminal(false, false, 60), false);
        view.handleEvent(event(BatchEvents.TOPIC_PLAN_CHANGED, BatchEvents.JOB_IDS, new String[] {JOB}));
        view.handleEvent(event(BatchEvents.TOPIC_PLAN_CHANGED, BatchEvents.JOB_IDS, new String[] {JOB}));
        assertThat(output()).startsWith("  ^ planner: moondream tag moves up. Runs before\n      bakllava/describe")
                .contains("(job bfb809cd, queued earlier)").doesNotContain(EARLIER).doesNotContain("2222");
        assertThat(output()).containsOnlyOnce("^ planner");
        assertThat(output().lines()).hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void aTerminalWithNoColorRedrawsWithoutEscapes() {
        ProgressView view = new ProgressView(queue, out, Terminal.of(true, Map.of("NO_COLOR", "1"), null), false);
        runJob(view);
        assertThat(output()).doesNotContain("\u001b").contains("\r").contains("[####################]   3/3");
        assertThat(output()).containsOnlyOnce("IMG_0002.jpg failed");
    }

    @Test
    void aColourTerminalRedrawsInPlace() {
        ProgressView view = new ProgressView(queue, out, Terminal.of(true, Map.of(), null), false);
        runJob(view);
        assertThat(output()).contains("\r\u001b[2K");
    }

    @Test
    void besideTheShellThereAreNoBars() {
        ProgressView view = new ProgressView(queue, out, Terminal.of(true, Map.of(), null), true);
        runJob(view);
        assertThat(output()).doesNotContain("[###").doesNotContain("\r").contains("IMG_0002.jpg failed")
                .contains("completedWithErrors");
    }
}
