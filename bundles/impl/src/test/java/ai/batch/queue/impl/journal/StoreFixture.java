package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchJob;
import ai.batch.queue.OverwritePolicy;
import ai.batch.queue.impl.core.CoreBatchQueue;
import ai.batch.queue.impl.plan.ModelAwarePlanner;

/** Opens queues on one journal directory, as successive starts of the application would. */
final class StoreFixture implements AutoCloseable {

    private final Path directory;
    private final List<DurableStore> open = new ArrayList<>();
    final List<Exception> writeFailures = new ArrayList<>();

    StoreFixture(Path directory) {
        this.directory = directory;
    }

    CoreBatchQueue open() throws IOException {
        return open(JournalFiles.SYSTEM);
    }

    CoreBatchQueue open(JournalFiles files) throws IOException {
        ReplayClock clock = new ReplayClock();
        CoreBatchQueue queue = new CoreBatchQueue(clock, new ModelAwarePlanner(), (message, error) -> { });
        open.add(DurableStore.open(directory, queue.admin(), clock, writeFailures::add, "test", files));
        return queue;
    }

    DurableStore store() {
        return open.get(open.size() - 1);
    }

    DurableStore.Report report() {
        return store().report();
    }

    /** Stops every queue opened so far, as a stop of the application would. */
    void restart() {
        open.forEach(DurableStore::close);
        open.clear();
    }

    Path journal() {
        return directory.resolve(Journal.FILE_NAME);
    }

    static <D> BatchJob<D> job(String id, String model, List<BatchItem<D>> items) {
        return BatchJob.of(model, "tag", OverwritePolicy.SKIP, items).withId(id);
    }

    @Override
    public void close() {
        restart();
    }
}
