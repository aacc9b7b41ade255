package ai.batch.queue.itests;

import java.nio.file.Path;

/**
 * How one launcher process of the crash test ended.
 *
 * @param number the life number passed as {@code crash.life}, from 1
 * @param killAfterMs when the test meant to kill it, or -1 for the final life, which runs to its end
 * @param killed whether it was still running then and was killed (SIGKILL)
 * @param exitCode the process's exit code (137 after SIGKILL on Linux), or -1 if it did not end in time
 * @param ranMs how long it ran
 * @param log its standard output and error
 */
record CrashLife(int number, long killAfterMs, boolean killed, int exitCode, long ranMs, Path log) {

    boolean isFinal() {
        return killAfterMs < 0;
    }

    boolean exitedByItself() {
        return !isFinal() && !killed;
    }
}
