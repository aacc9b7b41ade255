package ai.batch.queue.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;

/** What the component registers, the slot above all, against a bundle context that records registrations. */
class OpenAiComponentTest {

    /** One registration: the service's interfaces and properties. */
    private record Registered(List<String> interfaces, Map<String, Object> properties) {
    }

    private final List<Registered> registered = new CopyOnWriteArrayList<>();
    private final List<OpenAiComponent> components = new CopyOnWriteArrayList<>();
    private final TestSupport.RecordingLogger log = new TestSupport.RecordingLogger();
    private FakeOpenAiServer server;

    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                List<String> interfaces = args[0] instanceof Class<?> type ? List.of(type.getName())
                        : List.of((String[]) args[0]);
                Dictionary<?, ?> dictionary = (Dictionary<?, ?>) args[2];
                Map<String, Object> properties = new HashMap<>();
                Collections.list(dictionary.keys()).forEach(key -> properties.put((String) key, dictionary.get(key)));
                Registered registration = new Registered(interfaces, properties);
                registered.add(registration);
                return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                        new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                            if (m.getName().equals("unregister")) {
                                registered.remove(registration);
                            }
                            return null;
                        });
            });

    @AfterEach
    void deactivate() {
        components.forEach(OpenAiComponent::deactivate);
        if (server != null) {
            server.close();
        }
    }

    private Map<String, Object> activate(String pid, String baseUrl, Object... pairs) {
        Map<String, Object> properties = TestSupport.config(baseUrl, pairs);
        properties.put("service.pid", pid);
        properties.put(".apiKey", TestSupport.KEY);
        components.add(new OpenAiComponent(context, TestSupport.convert(properties), properties, log.logger()));
        return handlers().get(handlers().size() - 1).properties();
    }

    private List<Registered> handlers() {
        return registered.stream().filter(r -> r.interfaces().contains(BatchItemHandler.class.getName())).toList();
    }

    private List<String> slotWarnings() {
        return log.lines().stream().filter(line -> line.startsWith("WARN Slot")).toList();
    }

    @Test
    void theHandlerDeclaresTheServersSlotAndKeepsTheKeyPrivate() {
        Map<String, Object> properties = activate("ai.batch.queue.openai~a", "http://GPU-Box.invalid:8080/v1/");

        assertThat(handlers()).singleElement().extracting(Registered::interfaces).asList()
                .containsExactly(BatchItemHandler.class.getName(), OpenAiHandler.class.getName());
        assertThat(properties).containsEntry(BatchItemHandler.SLOT, "openai@gpu-box.invalid:8080")
                .containsEntry("baseUrl", "http://GPU-Box.invalid:8080/v1/")
                .doesNotContainKey(".apiKey");
    }

    @Test
    void theDefaultPortAndAnIpv6HostNameTheSlot() {
        assertThat(activate("ai.batch.queue.openai~tls", "https://api.example.invalid/v1"))
                .containsEntry(BatchItemHandler.SLOT, "openai@api.example.invalid:443");
        assertThat(activate("ai.batch.queue.openai~v6", "http://[::1]:9/v1"))
                .containsEntry(BatchItemHandler.SLOT, "openai@[::1]:9");
    }

    @Test
    void theSlotNameShowsNeitherThePathNorTheKey() {
        Map<String, Object> properties = activate("ai.batch.queue.openai~gw",
                "https://gw.example.invalid/t-8c1f0e/v1");

        assertThat((String) properties.get(BatchItemHandler.SLOT)).isEqualTo("openai@gw.example.invalid:443")
                .doesNotContain("t-8c1f0e", TestSupport.KEY);
    }

    @Test
    void noneRegistersAPlainHandler() {
        Map<String, Object> properties = activate("ai.batch.queue.openai~a", "http://gpu.invalid:8080/v1",
                "ai.batch.slot", "none");

        assertThat(properties).doesNotContainKey(BatchItemHandler.SLOT).containsKey(BatchItemHandler.RESOURCE);
    }

    @Test
    void aRefusedConfigurationRegistersNothing() {
        assertThatThrownBy(() -> activate("ai.batch.queue.openai~a", "http://gpu.invalid:8080/v1",
                "ai.batch.slot", "https://bob:pw-77@gpu.invalid/v1")).hasMessageNotContaining("pw-77");
        assertThatThrownBy(() -> activate("ai.batch.queue.openai~b", "http://gpu.invalid:8080/v1",
                "ai.batch.batchSize", 0)).hasMessageContaining("ai.batch.batchSize");
        assertThat(registered).isEmpty();
    }

    @Test
    void oneSlotNameForTwoServersIsLoggedNamingBothConfigurations() {
        activate("ai.batch.queue.openai~a", "http://gpu-1.invalid:8080/v1", "ai.batch.slot", "box");
        activate("ai.batch.queue.openai~b", "http://gpu-2.invalid:8080/v1", "ai.batch.slot", "box");

        assertThat(slotWarnings()).singleElement().asString().contains("Slot 'box'", "ai.batch.queue.openai~a",
                "http://gpu-1.invalid:8080/v1", "ai.batch.queue.openai~b", "http://gpu-2.invalid:8080/v1")
                .doesNotContain(TestSupport.KEY);
    }

    @Test
    void twoConfigurationsOfOneServerShareItsSlotWithoutAWarning() {
        activate("ai.batch.queue.openai~chat", "http://gpu-1.invalid:8080/v1");
        Map<String, Object> embed = activate("ai.batch.queue.openai~embed", "http://gpu-1.invalid:8080/v1/");

        assertThat(embed).containsEntry(BatchItemHandler.SLOT, "openai@gpu-1.invalid:8080");
        assertThat(slotWarnings()).isEmpty();
    }

    @Test
    void aRoutersLifecycleDeclaresTheSameSlot() throws Exception {
        server = FakeOpenAiServer.router(2, "qwen");
        Map<String, Object> handler = activate("ai.batch.queue.openai~router", server.baseUrl(), "lifecycle", "auto",
                "ai.batch.resource", new String[] {"qwen"});

        await().atMost(Duration.ofSeconds(5)).until(() -> registered.size() == 2);
        Registered lifecycle = registered.stream()
                .filter(r -> r.interfaces().equals(List.of(ModelLifecycle.class.getName()))).findFirst().orElseThrow();
        assertThat(lifecycle.properties()).containsEntry(BatchItemHandler.SLOT, handler.get(BatchItemHandler.SLOT));
        assertThat((String) handler.get(BatchItemHandler.SLOT)).startsWith("openai@127.0.0.1:");

        components.remove(0).deactivate();
        assertThat(registered).isEmpty();
    }
}
