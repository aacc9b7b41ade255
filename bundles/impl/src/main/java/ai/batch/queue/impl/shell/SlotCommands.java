package ai.batch.queue.impl.shell;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.batch.queue.BatchQueue;
import ai.batch.queue.impl.executor.SlotSource;
import ai.batch.queue.impl.executor.SlotState;

/**
 * {@code batch:slots}: each slot (a runtime instance its handlers declare with {@code ai.batch.slot}), the models
 * it serves, the model it holds, the job it works on, and how many items and model switches it has had. Unlike the
 * other commands it reads the executor's own record of the slots, which no public API shows.
 */
@Component(service = SlotCommands.class, property = {"osgi.command.scope=batch", "osgi.command.function=slots"})
public final class SlotCommands {

    private final BatchQueue queue;
    private final SlotSource slots;

    @Activate
    public SlotCommands(@Reference(name = "queue") BatchQueue queue, @Reference(name = "slots") SlotSource slots) {
        this.queue = queue;
        this.slots = slots;
    }

    @Descriptor("the slots (runtimes declared with ai.batch.slot): models served, model held, job, items, loads")
    public String slots() {
        List<SlotState.Status> all = slots.slots();
        if (all.isEmpty()) {
            return "No slots: no handler declares ai.batch.slot, so each model runs on its one handler"
                    + " (batch:models lists what the runtimes hold).";
        }
        Map<String, String> shortIds = JobIds.shortIds(queue.listJobs());
        TextTable table = new TextTable("SLOT", "STATE", "MODEL", "JOB", "ITEMS", "LOADS", "SERVES");
        for (SlotState.Status slot : all) {
            table.row(slot.id(), slot.jobId() == null ? "idle" : "busy", slot.model() == null ? "-" : slot.model(),
                    slot.jobId() == null ? "-" : shortIds.getOrDefault(slot.jobId(), slot.jobId()), slot.items(),
                    slot.loads(), String.join(", ", new TreeSet<>(slot.serves())));
        }
        return table.toString().stripTrailing();
    }
}
