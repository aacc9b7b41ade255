package ai.batch.queue.impl.journal;

import java.util.HashMap;
import java.util.Map;

import ai.batch.queue.impl.core.Change;
import ai.batch.queue.impl.core.ChangeVisitor;

/**
 * What the journal file is made of, in bytes: the records compaction would keep (those of jobs still in the
 * queue, and pause changes) and those it would drop (removed jobs, earlier checkpoints, model load times, which
 * the checkpoint's statistics carry). Compacting rewrites the whole file, so it is done only when it drops at
 * least half of it; a journal of jobs retention keeps would otherwise be rewritten over and over for nothing.
 * Not thread-safe: the journal uses it under its lock.
 */
final class Occupancy {

    private static final ChangeVisitor<String> JOB_OF = new JobOf();

    private final Map<String, Long> bytesByJob = new HashMap<>();
    private long fileBytes;
    private long droppable;

    /** A record of {@code bytes} was added to the file. */
    void add(Change change, long bytes) {
        fileBytes += bytes;
        String jobId = change.accept(JOB_OF);
        if (change instanceof Change.Purged) {
            Long jobBytes = bytesByJob.remove(jobId);
            droppable += bytes + (jobBytes == null ? 0 : jobBytes);
        } else if (jobId != null) {
            bytesByJob.merge(jobId, bytes, Long::sum);
        } else if (!(change instanceof Change.PauseChanged)) {
            droppable += bytes;
        }
    }

    /** The file was compacted to {@code bytes}, of which {@code checkpointBytes} are its checkpoint. */
    void compacted(long bytes, long checkpointBytes) {
        fileBytes = bytes;
        droppable = checkpointBytes;
    }

    /** @return whether compacting would drop at least half of the file */
    boolean worthCompacting() {
        return droppable > 0 && droppable * 2 >= fileBytes;
    }

    long fileBytes() {
        return fileBytes;
    }

    long droppableBytes() {
        return droppable;
    }

    /** The job a change belongs to, or {@code null} for a change of the whole queue. */
    private static final class JobOf implements ChangeVisitor<String> {

        @Override
        public String enqueued(Change.Enqueued change) {
            return change.job().id();
        }

        @Override
        public String started(Change.Started change) {
            return change.jobId();
        }

        @Override
        public String itemUpdated(Change.ItemUpdated change) {
            return change.jobId();
        }

        @Override
        public String retryScheduled(Change.RetryScheduled change) {
            return change.jobId();
        }

        @Override
        public String completed(Change.Completed change) {
            return change.jobId();
        }

        @Override
        public String jobCancelled(Change.JobCancelled change) {
            return change.jobId();
        }

        @Override
        public String itemCancelled(Change.ItemCancelled change) {
            return change.jobId();
        }

        @Override
        public String retried(Change.Retried change) {
            return change.jobId();
        }

        @Override
        public String requeued(Change.Requeued change) {
            return change.jobId();
        }

        @Override
        public String pauseChanged(Change.PauseChanged change) {
            return null;
        }

        @Override
        public String moved(Change.Moved change) {
            return change.jobId();
        }

        @Override
        public String priorityChanged(Change.PriorityChanged change) {
            return change.jobId();
        }

        @Override
        public String checkpoint(Change.Checkpoint change) {
            return null;
        }

        @Override
        public String purged(Change.Purged change) {
            return change.jobId();
        }

        @Override
        public String loadMeasured(Change.LoadMeasured change) {
            return null;
        }
    }
}
