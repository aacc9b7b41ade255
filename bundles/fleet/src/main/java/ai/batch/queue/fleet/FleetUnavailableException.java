package ai.batch.queue.fleet;

import java.sql.SQLException;

/**
 * The fleet's database did not answer a queue call; nothing was changed by it (its transaction rolled back).
 * Callers may try again.
 */
final class FleetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FleetUnavailableException(String what, SQLException cause) {
        super("The fleet database did not answer " + what + ": " + cause.getMessage() + " (nothing was changed; try again)", cause);
    }
}
