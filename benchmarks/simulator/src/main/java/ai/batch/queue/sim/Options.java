package ai.batch.queue.sim;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Command-line options.
 *
 * @param seed the seed of generated traces, item times and failures
 * @param quick small traces (CI)
 * @param maxWait the model-aware planner's maximum wait
 * @param noise item-time noise of generated traces
 * @param trace a JSON-lines trace to replay instead of the generated ones, or {@code null}
 * @param out a file to write the report to as well, or {@code null}
 * @param residency print the model-residency comparison instead of the planner report
 * @param keepWarmMs how long an idle model stays loaded in the residency comparison, 0 for ever
 * @param slots print the multi-slot comparison instead of the planner report
 * @param batch with {@code slots}: the most items one claim takes
 * @param stealFactor with {@code slots}: the claim policy's steal factor
 */
public record Options(long seed, boolean quick, Duration maxWait, double noise, Path trace, Path out,
        boolean residency, long keepWarmMs, boolean slots, int batch, double stealFactor) {

    public static final long DEFAULT_SEED = 42;
    public static final Duration FULL_MAX_WAIT = Duration.ofMinutes(10);
    public static final Duration QUICK_MAX_WAIT = Duration.ofMinutes(2);
    /** The queue's default {@code models.keepWarmMs}. */
    public static final long DEFAULT_KEEP_WARM_MS = 300_000;
    /** The default batch of the slot comparison. */
    public static final int DEFAULT_BATCH = 4;

    static final String USAGE = """
            usage: java -jar ai-batch-queue-simulator.jar [options]
              --seed N          seed for generated traces, item times and failures (default 42)
              --quick           small traces for CI: maxWait 120 s (steady stream 300 s), 40 Zipf jobs
              --max-wait-ms N   maxWait of the model-aware planner (default 600000; 120000 with --quick)
              --noise F         item-time noise of generated traces, 0 <= F < 1 (default 0.2 = uniform +-20%)
              --trace FILE      replay this JSON-lines trace instead of the generated ones (see SIMULATOR.md)
              --out FILE        also write the report to FILE
              --residency       compare model residency instead: the runtime alone (FIFO), the queue, and the
                                queue with preloading and resident models, on runtimes holding 1 and 2 models
              --keep-warm-ms N  with --residency: an idle model is unloaded after N ms, 0: never (default 300000)
              --slots           run the traces on 1 to 4 slots through ClaimPolicy instead, against lower bounds
              --batch N         with --slots: the most items one claim takes (default 4)
              --steal-factor F  with --slots: the claim policy's steal factor (default 2.0)
              --help            this text
            """;

    /** @throws IllegalArgumentException naming the bad option */
    public static Options parse(String... args) {
        long seed = DEFAULT_SEED;
        boolean quick = false;
        Long maxWaitMs = null;
        double noise = 0.2;
        Path trace = null;
        Path out = null;
        boolean residency = false;
        long keepWarmMs = DEFAULT_KEEP_WARM_MS;
        boolean slots = false;
        long batch = DEFAULT_BATCH;
        double stealFactor = ai.batch.queue.impl.plan.ClaimPolicy.DEFAULT_STEAL_FACTOR;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--seed" -> seed = number(arg, value(args, ++i, arg));
                case "--quick" -> quick = true;
                case "--max-wait-ms" -> maxWaitMs = number(arg, value(args, ++i, arg));
                case "--noise" -> noise = fraction(arg, value(args, ++i, arg));
                case "--trace" -> trace = Path.of(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--residency" -> residency = true;
                case "--keep-warm-ms" -> keepWarmMs = number(arg, value(args, ++i, arg));
                case "--slots" -> slots = true;
                case "--batch" -> batch = number(arg, value(args, ++i, arg));
                case "--steal-factor" -> stealFactor = decimal(arg, value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (maxWaitMs != null && maxWaitMs <= 0) {
            throw new IllegalArgumentException("--max-wait-ms must be greater than 0, was " + maxWaitMs);
        }
        if (keepWarmMs < 0) {
            throw new IllegalArgumentException("--keep-warm-ms must not be negative, was " + keepWarmMs);
        }
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("--batch must be from 1 to 1000, was " + batch);
        }
        if (!(stealFactor >= 0) || Double.isInfinite(stealFactor)) {
            throw new IllegalArgumentException("--steal-factor must be a number >= 0, was " + stealFactor);
        }
        Duration maxWait = maxWaitMs != null ? Duration.ofMillis(maxWaitMs) : quick ? QUICK_MAX_WAIT : FULL_MAX_WAIT;
        return new Options(seed, quick, maxWait, noise, trace, out, residency, keepWarmMs, slots, (int) batch,
                stealFactor);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static long number(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + text + "'");
        }
    }

    private static double decimal(String option, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, was '" + text + "'");
        }
    }

    private static double fraction(String option, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, was '" + text + "'");
        }
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be in [0, 1), was " + value);
        }
        return value;
    }
}
