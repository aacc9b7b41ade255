package ai.batch.queue.sim.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Models and job arrivals to replay.
 *
 * @param name short name
 * @param description what the trace stands for
 * @param models the models, by name
 * @param jobs the jobs, sorted by arrival time (ties keep their given order)
 * @param retryRounds how many times a job that ends with failed items is retried at once ({@code retryFailed})
 */
public record Trace(String name, String description, Map<String, ModelSpec> models, List<JobSpec> jobs,
        int retryRounds) {

    public Trace {
        if (retryRounds < 0) {
            throw new IllegalArgumentException("retryRounds must not be negative, was " + retryRounds);
        }
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("trace '" + name + "' has no jobs");
        }
        Set<String> ids = new HashSet<>();
        for (JobSpec job : jobs) {
            ModelSpec model = models.get(job.model());
            if (model == null) {
                throw new IllegalArgumentException("job " + job.id() + ": unknown model '" + job.model() + "'");
            }
            if (!ids.add(job.id())) {
                throw new IllegalArgumentException("duplicate job id '" + job.id() + "'");
            }
            job.items().stream().filter(bucket -> !model.handles(bucket)).findFirst().ifPresent(bucket -> {
                throw new IllegalArgumentException("job " + job.id() + ": model '" + model.name()
                        + "' has no item time for " + bucket.name().toLowerCase());
            });
        }
        List<JobSpec> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingLong(JobSpec::atMs)); // stable
        jobs = List.copyOf(sorted);
        models = Map.copyOf(new LinkedHashMap<>(models));
    }

    /** @return the model of a job */
    public ModelSpec modelOf(JobSpec job) {
        return models.get(job.model());
    }

    /** @return the number of items over all jobs */
    public int itemCount() {
        return jobs.stream().mapToInt(job -> job.items().size()).sum();
    }

    /** @return the models that have at least one job */
    public long usedModelCount() {
        return jobs.stream().map(JobSpec::model).distinct().count();
    }
}
