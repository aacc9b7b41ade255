package ai.batch.queue.benchmarks.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.benchmarks.support.Deadline;

/** The dashboard's HTTP side, as the benchmarks need it. */
public final class DashboardPage {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        poll(URI.create(page + "/api/jobs"), Deadline.STARTUP,
                response -> response.statusCode() == 200 ? null : "status " + response.statusCode(), "answer 200");
    }

    /**
     * Waits until the dashboard has taken in an item's {@code item_progress} event: its job's detail shows the
     * item's finish time. The dashboard takes events in order, so everything the queue sent before it was taken
     * in too.
     *
     * @param page the dashboard's page
     * @param jobId the job, not purged yet
     * @param itemId the item, settled
     * @throws IllegalStateException if that does not happen within {@link Deadline#OPERATION}
     */
    public static void awaitItemSeen(URI page, String jobId, String itemId) {
        poll(URI.create(page + "/api/jobs/" + jobId), Deadline.OPERATION, response -> {
            if (response.statusCode() != 200) {
                return "status " + response.statusCode();
            }
            for (JsonNode item : json(response.body()).path("items")) {
                if (itemId.equals(item.path("id").asText())) {
                    return item.hasNonNull("finishedAt") ? null : "item " + itemId + " not finished yet";
                }
            }
            return "no item " + itemId;
        }, "show item " + itemId + " finished");
    }

    /**
     * GETs a URI until an answer passes the check.
     *
     * @param check null when the answer is the awaited one, else why not
     */
    private static void poll(URI uri, Duration timeout, Function<HttpResponse<String>, String> check, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        String[] last = {"no answer yet"};
        Deadline.until(() -> {
            try {
                String notYet = check.apply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
                last[0] = notYet;
                return notYet == null;
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, timeout, () -> uri + " did not " + what + " (" + last[0] + ")");
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("The dashboard answered no JSON: " + body, e);
        }
    }
}
