package example.demo.models;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.batch.queue.handler.BatchHandler;
import ai.batch.queue.handler.BatchItemHandler;

/** Simulated {@code bakllava}: loads in 1200 ms; small/medium/large items take 120/200/350 ms; fails 0.04 of items. */
@Component(service = BatchItemHandler.class)
@BatchHandler(resource = "bakllava")
public final class BakllavaModel extends SimulatedModel {

    @Activate
    public BakllavaModel(@Reference(name = "gpu") SimulatedGpu gpu) {
        super(gpu, "bakllava", 1200, 120, 200, 350, 0.04);
    }
}
