package ai.batch.queue.impl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class QueueSettingsTest {

    private static QueueSettings read(Map<String, Object> properties) {
        return QueueSettings.from(Converters.standardConverter().convert(properties).to(QueueConfig.class));
    }

    @Test
    void executorSettingsTakeTheConfigurationDefaultsForEverythingElse() {
        QueueSettings defaults = read(Map.of("persistence.enabled", false));
        QueueSettings executor = QueueSettings.executor(defaults.executorEnabled(), defaults.concurrentJobs(),
                defaults.itemTimeoutMs(), defaults.threadNamePrefix());
        assertThat(executor).isEqualTo(defaults);
    }

    @Test
    void everyInvalidValueIsRejectedByItsKey() {
        Map<String, Object> bad = Map.ofEntries(Map.entry("executor.concurrentJobs", 0),
                Map.entry("item.timeout.ms", 0L), Map.entry("executor.threadName", " "),
                Map.entry("retry.maxAttempts", 0), Map.entry("retry.initialBackoffMs", -1L),
                Map.entry("planner.maxWaitMs", 0L), Map.entry("retention.maxAgeMs", 0L),
                Map.entry("retention.maxFinishedJobs", -1), Map.entry("events.maxBacklog", 0),
                Map.entry("events.progress.maxRate", Double.POSITIVE_INFINITY),
                Map.entry("slots.stealFactor", -1.0));
        bad.forEach((key, value) -> assertThatThrownBy(() -> read(Map.of(key, value)))
                .as(key).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(key));
        assertThatThrownBy(() -> read(Map.of("retry.initialBackoffMs", 10L, "retry.maxBackoffMs", 5L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("retry.maxBackoffMs");
    }

    @Test
    void durationsAreTheMillisecondValues() {
        QueueSettings settings = read(Map.of("planner.maxWaitMs", 1234L, "retention.maxAgeMs", 5678L));
        assertThat(settings.plannerMaxWait().toMillis()).isEqualTo(1234L);
        assertThat(settings.retentionMaxAge().toMillis()).isEqualTo(5678L);
    }

    /**
     * A key added to {@link QueueConfig} but not carried into {@link QueueSettings#from} would be accepted and
     * silently ignored: every key, set to another valid value, must change the settings.
     */
    @Test
    void everyKeyOfTheConfigurationReachesTheSettings() throws Exception {
        QueueSettings defaults = read(Map.of());
        for (Method attribute : QueueConfig.class.getDeclaredMethods()) {
            Map<String, Object> changed = new HashMap<>();
            changed.put(key(attribute), anotherValidValue(attribute));
            assertThat(read(changed)).as(key(attribute)).isNotEqualTo(defaults);
        }
    }

    /** The bundle README's configuration table names every key users can set. */
    @Test
    void everyKeyIsDocumentedInTheReadme() throws IOException {
        Path readme = Paths.get("README.md"); // this bundle's README holds its configuration table
        String text = Files.readString(readme);
        for (Method attribute : QueueConfig.class.getDeclaredMethods()) {
            assertThat(text).as("README row for " + key(attribute)).contains("`" + key(attribute) + "`");
        }
    }

    private static String key(Method attribute) {
        return attribute.getName().replace('_', '.');
    }

    private static Object anotherValidValue(Method attribute) {
        Object value = attribute.getDefaultValue();
        if (value instanceof Boolean flag) {
            return !flag;
        } else if (value instanceof Integer number) {
            return number + 1;
        } else if (value instanceof Long number) {
            return number + 1;
        } else if (value instanceof Double number) {
            return number + 1;
        } else if (value instanceof String text) {
            return text + "x";
        }
        throw new AssertionError("no other value known for " + key(attribute) + " of " + attribute.getReturnType());
    }
}
