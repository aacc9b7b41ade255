package ai.batch.queue.benchmarks.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.batch.queue.benchmarks.support.Deadline;

/** The dashboard's HTTP side, as the benchmarks need it. */
public final class DashboardPage {

    private DashboardPage() {
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
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(page + "/api/jobs/" + jobId)).GET().build();
        ObjectMapper mapper = new ObjectMapper();
        String[] last = {"no answer yet"};
        Deadline.until(() -> {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last[0] = "status " + response.statusCode();
                if (response.statusCode() != 200) {
                    return false;
                }
                for (JsonNode item : mapper.readTree(response.body()).path("items")) {
                    if (itemId.equals(item.path("id").asText())) {
                        last[0] = "finishedAt " + item.path("finishedAt");
                        return item.hasNonNull("finishedAt");
                    }
                }
                last[0] = "no item " + itemId;
                return false;
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, Deadline.OPERATION, () -> request.uri() + " never showed item " + itemId + " finished (" + last[0] + ")");
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
