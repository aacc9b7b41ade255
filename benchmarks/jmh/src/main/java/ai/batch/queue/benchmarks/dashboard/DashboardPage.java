package ai.batch.queue.benchmarks.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ai.batch.queue.benchmarks.support.Deadline;

/** The dashboard's HTTP side, as the benchmarks need it. */
public final class DashboardPage {

    private DashboardPage() {
    }

    /**
     * Waits until the dashboard answers {@code GET <page>/api/jobs} with 200: its component is active, so it is
     * subscribed to the queue's events, and its servlet is on the HTTP Whiteboard.
     *
     * @param page the dashboard's page
     * @throws IllegalStateException if it does not within {@link Deadline#STARTUP}
     */
    public static void await(URI page) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(page + "/api/jobs")).timeout(Duration.ofSeconds(5))
                .GET().build();
        String[] last = {"no answer yet"};
        Deadline.until(() -> {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                last[0] = "status " + status;
                return status == 200;
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Deadline.STARTUP, () -> request.uri() + " did not answer 200 (" + last[0] + ")");
    }
}
