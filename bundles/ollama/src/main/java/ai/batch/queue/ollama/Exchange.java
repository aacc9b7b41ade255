package ai.batch.queue.ollama;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One HTTP exchange whose response is read line by line, with a deadline of its own. The JDK client's request
 * timeout ends once the headers arrive; a streamed answer may then take any time, so the body is received here
 * into a queue that the caller polls until its deadline, and the exchange is cancelled when the deadline
 * passes, the item is cancelled or the body grows past its cap.
 */
final class Exchange implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<List<ByteBuffer>> {

    /** The status line and headers, always the first event of a response. */
    record Start(int status, HttpHeaders headers) {
    }

    private record Line(String text) {
    }

    private record Failed(Throwable error) {
    }

    private static final Object END = new Object();
    private static final Object TOO_LARGE = new Object();
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final long maxBytes;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<?> future;
    private long received; // only touched by the client's delivery, which is sequential
    private boolean finished;

    Exchange(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Ties the exchange to the client's future, so that a failure before the response is seen too. */
    void started(CompletableFuture<?> sent) {
        this.future = sent;
        sent.whenComplete((response, error) -> {
            if (error != null) {
                events.add(new Failed(error));
            }
        });
    }

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
        events.add(new Start(info.statusCode(), info.headers()));
        return HttpResponse.BodySubscribers.fromSubscriber(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (finished) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
            if (received > maxBytes) {
                finished = true;
                subscription.cancel();
                events.add(TOO_LARGE);
                return;
            }
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    emitLine();
                } else {
                    partial.write(b);
                }
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        if (!finished) {
            finished = true;
            events.add(new Failed(error));
        }
    }

    @Override
    public void onComplete() {
        if (!finished) {
            finished = true;
            if (partial.size() > 0) {
                emitLine();
            }
            events.add(END);
        }
    }

    private void emitLine() {
        events.add(new Line(partial.toString(StandardCharsets.UTF_8)));
        partial.reset();
    }

    /**
     * Waits for the status and headers.
     *
     * @throws Failure when the exchange failed, the deadline passed or the call was cancelled
     */
    Start awaitStart(long deadlineNanos, BooleanSupplier cancelled) throws Failure, InterruptedException {
        Object event = next(deadlineNanos, cancelled);
        if (event instanceof Start start) {
            return start;
        }
        throw failureOf(event);
    }

    /**
     * The next line of the body.
     *
     * @return the line without its newline, or {@code null} at the end of the body
     */
    String nextLine(long deadlineNanos, BooleanSupplier cancelled) throws Failure, InterruptedException {
        Object event = next(deadlineNanos, cancelled);
        if (event instanceof Line line) {
            return line.text();
        }
        if (event == END) {
            return null;
        }
        throw failureOf(event);
    }

    /** Stops the exchange: cancels the body and the client's future. */
    void abort() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<?> f = future;
        if (f != null) {
            f.cancel(true);
        }
    }

    private Object next(long deadlineNanos, BooleanSupplier cancelled) throws Failure, InterruptedException {
        while (true) {
            if (cancelled.getAsBoolean()) {
                abort();
                throw new Failure(Failure.Kind.CANCELLED, null);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                abort();
                throw new Failure(Failure.Kind.DEADLINE, null);
            }
            Object event;
            try {
                event = events.poll(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                abort();
                throw e;
            }
            if (event != null) {
                return event;
            }
        }
    }

    private Failure failureOf(Object event) {
        abort();
        if (event == TOO_LARGE) {
            return new Failure(Failure.Kind.TOO_LARGE, null);
        }
        if (event instanceof Failed failed) {
            return new Failure(Failure.Kind.IO, failed.error());
        }
        return new Failure(Failure.Kind.IO, new IllegalStateException("unexpected " + event));
    }

    /** Why an exchange ended early; turned into a message by the client, which knows the server and model. */
    static final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        enum Kind { DEADLINE, CANCELLED, TOO_LARGE, IO }

        private final Kind kind;

        Failure(Kind kind, Throwable cause) {
            super(kind.name(), cause);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }
}
