package ai.batch.queue.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.converter.Converters;

import ai.batch.queue.handler.BatchItemHandler;
import ai.batch.queue.handler.ModelLifecycle;

/** What the component registers, the slot above all, against a bundle context that records registrations. */
class OllamaComponentTest {

    /** One registration: the service's interfaces and properties. */
    private record Registered(List<String> interfaces, Map<String, Object> properties) {
    }

    private final List<Registered> registered = new ArrayList<>();
    private final List<OllamaComponent> components = new ArrayList<>();
    private final RecordingLogger log = new RecordingLogger();

    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            BundleContext.class.getClassLoader(), new Class<?>[] { BundleContext.class }, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                Dictionary<?, ?> dictionary = (Dictionary<?, ?>) args[2];
                Map<String, Object> properties = new HashMap<>();
                Collections.list(dictionary.keys()).forEach(key -> properties.put((String) key, dictionary.get(key)));
                Registered registration = new Registered(List.of((String[]) args[0]), properties);
                registered.add(registration);
                return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                        new Class<?>[] { ServiceRegistration.class }, (p, m, a) -> {
                            if (m.getName().equals("unregister")) {
                                registered.remove(registration);
                            }
                            return null;
                        });
            });

    @AfterEach
    void deactivate() {
        components.forEach(OllamaComponent::deactivate);
    }

    private Map<String, Object> activate(String pid, Object... pairs) {
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", pid);
        props.put("ai.batch.resource", new String[] { "llava:13b" });
        for (int i = 0; i < pairs.length; i += 2) {
            props.put((String) pairs[i], pairs[i + 1]);
        }
        components.add(new OllamaComponent(context,
                Converters.standardConverter().convert(props).to(OllamaConfig.class), props, log.logger));
        return registered.get(registered.size() - 1).properties();
    }

    @Test
    void handlerAndLifecycleAreOneRegistrationThatDeclaresTheServersSlot() {
        Map<String, Object> properties = activate("ai.batch.queue.ollama~a", "baseUrl", "http://GPU-Box:11434/");

        assertThat(registered).singleElement().extracting(Registered::interfaces).asList()
                .containsExactly(BatchItemHandler.class.getName(), ModelLifecycle.class.getName());
        assertThat(properties).containsEntry(BatchItemHandler.SLOT, "ollama@gpu-box:11434")
                .containsEntry("baseUrl", "http://GPU-Box:11434/");
    }

    @Test
    void theDefaultServerAndAnIpv6ServerNameTheirSlots() {
        assertThat(activate("ai.batch.queue.ollama~local")).containsEntry(BatchItemHandler.SLOT,
                "ollama@127.0.0.1:11434");
        assertThat(activate("ai.batch.queue.ollama~v6", "baseUrl", "http://[fe80::1]/"))
                .containsEntry(BatchItemHandler.SLOT, "ollama@[fe80::1]:80");
        assertThat(activate("ai.batch.queue.ollama~tls", "baseUrl", "https://ollama.example.com/"))
                .containsEntry(BatchItemHandler.SLOT, "ollama@ollama.example.com:443");
    }

    @Test
    void aConfiguredSlotIsRegisteredAsConfigured() {
        assertThat(activate("ai.batch.queue.ollama~a", "ai.batch.slot", " gpu-box-2 "))
                .containsEntry(BatchItemHandler.SLOT, "gpu-box-2");
    }

    @Test
    void noneRegistersAPlainHandlerWithoutASlot() {
        Map<String, Object> properties = activate("ai.batch.queue.ollama~a", "ai.batch.slot", "none");

        assertThat(properties).doesNotContainKey(BatchItemHandler.SLOT).containsKey(BatchItemHandler.RESOURCE);
        assertThat(registered).singleElement().extracting(Registered::interfaces).asList()
                .contains(ModelLifecycle.class.getName());
    }

    @Test
    void aSlotWithALoginIsRefusedAndNothingIsRegistered() {
        assertThatThrownBy(() -> activate("ai.batch.queue.ollama~a", "ai.batch.slot", "http://bob:pw-77@gpu:1"))
                .hasMessageContaining("ai.batch.slot").hasMessageNotContaining("pw-77");
        assertThat(registered).isEmpty();
    }

    @Test
    void oneSlotNameForTwoServersIsLoggedNamingBothConfigurations() {
        activate("ai.batch.queue.ollama~a", "baseUrl", "http://gpu-1:11434", "ai.batch.slot", "box");
        activate("ai.batch.queue.ollama~b", "baseUrl", "http://gpu-2:11434", "ai.batch.slot", "box");

        assertThat(log.at("warn")).singleElement().asString().contains("Slot 'box'", "ai.batch.queue.ollama~a",
                "http://gpu-1:11434", "ai.batch.queue.ollama~b", "http://gpu-2:11434");
    }

    @Test
    void twoConfigurationsOfOneServerShareItsSlotWithoutAWarning() {
        activate("ai.batch.queue.ollama~vision", "baseUrl", "http://gpu-1:11434");
        Map<String, Object> text = activate("ai.batch.queue.ollama~text", "baseUrl", "http://gpu-1:11434/",
                "ai.batch.resource", new String[] { "nomic-embed-text" });

        assertThat(text).containsEntry(BatchItemHandler.SLOT, "ollama@gpu-1:11434");
        assertThat(log.at("warn")).isEmpty();
    }

    @Test
    void aDeactivatedConfigurationGivesUpItsSlot() {
        activate("ai.batch.queue.ollama~a", "baseUrl", "http://gpu-1:11434", "ai.batch.slot", "box");
        components.remove(0).deactivate();
        activate("ai.batch.queue.ollama~b", "baseUrl", "http://gpu-2:11434", "ai.batch.slot", "box");

        assertThat(log.at("warn")).isEmpty();
        assertThat(registered).hasSize(1);
    }
}
