package ai.batch.queue.sim.slots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.batch.queue.SizeBucket;
import ai.batch.queue.sim.trace.JobSpec;
import ai.batch.queue.sim.trace.ModelSpec;
import ai.batch.queue.sim.trace.Trace;

/** The two traces made for the slot comparison, besides the five generated ones. */
public final class SlotScenarios {

    private SlotScenarios() {
    }

    /** One model (load 5 s, every item 1 s, no noise): 30 jobs of 10 items, all queued at t = 0. */
    public static Trace oneModel() {
        ModelSpec model = new ModelSpec("m", 5_000, Map.of(SizeBucket.SMALL, 1_000L), 0, 0);
        List<JobSpec> jobs = new ArrayList<>();
        for (int j = 0; j < 30; j++) {
            jobs.add(new JobSpec("one-" + j, 0, "m", "tag", java.util.Collections.nCopies(10, SizeBucket.SMALL)));
        }
        return new Trace("one-model", "one model, load 5 s, 300 uniform items of 1 s, all queued at t = 0",
                Map.of("m", model), jobs, 0);
    }

    /**
     * Five models (load 300 ms; small, medium, large items 150, 250, 400 ms, ±20 %), 8 jobs each of 6 items
     * (sizes drawn from the seed), queued at t = 0 interleaved: a, b, c, d, e, a, b, …
     */
    public static Trace fiveModels(long seed) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        List<String> names = List.of("model-a", "model-b", "model-c", "model-d", "model-e");
        for (String name : names) {
            models.put(name, new ModelSpec(name, 300, Map.of(SizeBucket.SMALL, 150L, SizeBucket.MEDIUM, 250L,
                    SizeBucket.LARGE, 400L), 0.2, 0));
        }
        Random random = new Random(seed * 31 + 6);
        SizeBucket[] sizes = {SizeBucket.SMALL, SizeBucket.MEDIUM, SizeBucket.LARGE};
        List<JobSpec> jobs = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (String name : names) {
                List<SizeBucket> items = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    items.add(sizes[random.nextInt(sizes.length)]);
                }
                jobs.add(new JobSpec(name + "-" + round, 0, name, "tag", items));
            }
        }
        return new Trace("five-models", "five models interleaved (a, b, c, d, e, a, …), load 300 ms, 8 jobs of 6"
                + " items each, all queued at t = 0", models, jobs, 0);
    }
}
