package ai.batch.queue.sim.slots;

import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.run.ItemOutcomes;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

/**
 * One run of one item: its first attempt or a retry. Which runs a trace has does not depend on the schedule:
 * times and failures are drawn from the item's identity ({@link ItemOutcomes}), and a failed item is retried
 * while its job has retry rounds left, so the bounds can be computed from the trace alone.
 *
 * @param job the job's index in the trace
 * @param item the item's index in the job
 * @param attempt 0 for the first run, then one more per retry round
 * @param model the model that runs it
 * @param bucket its size
 * @param ms how long it takes, load excluded
 * @param failed whether it fails (and is retried if rounds are left)
 * @param arrivalMs when its job arrives (a retry is released later, when its round ends)
 */
public record ItemRun(int job, int item, int attempt, String model, SizeBucket bucket, long ms, boolean failed,
        long arrivalMs) {

    /** @return the identity of this run: job, item, attempt */
    public String key() {
        return job + "/" + item + "/" + attempt;
    }

    /** @return every run of every item of the trace, retries included, in job, item, attempt order */
    public static List<ItemRun> allOf(Trace trace, long seed) {
        ItemOutcomes outcomes = new ItemOutcomes(seed);
        List<ItemRun> runs = new ArrayList<>();
        for (int j = 0; j < trace.jobs().size(); j++) {
            JobSpec job = trace.jobs().get(j);
            ModelSpec model = trace.modelOf(job);
            for (int i = 0; i < job.items().size(); i++) {
                SizeBucket bucket = job.items().get(i);
                for (int attempt = 0; attempt <= trace.retryRounds(); attempt++) {
                    ItemOutcomes.Outcome outcome = outcomes.of(j, i, attempt, model, bucket);
                    runs.add(new ItemRun(j, i, attempt, job.model(), bucket, outcome.ms(), outcome.failed(),
                            job.atMs()));
                    if (!outcome.failed()) {
                        break;
                    }
                }
            }
        }
        return runs;
    }
}
