package ai.batch.queue.fleet;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import ai.batch.queue.handler.BatchItemHandler;

/**
 * One slot of this node: one runtime, driven by one or more handler services (a node's plain handlers together,
 * or the handlers that name the same {@code ai.batch.slot}). Which member runs a model follows the contract's rule:
 * a handler naming the model beats a {@code "*"} handler, then the higher {@code service.ranking}, then the lower
 * {@code service.id}.
 *
 * @param name the slot's name, unique on this node (the fleet knows it as {@code node/name})
 * @param members its handlers
 */
record FleetSlot(String name, List<Member> members) {

    /**
     * One handler of a slot.
     *
     * @param handler the handler
     * @param models the models it serves ({@code "*"} for any)
     * @param ranking its {@code service.ranking}
     * @param serviceId its {@code service.id}
     * @param batchSize its {@code ai.batch.batchSize}: items per call, 1 for one {@code process} call each
     * @param concurrency its {@code ai.batch.concurrency}: calls it takes at the same time
     */
    record Member(BatchItemHandler<Object> handler, Set<String> models, int ranking, long serviceId, int batchSize,
            int concurrency) {

        public Member {
            Objects.requireNonNull(handler, "handler");
            models = Set.copyOf(models);
            if (batchSize < 1 || concurrency < 1) {
                throw new IllegalArgumentException("A handler's batch size and concurrency must be at least 1, not "
                        + batchSize + " and " + concurrency);
            }
        }

        boolean names(String model) {
            return models.contains(model);
        }

        boolean serves(String model) {
            return models.contains(model) || models.contains(BatchItemHandler.ANY_RESOURCE);
        }
    }

    FleetSlot {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }

    /** A slot of one handler (service id 0, ranking 0). */
    static FleetSlot of(String name, BatchItemHandler<Object> handler, Set<String> models, int batchSize) {
        return new FleetSlot(name, List.of(new Member(handler, models, 0, 0, batchSize, 1)));
    }

    /** @return how many calls the slot runs at once: its members' largest {@code ai.batch.concurrency} */
    int concurrency() {
        return members.stream().mapToInt(Member::concurrency).max().orElse(1);
    }

    /** @return the models its members serve */
    Set<String> serves() {
        Set<String> models = new LinkedHashSet<>();
        members.forEach(m -> models.addAll(m.models()));
        return models;
    }

    /** @return the member that runs the model, or {@code null} when none serves it */
    Member memberFor(String model) {
        return members.stream().filter(m -> m.serves(model))
                .min(Comparator.comparing((Member m) -> !m.names(model)).thenComparing(m -> -m.ranking())
                        .thenComparingLong(Member::serviceId))
                .orElse(null);
    }
}
