package ai.batch.queue.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import ai.batch.queue.BatchItem;
import ai.batch.queue.BatchItemStatus;
import ai.batch.queue.handler.BatchItemHandler;

/**
 * The OpenAI handler bundle in Felix with the queue, configured through ConfigAdmin against a small
 * OpenAI-compatible server on the JDK's HTTP server, running jobs to completion.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenAiHandlerIT extends QueueTestSupport {

    private static final String FACTORY_PID = "ai.batch.queue.openai";
    private static final String KEY = "sk-it-5a4b3c";
    private static final long DEADLINE_MS = 20_000;

    /** A JSON string's text; the test's prompts need no escapes. (The probe bundle does not import Jackson.) */
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern CONTENT = Pattern.compile("\"content\"\\s*:\\s*" + STRING.pattern());
    private static final Pattern INPUT = Pattern.compile("\"input\"\\s*:\\s*\\[([^\\]]*)\\]");
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Integer> embeddingBatches = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Configuration configuration;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private MetaTypeService metaType;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return TestOptions.runtime(TestOptions.builtBundle("bundle.openai"));
    }

    @Before
    public void startServerAndConfigure() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        configuration = configAdmin.getFactoryConfiguration(FACTORY_PID, "it", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("baseUrl", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
        properties.put(".apiKey", KEY);
        properties.put("ai.batch.resource", new String[] {"it-chat", "it-embed"});
        properties.put("ai.batch.batchSize", 4);
        properties.put("request.timeout.ms", 5_000L);
        properties.put("lifecycle", "none");
        configuration.update(properties);
    }

    @After
    public void deleteConfigurationAndStopServer() throws Exception {
        if (configuration != null) {
            configuration.delete();
            awaitHandlers(0);
        }
        server.stop(0);
    }

    @Test
    public void chatAndEmbedJobsRunToCompletionThroughTheConfiguredServer() throws Exception {
        ServiceReference<?> handler = awaitHandlers(1).iterator().next();
        assertNull("the API key is private", handler.getProperty(".apiKey"));
        assertEquals(4, handler.getProperty(BatchItemHandler.BATCH_SIZE));

        String chat = queue.enqueue(job("it-chat", "chat", "one", "two", "three"));
        awaitCompleted(chat, "completed");
        assertEquals(List.of("echo: one", "echo: two", "echo: three"),
                snapshot(chat).items().stream().map(BatchItem::output).collect(Collectors.toList()));

        String embed = queue.enqueue(job("it-embed", "embed", "a", "bb", "ccc", "dddd", "eeeee"));
        awaitCompleted(embed, "completed");
        for (BatchItem<?> item : snapshot(embed).items()) {
            assertEquals(BatchItemStatus.COMPLETED, item.status());
            assertEquals("[" + ((String) item.data()).length() + ".0,1.0]", item.output());
        }
        assertEquals(5, embeddingBatches.stream().mapToInt(Integer::intValue).sum());
        assertTrue("at most batchSize inputs per request", embeddingBatches.stream().allMatch(n -> n <= 4));
        assertTrue(authorizations.stream().allMatch(("Bearer " + KEY)::equals));
    }

    @Test
    public void aServerErrorFailsTheItemNamingTheServerAndJob() throws Exception {
        awaitHandlers(1);

        String job = queue.enqueue(job("it-chat", "chat", "fail please", "fine"));
        awaitCompleted(job, "completedWithErrors");

        BatchItem<?> failed = snapshot(job).items().get(0);
        assertEquals(BatchItemStatus.FAILED, failed.status());
        assertTrue(failed.error(), failed.error().contains("HTTP 400: no such thing, type invalid_request_error"));
        assertTrue(failed.error(), failed.error().contains(job));
        assertTrue(failed.error(), failed.error().contains("http://127.0.0.1:" + server.getAddress().getPort()));
        assertFalse(failed.error(), failed.error().contains(KEY));
    }

    @Test
    public void aKeyTheServerEchoesIsMaskedInOutputsErrorsAndEvents() throws Exception {
        awaitHandlers(1);

        String job = queue.enqueue(job("it-chat", "chat", "echo the key", "fail with the key"));
        awaitCompleted(job, "completedWithErrors");

        BatchItem<?> echoed = snapshot(job).items().get(0);
        BatchItem<?> failed = snapshot(job).items().get(1);
        assertEquals("You sent Bearer ***", echoed.output());
        assertTrue(failed.error(), failed.error().contains("HTTP 400: xxxx"));
        assertNoPieceOfKey(failed.error());
        for (Event event : events.all()) {
            for (String name : event.getPropertyNames()) {
                assertNoPieceOfKey(String.valueOf(event.getProperty(name)));
            }
        }
    }

    /** No 6 characters of the key in a row: a key cut short must not show its start either. */
    private static void assertNoPieceOfKey(String text) {
        for (int start = 0; start + 6 <= KEY.length(); start++) {
            assertFalse(text, text.contains(KEY.substring(start, start + 6)));
        }
    }

    @Test
    public void metatypeDescribesTheFactoryWithAPasswordKey() throws Exception {
        Bundle openai = Arrays.stream(context.getBundles())
                .filter(b -> "ai.batch.queue.openai".equals(b.getSymbolicName())).findFirst().orElseThrow();
        assertTrue(Arrays.asList(metaType.getMetaTypeInformation(openai).getFactoryPids()).contains(FACTORY_PID));
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(openai).getObjectClassDefinition(FACTORY_PID, null);
        assertNotNull(ocd);
        AttributeDefinition key = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(a -> a.getID().equals(".apiKey")).findFirst().orElseThrow();
        assertEquals(AttributeDefinition.PASSWORD, key.getType());
    }

    /** Waits, on service events, until this many handlers for {@code it-chat} are registered. */
    private Collection<ServiceReference<BatchItemHandler>> awaitHandlers(int count) throws Exception {
        Object signal = new Object();
        ServiceListener listener = event -> {
            synchronized (signal) {
                signal.notifyAll();
            }
        };
        context.addServiceListener(listener, "(" + BatchItemHandler.RESOURCE + "=it-chat)");
        try {
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            synchronized (signal) {
                while (true) {
                    Collection<ServiceReference<BatchItemHandler>> refs = context.getServiceReferences(
                            BatchItemHandler.class, "(" + BatchItemHandler.RESOURCE + "=it-chat)");
                    if (refs.size() == count) {
                        return refs;
                    }
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new AssertionError(count + " OpenAI handler(s) expected, found " + refs.size());
                    }
                    signal.wait(left);
                }
            }
        } finally {
            context.removeServiceListener(listener);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v1/models")) {
                send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"it-chat\"},{\"id\":\"it-embed\"}]}");
                return;
            }
            String body = new String(raw, StandardCharsets.UTF_8);
            if (path.equals("/v1/chat/completions")) {
                Matcher content = CONTENT.matcher(body);
                String prompt = content.find() ? content.group(1) : "";
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (prompt.equals("echo the key")) {
                    send(exchange, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                            + "\"content\":\"You sent " + authorization + "\"}}]}");
                    return;
                }
                if (prompt.equals("fail with the key")) {
                    // The key starts 8 characters before the point where long error text is cut (500).
                    send(exchange, 400, "{\"error\":{\"message\":\"" + "x".repeat(492)
                            + authorization.substring("Bearer ".length()) + "\"}}");
                    return;
                }
                if (prompt.startsWith("fail")) {
                    send(exchange, 400, "{\"error\":{\"message\":\"no such thing\",\"type\":\"invalid_request_error\"}}");
                    return;
                }
                send(exchange, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"echo: "
                        + prompt + "\"}}]}");
            } else if (path.equals("/v1/embeddings")) {
                Matcher input = INPUT.matcher(body);
                List<String> texts = new java.util.ArrayList<>();
                if (input.find()) {
                    Matcher text = STRING.matcher(input.group(1));
                    while (text.find()) {
                        texts.add(text.group(1));
                    }
                }
                embeddingBatches.add(texts.size());
                StringBuilder data = new StringBuilder();
                for (int i = texts.size() - 1; i >= 0; i--) {
                    data.append(data.length() == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                            .append(",\"embedding\":[").append((double) texts.get(i).length()).append(",1.0]}");
                }
                send(exchange, 200, "{\"object\":\"list\",\"data\":[" + data + "]}");
            } else {
                send(exchange, 404, "{\"detail\":\"Not Found\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
