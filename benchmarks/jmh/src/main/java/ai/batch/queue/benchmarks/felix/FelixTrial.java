package ai.batch.queue.benchmarks.felix;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the benchmarks on the queue in Felix share: one framework per trial, stopped at its end, and the finished
 * jobs purged after every operation (outside the measurement) so that the queue does not grow from one
 * operation to the next.
 */
public abstract class FelixTrial {

    /** The framework with the queue; started by the subclass's trial setup. */
    protected FelixQueue felix;

    @TearDown(Level.Invocation)
    public void purgeFinishedJobs() {
        felix.purgeFinished();
    }

    @TearDown(Level.Trial)
    public void stopFramework() {
        try {
            beforeStop();
        } finally {
            if (felix != null) {
                felix.close();
            }
        }
    }

    /** Runs at the end of the trial, before the framework stops; a subclass's last checks and clean-up. */
    protected void beforeStop() {
    }
}
