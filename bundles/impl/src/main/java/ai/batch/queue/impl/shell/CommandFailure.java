package ai.batch.queue.impl.shell;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * How a command says it could not do what was asked. Gogo prints a command's exception as
 * {@code gogo: <simple class name>: <message>}, and a script stops at it; so the commands throw {@link Error}, whose
 * name makes that line read {@code gogo: Error: No job with id 'x' (see batch:jobs).}, never a queue exception with
 * the queue's internal wording.
 */
final class CommandFailure {

    private CommandFailure() {
    }

    /** A command's refusal: its message is a sentence meant for the user. */
    static final class Error extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Error(String sentence) {
            super(sentence, null, false, false);
        }
    }

    /** Thrown where a command finds the problem itself. */
    static Error refuse(String sentence) {
        return new Error(sentence);
    }

    /**
     * Runs a command body; the queue's argument and state exceptions that the body did not turn into a sentence
     * itself become one.
     *
     * @param what what the command was doing, e.g. "cancel job 1a2b3c4d", for the fallback sentence
     */
    static <T> T guard(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (NoSuchElementException | IllegalStateException | IllegalArgumentException e) {
            throw new Error("Could not " + what + ": " + reason(e) + ".");
        }
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? "the queue refused" : ShellText.visible(e.getMessage());
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
