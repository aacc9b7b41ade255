package ai.batch.queue;

/** Looks up enum constants by the wire name they carry in JSON and event properties. */
final class WireNames {

    private WireNames() {
    }

    static <E extends Enum<E>> E find(E[] constants, java.util.function.Function<E, String> wireName,
            String wireNameToFind, String kind) {
        for (E constant : constants) {
            if (wireName.apply(constant).equals(wireNameToFind)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown " + kind + " '" + wireNameToFind + "'");
    }
}
