package ai.batch.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The API bundle imports {@code com.fasterxml.jackson.annotation} optionally: its classes carry Jackson
 * annotations for JSON, but a client without Jackson must still be able to load and use them (the JVM drops
 * annotations whose classes are missing). Both are checked here in a class loader that sees the compiled API and
 * the JDK and everything else on the test class path, except Jackson.
 */
class ApiWithoutJacksonTest {

    private static final Path CLASSES = Paths.get("target", "classes");
    private static final Path TEST_CLASSES = Paths.get("target", "test-classes");

    @Test
    void everyApiClassLoadsAndReflectsWithoutJackson() throws Exception {
        List<String> names = apiClassNames();
        assertThat(names).contains("ai.batch.queue.BatchJob", "ai.batch.queue.handler.ItemResult");
        try (URLClassLoader loader = loaderWithoutJackson()) {
            assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.annotation.JsonProperty", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            for (String name : names) {
                Class<?> type = Class.forName(name, true, loader);
                assertThat(type.getClassLoader()).as(name).isSameAs(loader);
                readAnnotations(type);
                for (Field field : type.getDeclaredFields()) {
                    readAnnotations(field);
                }
                for (Executable executable : type.getDeclaredMethods()) {
                    readAnnotations(executable);
                }
                for (Executable executable : type.getDeclaredConstructors()) {
                    readAnnotations(executable);
                }
            }
            assertThat(Class.forName("ai.batch.queue.BatchItem", false, loader).getAnnotations())
                    .as("Jackson's annotations are dropped, not failed on").isEmpty();
        }
    }

    @Test
    void valueTypesWorkWithoutJackson() throws Exception {
        assertThat(BatchItem.class.isAnnotationPresent(JsonPropertyOrder.class))
                .as("with Jackson present the annotations are there, so the other loader really drops them").isTrue();
        try (URLClassLoader loader = loaderWithoutJackson()) {
            Class<?> use = Class.forName(ApiWithoutJacksonUse.class.getName(), true, loader);
            assertThat(use.getClassLoader()).isSameAs(loader);
            ((Runnable) use.getDeclaredConstructor().newInstance()).run();
        }
    }

    private static void readAnnotations(AnnotatedElement element) {
        element.getAnnotations();
        if (element instanceof Executable executable) {
            executable.getParameterAnnotations();
            executable.getGenericParameterTypes();
        }
    }

    private static List<String> apiClassNames() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class")).map(CLASSES::relativize).map(Path::toString)
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** API classes (and the test's client) from the build output; the JDK and test libraries but no Jackson. */
    private static URLClassLoader loaderWithoutJackson() throws IOException {
        ClassLoader withoutJackson = new ClassLoader("without-jackson", ApiWithoutJacksonTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("com.fasterxml.jackson.") || name.startsWith("ai.batch.queue.")) {
                    throw new ClassNotFoundException(name + " is hidden from this test's loader");
                }
                return super.loadClass(name, resolve);
            }

            @Override
            public URL getResource(String name) {
                return name.startsWith("com/fasterxml/jackson/") ? null : super.getResource(name);
            }
        };
        List<URL> urls = new ArrayList<>();
        urls.add(CLASSES.toUri().toURL());
        urls.add(TEST_CLASSES.toUri().toURL());
        return new URLClassLoader("api-without-jackson", urls.toArray(new URL[0]), withoutJackson);
    }
}
