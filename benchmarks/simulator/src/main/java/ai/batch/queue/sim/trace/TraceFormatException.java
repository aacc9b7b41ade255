package ai.batch.queue.sim.trace;

/** A trace file line that cannot be used; the message starts with its line number. */
public final class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;

    public TraceFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    /** @return the 1-based line number, or 0 for a problem of the whole file */
    public int line() {
        return line;
    }
}
