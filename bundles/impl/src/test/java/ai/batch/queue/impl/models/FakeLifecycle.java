package ai.batch.queue.impl.models;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import ai.batch.queue.handler.LoadedModel;
import ai.batch.queue.handler.ModelLifecycle;

/** A runtime that holds models in a set, counts every call, and can be made to fail or hang. */
final class FakeLifecycle implements ModelLifecycle {

    private final int capacity;
    private final Set<String> held = new LinkedHashSet<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    volatile CountDownLatch hangUntil;

    FakeLifecycle(int capacity, String... loaded) {
        this.capacity = capacity;
        held.addAll(List.of(loaded));
    }

    @Override
    public synchronized List<LoadedModel> loadedModels() throws Exception {
        answer("list");
        List<LoadedModel> models = new ArrayList<>();
        held.forEach(model -> models.add(LoadedModel.of(model, -1, null)));
        return models;
    }

    @Override
    public void load(String resourceKey) throws Exception {
        answer("load " + resourceKey);
        synchronized (this) {
            held.add(resourceKey);
        }
    }

    @Override
    public void unload(String resourceKey) throws Exception {
        answer("unload " + resourceKey);
        synchronized (this) {
            held.remove(resourceKey);
        }
    }

    /** The model starts serving: a handler loads it lazily. */
    synchronized void servedLazily(String resourceKey) {
        held.add(resourceKey);
    }

    synchronized Set<String> held() {
        return Set.copyOf(held);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private void answer(String call) throws Exception {
        calls.add(call);
        CountDownLatch hang = hangUntil;
        if (hang != null && !call.equals("list")) {
            hang.await();
        }
        if (failing) {
            throw new IllegalStateException("runtime down");
        }
    }
}
