package ai.batch.queue.runtime.kit;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The slots the configurations of one bundle declare, to catch one slot name given to two servers: a slot is one
 * runtime, so the queue would take the two servers for one, believe a model loaded on both when one holds it, and
 * plan its loads wrong. Two configurations of the same server (other models, say) share its slot rightly and are
 * not reported. A bundle sees only its own configurations; a clash with another bundle's handler goes unseen.
 *
 * <p>A clash is reported, not refused: which configuration came first depends on the order ConfigAdmin delivers
 * them, and refusing the later one would make a restart drop a different server each time.
 */
public final class SlotClaims {

    private record Claim(String owner, String identity) {
    }

    private final Map<String, List<Claim>> claims = new HashMap<>();

    /**
     * Records that a configuration declares a slot for a server.
     *
     * @param slot the slot name
     * @param server the server's URL (never shown with a login, query or fragment)
     * @param owner what names the configuration in a log line, e.g. its PID ({@link #owner})
     * @return a warning naming the slot, both configurations and both servers, when another configuration of this
     *         bundle declares the same slot for another server; else empty
     */
    public synchronized Optional<String> claim(String slot, URI server, String owner) {
        Claim claim = new Claim(owner, SlotNames.identity(server));
        List<Claim> holders = claims.computeIfAbsent(slot, key -> new ArrayList<>());
        holders.removeIf(other -> other.owner().equals(owner));
        List<String> others = holders.stream().filter(other -> !other.identity().equals(claim.identity()))
                .map(other -> other.owner() + " (" + other.identity() + ")").toList();
        holders.add(claim);
        if (others.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Slot '" + slot + "' is declared by " + owner + " (" + claim.identity() + ") and by "
                + String.join(" and by ", others) + ": a slot is one runtime, so the queue takes these servers for "
                + "one and plans their model loads wrong. Give each server its own ai.batch.slot, or leave it "
                + "empty to name each after its address.");
    }

    /**
     * Forgets a configuration's slot, when it goes away.
     *
     * @param slot the slot it claimed
     * @param owner as given to {@link #claim}
     */
    public synchronized void release(String slot, String owner) {
        List<Claim> holders = claims.get(slot);
        if (holders != null) {
            holders.removeIf(claim -> claim.owner().equals(owner));
            if (holders.isEmpty()) {
                claims.remove(slot);
            }
        }
    }

    /**
     * @param properties a configuration's properties
     * @return what names it in a log line: its {@code service.pid}, else its component id, else a placeholder
     */
    public static String owner(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid != null) {
            return "configuration " + pid;
        }
        Object id = properties.get("component.id");
        return id != null ? "component " + id : "a configuration";
    }
}
