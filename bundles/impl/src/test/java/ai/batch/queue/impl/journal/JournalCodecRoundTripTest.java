package ai.batch.queue.impl.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.SizeBucket;
import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/**
 * Every kind of {@link Change}, found by reflection (a new kind is covered without touching this test), is
 * written and read back equal, and the change read back replays to the same queue as the original. Values are
 * made from each record component's type; a component of a type this test does not know fails it, so that the
 * test is extended rather than silently skipping the new field.
 */
class JournalCodecRoundTripTest {

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final String JOB = "j";

    static Stream<Class<?>> kinds() {
        Class<?>[] kinds = Change.class.getPermittedSubclasses();
        assertThat(kinds).as("Change is sealed").isNotNull().isNotEmpty();
        return Arrays.stream(kinds);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyKindOfChangeIsReadBackEqualAndReplaysTheSame(Class<?> kind) throws Exception {
        assertThat(kind.isRecord()).as("%s is a record", kind).isTrue();
        JournalCodec codec = new JournalCodec();
        boolean replayedOnce = false;
        for (Change change : variants(kind)) {
            JournalCodec.Decoded decoded = codec.decode(new String(codec.encode(7, change),
                    java.nio.charset.StandardCharsets.UTF_8).stripTrailing());
            assertThat(decoded.seq()).isEqualTo(7);
            assertThat(decoded.change()).as("%s read back", change).usingRecursiveComparison().isEqualTo(change);
            for (Consumer<CoreBatchQueue> state : states()) {
                CoreBatchQueue original = queueIn(state);
                CoreBatchQueue restored = queueIn(state);
                if (!replays(original, change)) {
                    continue;
                }
                assertThat(replays(restored, decoded.change())).as("%s replays as the original did", change)
                        .isTrue();
                assertThat(restored.listJobs()).isEqualTo(original.listJobs());
                assertThat(restored.isPaused()).isEqualTo(original.isPaused());
                replayedOnce = true;
            }
        }
        assertThat(replayedOnce).as("%s replays in at least one state of the queue", kind.getSimpleName()).isTrue();
    }

    private static boolean replays(CoreBatchQueue queue, Change change) {
        try {
            queue.admin().replay(change);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static CoreBatchQueue queueIn(Consumer<CoreBatchQueue> state) {
        CoreBatchQueue queue = new CoreBatchQueue(Clock.fixed(AT, ZoneOffset.UTC), new ModelAwarePlanner(),
                (message, error) -> { });
        state.accept(queue);
        return queue;
    }

    /** States of the queue a change may need: a job in each of its states, with an item in each of its own. */
    private static List<Consumer<CoreBatchQueue>> states() {
        Consumer<CoreBatchQueue> queued = queue -> {
            queue.enqueue(job("other"));
            queue.enqueue(job(JOB));
        };
        Consumer<CoreBatchQueue> running = queued.andThen(queue -> queue.markRunning(JOB));
        Consumer<CoreBatchQueue> itemRunning = running.andThen(queue -> queue.updateItem(JOB, "a",
                BatchItemStatus.RUNNING, null, null));
        Consumer<CoreBatchQueue> finishedWithFailure = itemRunning.andThen(queue -> {
            queue.updateItem(JOB, "a", BatchItemStatus.FAILED, "no", 3L);
            queue.markCompleted(JOB);
        });
        return List.of(queue -> { }, queued, running, itemRunning, finishedWithFailure);
    }

    private static BatchJob<Object> job(String id) {
        return BatchJob.of("llava", "tag", OverwritePolicy.SKIP, List.of(BatchItem.<Object>of("a", "a.jpg",
                SizeBucket.SMALL), BatchItem.<Object>of("b", 7L, SizeBucket.MEDIUM))).withId(id);
    }

    /** One change per value of each enum or boolean component (the other components fixed). */
    private static List<Change> variants(Class<?> kind) throws Exception {
        RecordComponent[] components = kind.getRecordComponents();
        Constructor<?> constructor = kind.getDeclaredConstructor(Arrays.stream(components)
                .map(RecordComponent::getType).toArray(Class<?>[]::new));
        List<Change> changes = new ArrayList<>();
        Object[] base = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            base[i] = value(components[i].getName(), components[i].getGenericType());
        }
        changes.add((Change) constructor.newInstance(base));
        for (int i = 0; i < components.length; i++) {
            for (Object other : alternatives(components[i].getType())) {
                Object[] args = base.clone();
                args[i] = other;
                changes.add((Change) constructor.newInstance(args));
            }
        }
        return changes;
    }

    private static List<Object> alternatives(Class<?> type) {
        if (type.isEnum()) {
            return Arrays.asList((Object[]) type.getEnumConstants());
        }
        if (type == boolean.class) {
            return List.of(true, false);
        }
        return List.of();
    }

    private static Object value(String name, Type type) throws Exception {
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
        if (raw == Instant.class) {
            return AT;
        }
        if (raw == String.class) {
            return switch (name) {
                case "jobId" -> JOB;
                case "itemId" -> "a";
                case "resourceKey", "loadedResource" -> "llava";
                case "operation" -> "tag";
                default -> "some " + name;
            };
        }
        if (raw == Long.class || raw == long.class) {
            return 42L;
        }
        if (raw == int.class || raw == Integer.class) {
            return 3;
        }
        if (raw == boolean.class) {
            return true;
        }
        if (raw == long[].class) {
            return new long[] {40L, 44L};
        }
        if (raw == boolean[].class) {
            return new boolean[] {true, false};
        }
        if (raw.isEnum()) {
            return raw.getEnumConstants()[raw.getEnumConstants().length - 1];
        }
        if (raw == BatchJob.class) {
            return job(JOB);
        }
        if (raw == Set.class) {
            return Set.of(value(name, elementType(type)));
        }
        if (raw == List.class) {
            return List.of(value(name, elementType(type)));
        }
        if (raw.isRecord()) {
            RecordComponent[] components = raw.getRecordComponents();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = value(components[i].getName(), components[i].getGenericType());
            }
            return raw.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(args);
        }
        throw new AssertionError("no test value for a component '" + name + "' of type " + type
                + ": teach this test the type");
    }

    private static Type elementType(Type type) {
        return ((ParameterizedType) type).getActualTypeArguments()[0];
    }
}
