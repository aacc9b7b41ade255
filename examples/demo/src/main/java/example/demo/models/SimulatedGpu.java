package example.demo.models;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;

import ai.batch.queue.handler.ItemContext;

/**
 * One simulated GPU shared by the demo models: it holds one model at a time, and loading another one takes that
 * model's load time. Time runs {@link #speed()} times faster than real time.
 */
@Component(service = SimulatedGpu.class)
public final class SimulatedGpu {

    private final Random random = new Random(42);
    private String loaded;
    private int loads;
    private volatile double speed = 1.0;
    private volatile double failureRate = -1;

    /** @param factor 2 runs everything twice as fast */
    public void setSpeed(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("speed must be greater than 0, was " + factor);
        }
        speed = factor;
    }

    /** @param rate the share of items that fail on every model, in [0, 1]; negative: each model's own rate */
    public void setFailureRate(double rate) {
        if (!(rate <= 1)) {
            throw new IllegalArgumentException("failure rate must be at most 1, was " + rate);
        }
        failureRate = rate;
    }

    /** @return the share of items that fail: the one set for every model, or else the model's own */
    double failureRate(double modelRate) {
        double rate = failureRate;
        return rate >= 0 ? rate : modelRate;
    }

    public double speed() {
        return speed;
    }

    /** @return how many times a model was loaded since the GPU started */
    public synchronized int loads() {
        return loads;
    }

    /** @return whether the model had to be loaded now */
    boolean load(String model, long loadMs, ItemContext context) throws InterruptedException {
        synchronized (this) {
            if (model.equals(loaded)) {
                return false;
            }
            loaded = null; // unloaded while the next model loads
        }
        work(loadMs, context);
        synchronized (this) {
            loaded = model;
            loads++;
        }
        return true;
    }

    /** A number in [-1, 1) for noise, from a fixed seed so that runs look alike. */
    synchronized double noise() {
        return random.nextDouble() * 2 - 1;
    }

    synchronized boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** Busy for {@code ms} of simulated time; returns early when the item is cancelled. */
    void work(long ms, ItemContext context) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.round(ms / speed));
        long left;
        while ((left = end - System.nanoTime()) > 0 && !context.isCancelled()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }
}
