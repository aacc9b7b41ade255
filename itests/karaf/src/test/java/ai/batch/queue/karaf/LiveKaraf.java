package ai.batch.queue.karaf;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The Apache Karaf distribution unpacked by the build, started once per test class in its own process
 * ({@code bin/karaf daemon}) and driven through its SSH console, as {@code bin/client} would.
 *
 * <p>It runs in a fresh, configured copy of the unpacked distribution ({@link KarafInstance}), so every run starts
 * from Karaf as shipped.
 *
 * <p>A failure to start, and any failure of a test or of a {@code @BeforeAll}/{@code @AfterAll} method, is rethrown
 * with the tail of {@code data/log/karaf.log} in its message.
 */
final class LiveKaraf implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;
    private static final String USER = "karaf";
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final KarafInstance instance = new KarafInstance(Path.of(required("karaf.distribution")),
            Path.of(required("karaf.instance")), Path.of(required("karaf.staging.repository")),
            Path.of(required("karaf.local.repository")));
    private final Path home = instance.home();
    private int sshPort;
    private int httpPort;
    private Process process;
    private Thread killOnExit;
    private SshClient client;

    /**
     * Installs features (and what they need) with {@code feature:install}; features already installed are left
     * as they are, so every test may name all the features it uses.
     */
    void installFeatures(String... features) {
        run("feature:install " + String.join(" ", features));
    }

    /**
     * Runs one console command and returns what it printed.
     *
     * @throws AssertionError if the command fails (non-zero exit status: unknown command, exception), does not
     *         finish within {@link #COMMAND_TIMEOUT}, or the connection breaks; the message has the command's output
     *         and the tail of karaf.log
     */
    String run(String command) {
        Result result = exec(command);
        if (result.status() != 0) {
            throw new AssertionError("Karaf command failed with exit status " + result.status() + ": " + command
                    + "\n--- output ---\n" + result.out() + "\n--- errors ---\n" + result.err());
        }
        return result.out();
    }

    /**
     * Runs a command that returns its result instead of printing it (Gogo commands such as {@code batch:*}) and
     * returns that result as text. Karaf's SSH console prints only what a command writes, never what it returns,
     * when the command comes with the connection as here and with {@code bin/client "<command>"}; so the command
     * runs as {@code echo (<command>)}.
     */
    String result(String command) {
        return run("echo (" + command + ")");
    }

    /**
     * Runs a command that returns its result ({@link #result}) again and again until the result passes
     * {@code done}, within {@code timeout}.
     *
     * @return the result that passed
     */
    String awaitResult(String what, String command, Predicate<String> done, Duration timeout) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                last.set(result(command));
                return done.test(last.get());
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what + "; last output of '"
                    + command + "':\n" + last.get(), e);
        }
        return last.get();
    }

    /** @return the port Karaf's HTTP service (Pax Web) listens on, on 127.0.0.1, once a feature starts it */
    int httpPort() {
        return httpPort;
    }

    /** The last lines of Karaf's log, for failure messages. */
    String logTail() {
        Path log = home.resolve("data/log/karaf.log");
        try {
            if (!Files.isRegularFile(log)) {
                return "(no " + log + ")";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try {
            start();
        } catch (Throwable t) {
            stop();
            throw withLogTail(t);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) {
        throw withLogTail(t);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) {
        throw withLogTail(t);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t) {
        throw withLogTail(t);
    }

    private AssertionError withLogTail(Throwable t) {
        return new AssertionError(t.getMessage() + "\n--- last " + LOG_TAIL_LINES + " lines of " + home
                + "/data/log/karaf.log ---\n" + logTail(), t);
    }

    private void start() throws IOException, InterruptedException {
        instance.prepare();
        sshPort = instance.sshPort();
        httpPort = instance.httpPort();
        Path console = home.resolve("console.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // The script finds its own directories; ones inherited from the environment would win.
        List.of("KARAF_HOME", "KARAF_BASE", "KARAF_DATA", "KARAF_ETC").forEach(builder.environment()::remove);
        process = builder.start();
        killOnExit = new Thread(this::destroyProcessTree, "stop Karaf");
        Runtime.getRuntime().addShutdownHook(killOnExit);

        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        try {
            // Up means: SSH accepts the karaf user and the feature commands are registered.
            Awaitility.await("Karaf console answers on port " + sshPort).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Karaf exited with " + process.exitValue() + ":\n"
                                    + Files.readString(console, StandardCharsets.UTF_8));
                        }
                        return consoleAnswers();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Karaf did not start within " + START_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** A new logged-in session: Karaf's console closes the session after each exec command, as bin/client sees. */
    private ClientSession login() throws IOException {
        ClientSession session = client.connect(USER, "127.0.0.1", sshPort).verify(Duration.ofSeconds(10))
                .getSession();
        try {
            session.addPasswordIdentity(USER);
            session.auth().verify(Duration.ofSeconds(10));
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** Whether the console runs commands yet; connection and login failures only mean "not yet". */
    private boolean consoleAnswers() {
        try (ClientSession session = login()) {
            return execIn(session, "feature:repo-list").status() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result exec(String command) {
        try (ClientSession session = login()) {
            return execIn(session, command);
        } catch (IOException e) {
            throw new UncheckedIOException("SSH to Karaf on port " + sshPort + " failed for: " + command, e);
        }
    }

    private static Result execIn(ClientSession session, String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            // With a terminal, as bin/client in a shell: Karaf then prints what commands return, and tables are wide.
            channel.setUsePty(true);
            channel.setPtyColumns(300);
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(Duration.ofSeconds(10));
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), COMMAND_TIMEOUT);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new AssertionError("Karaf command did not finish within " + COMMAND_TIMEOUT.toSeconds()
                        + " s: " + command + "\n--- output so far ---\n" + out.toString(StandardCharsets.UTF_8));
            }
            Integer status = channel.getExitStatus();
            return new Result(status == null ? -1 : status, plain(out), plain(err));
        }
    }

    /** Terminal output as text: line ends without carriage returns, no colours. */
    private static String plain(ByteArrayOutputStream terminal) {
        return ANSI_ESCAPE.matcher(terminal.toString(StandardCharsets.UTF_8)).replaceAll("").replace("\r", "");
    }

    /** Shuts Karaf down from its console, then ends the process tree if it did not exit in time. */
    void stop() {
        try {
            if (client != null && process != null && process.isAlive()) {
                try {
                    exec("system:shutdown -f");
                } catch (RuntimeException | AssertionError e) {
                    // the console goes away while shutting down; the process check below decides
                }
            }
            if (process != null && !process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                destroyProcessTree();
            }
        } catch (InterruptedException e) {
            destroyProcessTree();
            Thread.currentThread().interrupt();
        } finally {
            try {
                if (client != null) {
                    client.stop();
                }
            } finally {
                if (killOnExit != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(killOnExit);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway
                    }
                }
            }
        }
    }

    private void destroyProcessTree() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (see itests/karaf/pom.xml)");
        }
        return value;
    }
}
