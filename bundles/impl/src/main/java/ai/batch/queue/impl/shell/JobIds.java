package ai.batch.queue.impl.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchQueue;

/**
 * Job ids as the shell shows and reads them. Shown: the first 8 characters, as git shows commits, more where two
 * ids share those. Read: a whole id, or a prefix of at least {@value #MIN_PREFIX} characters that only one job has;
 * a shorter or shared prefix is refused with the jobs it matches, so that a slip never acts on the wrong job.
 */
final class JobIds {

    static final int SHORT = 8;
    static final int MIN_PREFIX = 4;
    private static final int LISTED = 10;

    private JobIds() {
    }

    /** @return id to its short form, for every job given */
    static Map<String, String> shortIds(List<BatchJob<?>> jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(job -> ids.add(job.id()));
        ids.sort(null);
        Map<String, String> shorter = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            int length = SHORT;
            if (i > 0) {
                length = Math.max(length, common(id, ids.get(i - 1)) + 1);
            }
            if (i + 1 < ids.size()) {
                length = Math.max(length, common(id, ids.get(i + 1)) + 1);
            }
            shorter.put(id, id.substring(0, Math.min(id.length(), length)));
        }
        return shorter;
    }

    /** @return the job's short id among the queue's jobs now */
    static String shortId(BatchQueue queue, String id) {
        return shortIds(queue.listJobs()).getOrDefault(id, id);
    }

    /**
     * @return the one job the id or prefix names
     * @throws CommandFailure.Error when none does, or several, or the prefix is too short to be sure
     */
    static BatchJob<?> find(BatchQueue queue, String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw CommandFailure.refuse("A job id (or at least " + MIN_PREFIX + " characters of one) is needed.");
        }
        Optional<BatchJob<?>> exact = queue.getJob(idOrPrefix);
        if (exact.isPresent()) {
            return exact.get();
        }
        List<BatchJob<?>> jobs = queue.listJobs();
        List<BatchJob<?>> matches = jobs.stream().filter(job -> job.id().startsWith(idOrPrefix)).toList();
        String shown = ShellText.visible(idOrPrefix);
        if (matches.isEmpty()) {
            throw CommandFailure.refuse("No job with id '" + shown + "' (see batch:jobs).");
        }
        if (matches.size() > 1) {
            throw CommandFailure.refuse("'" + shown + "' matches " + matches.size() + " jobs; give more of the id:"
                    + candidates(matches, shortIds(jobs)));
        }
        if (idOrPrefix.length() < MIN_PREFIX) {
            throw CommandFailure.refuse("'" + shown + "' is too short to be sure; give at least " + MIN_PREFIX
                    + " characters of the id:" + candidates(matches, shortIds(jobs)));
        }
        return matches.get(0);
    }

    private static String candidates(List<BatchJob<?>> matches, Map<String, String> shortIds) {
        StringBuilder out = new StringBuilder();
        TextTable table = new TextTable("", "", "", "");
        matches.stream().limit(LISTED).forEach(job -> table.row(shortIds.get(job.id()), job.resourceKey(),
                job.operation(), job.status().wireName()));
        table.toString().lines().skip(1).forEach(line -> out.append("\n  ").append(line));
        if (matches.size() > LISTED) {
            out.append("\n  … and ").append(matches.size() - LISTED).append(" more");
        }
        return out.toString();
    }

    private static int common(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
