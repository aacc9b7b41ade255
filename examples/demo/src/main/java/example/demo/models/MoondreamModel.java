package example.demo.models;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.batch.queue.handler.BatchHandler;
import ai.batch.queue.handler.BatchItemHandler;

/** Simulated {@code moondream}: loads in 800 ms; small/medium/large items take 80/120/200 ms; fails 0.03 of items. */
@Component(service = BatchItemHandler.class)
@BatchHandler(resource = "moondream")
public final class MoondreamModel extends SimulatedModel {

    @Activate
    public MoondreamModel(@Reference(name = "gpu") SimulatedGpu gpu) {
        super(gpu, "moondream", 800, 80, 120, 200, 0.03);
    }
}
