package ai.batch.queue.sim.run;

/**
 * A mean absolute percentage error and what it rests on.
 *
 * @param percent the MAPE in percent, NaN without samples
 * @param samples estimates compared
 * @param missing estimates the queue could not give (no timing data yet), left out of the mean
 */
public record Mape(double percent, int samples, int missing) {

    public boolean defined() {
        return !Double.isNaN(percent);
    }
}
