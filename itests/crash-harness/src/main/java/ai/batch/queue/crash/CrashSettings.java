package ai.batch.queue.crash;

import java.nio.file.Path;

/**
 * What one life of the harness is told on the command line ({@code -D} system properties of the launcher JVM).
 *
 * @param dir the work directory shared by all lives ({@code crash.dir}): call log, markers, final state
 * @param life the number of this life, from 1 ({@code crash.life})
 * @param items how many items the whole workload has ({@code crash.items})
 * @param jobs how many jobs the items are spread over ({@code crash.jobs})
 * @param deadlineMs how long this life waits for the workload to finish before giving up
 *        ({@code crash.deadline.s}, in seconds)
 * @param minWorkMs the shortest simulated handler call ({@code crash.work.min.ms})
 * @param maxWorkMs the longest simulated handler call ({@code crash.work.max.ms})
 */
record CrashSettings(Path dir, int life, int items, int jobs, long deadlineMs, int minWorkMs, int maxWorkMs) {

    static final int DEFAULT_ITEMS = 1_400;
    static final int DEFAULT_JOBS = 6;
    static final int DEFAULT_DEADLINE_S = 240;
    static final int DEFAULT_MIN_WORK_MS = 5;
    static final int DEFAULT_MAX_WORK_MS = 40;

    CrashSettings {
        if (life < 1) {
            throw new IllegalArgumentException("crash.life must be at least 1, was " + life);
        }
        if (jobs < 1 || items < jobs) {
            throw new IllegalArgumentException("need at least one job and one item per job, got crash.jobs=" + jobs
                    + ", crash.items=" + items);
        }
        if (minWorkMs < 0 || maxWorkMs < minWorkMs) {
            throw new IllegalArgumentException("bad simulated work range " + minWorkMs + ".." + maxWorkMs + " ms");
        }
    }

    /** Reads the settings from the system properties; {@code crash.dir} and {@code crash.life} are required. */
    static CrashSettings fromSystemProperties() {
        String dir = System.getProperty("crash.dir");
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("system property crash.dir (the work directory) is not set");
        }
        return new CrashSettings(Path.of(dir), intProperty("crash.life", -1), intProperty("crash.items", DEFAULT_ITEMS),
                intProperty("crash.jobs", DEFAULT_JOBS), intProperty("crash.deadline.s", DEFAULT_DEADLINE_S) * 1000L,
                intProperty("crash.work.min.ms", DEFAULT_MIN_WORK_MS),
                intProperty("crash.work.max.ms", DEFAULT_MAX_WORK_MS));
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            if (fallback < 0) {
                throw new IllegalArgumentException("system property " + name + " is not set");
            }
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + " must be a whole number, was '" + value
                    + "'", e);
        }
    }
}
