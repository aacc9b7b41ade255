package ai.batch.queue.impl.core;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import ai.batch.queue.BatchCompletionSummary;
import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.BatchJobStatus;
import ai.batch.queue.impl.notify.QueueListener;

/** Records every notification as a short line, plus the typed payloads tests look into. */
final class RecordingListener implements QueueListener {

    record Ended(BatchCompletionSummary summary, BatchJobStatus status) {
    }

    private final List<String> lines = new ArrayList<>();
    private final List<ItemProgress> progress = new ArrayList<>();
    private final List<Ended> ended = new ArrayList<>();
    private final List<List<BatchJob<?>>> plans = new ArrayList<>();
    private final boolean wantsEstimates;

    /** A listener that asks for the remaining-time estimate with every finished item. */
    RecordingListener() {
        this(true);
    }

    RecordingListener(boolean wantsEstimates) {
        this.wantsEstimates = wantsEstimates;
    }

    @Override
    public boolean wantsItemEstimates() {
        return wantsEstimates;
    }

    @Override
    public synchronized void jobQueued(BatchJob<?> job, QueuedCause cause) {
        lines.add((cause == QueuedCause.RETRIED ? "retried " : "queued ") + job.id());
    }

    @Override
    public synchronized void jobStarted(BatchJob<?> job, String previousResource, String switchReason) {
        lines.add("started " + job.id());
    }

    @Override
    public synchronized void itemStarted(String jobId, BatchItem<?> item, String slot) {
        lines.add("itemStarted " + jobId + "/" + item.id());
    }

    @Override
    public synchronized void itemFinished(ItemProgress p) {
        progress.add(p);
        lines.add("itemFinished " + p.jobId() + "/" + p.item().id() + " " + p.item().status() + " "
                + p.completed() + "/" + p.total());
    }

    @Override
    public synchronized void jobEnded(BatchCompletionSummary summary, BatchJobStatus status) {
        ended.add(new Ended(summary, status));
        lines.add("ended " + summary.jobId() + " " + status);
    }

    @Override
    public synchronized void jobCancelled(BatchJob<?> job, boolean wasRunning) {
        lines.add("cancelled " + job.id() + (wasRunning ? " running" : " queued"));
    }

    @Override
    public synchronized void itemCancelled(String jobId, String itemId) {
        lines.add("itemCancelled " + jobId + "/" + itemId);
    }

    @Override
    public synchronized void planChanged(List<BatchJob<?>> plan) {
        plans.add(plan);
        lines.add("plan " + plan.stream().map(BatchJob::id).collect(Collectors.joining(",")));
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines without plan changes, for tests about the other notifications. */
    synchronized List<String> linesWithoutPlans() {
        return lines.stream().filter(line -> !line.startsWith("plan ")).toList();
    }

    synchronized List<ItemProgress> progress() {
        return List.copyOf(progress);
    }

    synchronized List<Ended> ended() {
        return List.copyOf(ended);
    }

    synchronized List<List<BatchJob<?>>> plans() {
        return List.copyOf(plans);
    }

    synchronized void clear() {
        lines.clear();
        progress.clear();
        ended.clear();
        plans.clear();
    }
}
