package ai.batch.queue.impl.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.Test;

/** What {@code help batch:…} shows comes from these annotations: every command and argument has its text. */
class CommandDescriptionsTest {

    private static final List<Class<?>> COMMANDS = List.of(BatchCommands.class, ControlCommands.class,
            ModelCommands.class, SlotCommands.class);

    private static Stream<Method> commands() {
        return COMMANDS.stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
                .filter(method -> Modifier.isPublic(method.getModifiers())
                        && !method.getName().equals("handleEvent"));
    }

    @Test
    void everyCommandAndEveryArgumentIsDescribed() {
        assertThat(commands()).hasSizeGreaterThan(20).allSatisfy(method -> {
            assertThat(method.getAnnotation(Descriptor.class)).as(method.toString()).isNotNull();
            for (Parameter parameter : method.getParameters()) {
                assertThat(parameter.getAnnotation(Descriptor.class)).as(method + " " + parameter).isNotNull();
            }
        });
    }

    @Test
    void booleanArgumentsAreNamedOptionsWithDefaults() {
        commands().flatMap(method -> Arrays.stream(method.getParameters()))
                .filter(parameter -> parameter.getType() == boolean.class).forEach(parameter -> {
                    org.apache.felix.service.command.Parameter option = parameter
                            .getAnnotation(org.apache.felix.service.command.Parameter.class);
                    assertThat(option).as(parameter.toString()).isNotNull();
                    assertThat(option.names()).allMatch(name -> name.startsWith("-"));
                    assertThat(option.absentValue()).isEqualTo("false");
                    assertThat(option.presentValue()).isEqualTo("true");
                });
    }
}
