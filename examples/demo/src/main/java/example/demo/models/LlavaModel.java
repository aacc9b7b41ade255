package example.demo.models;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.batch.queue.handler.BatchHandler;
import ai.batch.queue.handler.BatchItemHandler;

/** Simulated {@code llava:13b}: loads in 1500 ms; small/medium/large items take 150/250/450 ms; fails 0.05 of items. */
@Component(service = BatchItemHandler.class)
@BatchHandler(resource = "llava:13b")
public final class LlavaModel extends SimulatedModel {

    @Activate
    public LlavaModel(@Reference(name = "gpu") SimulatedGpu gpu) {
        super(gpu, "llava:13b", 1500, 150, 250, 450, 0.05);
    }
}
