package ai.batch.queue.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.batch.queue.SizeBucket;

/** The default {@link BatchItemHandler#processBatch}: one {@code process} call per item. */
class BatchItemHandlerTest {

    private final List<String> processed = new ArrayList<>();

    /** Overrides only {@code process}. */
    private final BatchItemHandler<String> handler = (data, context) -> {
        processed.add(data);
        return switch (data) {
            case "broken" -> throw new IllegalArgumentException("cannot read broken");
            case "silent" -> throw new IllegalStateException();
            case "offline" -> throw new IOException("connection refused");
            case "busy" -> throw new RetryableException("model busy");
            case "throttled" -> throw new RetryableException("rate limited", Duration.ofSeconds(2));
            case "nothing" -> null;
            default -> ItemResult.successWithOutput("tags of " + data);
        };
    };

    private static ItemContext context(String itemId, boolean cancelled) {
        return new ItemContext() {
            @Override
            public String jobId() {
                return "job";
            }

            @Override
            public String itemId() {
                return itemId;
            }

            @Override
            public String resourceKey() {
                return "m";
            }

            @Override
            public String operation() {
                return "tag";
            }

            @Override
            public SizeBucket sizeBucket() {
                return SizeBucket.SMALL;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }

    private List<ItemResult> processBatch(List<String> data) throws Exception {
        List<ItemContext> contexts = new ArrayList<>();
        for (String item : data) {
            contexts.add(context(item, false));
        }
        return handler.processBatch(data, contexts);
    }

    @Test
    void eachItemIsProcessedInOrderWithItsOwnResult() throws Exception {
        assertThat(processBatch(List.of("a", "b"))).containsExactly(ItemResult.successWithOutput("tags of a"),
                ItemResult.successWithOutput("tags of b"));
        assertThat(processed).containsExactly("a", "b");
    }

    @Test
    void anExceptionFailsOnlyItsOwnItem() throws Exception {
        assertThat(processBatch(List.of("a", "broken", "silent", "b"))).containsExactly(
                ItemResult.successWithOutput("tags of a"), ItemResult.failure("cannot read broken"),
                ItemResult.failure(IllegalStateException.class.getName()), ItemResult.successWithOutput("tags of b"));
    }

    @Test
    void failuresThatMayPassStayRetryable() throws Exception {
        List<ItemResult> results = processBatch(List.of("offline", "busy"));
        assertThat(results).containsExactly(ItemResult.retryableFailure("connection refused"),
                ItemResult.retryableFailure("model busy"));
    }

    @Test
    void aServersWishToWaitReachesTheResult() throws Exception {
        ItemResult result = processBatch(List.of("throttled")).get(0);
        assertThat(result.isRetryable()).isTrue();
        assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aNullResultIsAFailure() throws Exception {
        ItemResult result = processBatch(List.of("nothing")).get(0);
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.error()).isNotBlank();
    }

    @Test
    void cancelledItemsArePassedOver() throws Exception {
        List<ItemResult> results = handler.processBatch(List.of("a", "b", "c"),
                List.of(context("a", false), context("b", true), context("c", false)));
        assertThat(processed).containsExactly("a", "c");
        assertThat(results).hasSize(3);
        assertThat(results.get(1).isSuccess()).isFalse();
        assertThat(results.get(2)).isEqualTo(ItemResult.successWithOutput("tags of c"));
    }
}
