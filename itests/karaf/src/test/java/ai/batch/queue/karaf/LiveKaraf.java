package ai.batch.queue.karaf;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 * <p>Before the start it enables the {@code karaf} user, moves SSH and the JMX RMI ports to free ports, and points
 * pax-url-mvn at the build: first the staging repository with the reactor's artifacts in Maven layout, then the
 * build's local repository for third-party bundles (Jackson, and Felix SCR with Karaf's scr bundles, which the
 * distribution does not ship; {@code karaf:verify} in {@code features/karaf} has fetched them there), and no remote
 * repository at all. It runs in a fresh copy of the
 * unpacked distribution, so every run starts from Karaf as shipped.
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

    private final Path distribution = Path.of(required("karaf.distribution"));
    private final Path home = Path.of(required("karaf.instance"));
    private final Path stagingRepository = Path.of(required("karaf.staging.repository"));
    private final Path localRepository = Path.of(required("karaf.local.repository"));
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
        if (!Files.isExecutable(distribution.resolve("bin/karaf"))) {
            throw new IllegalStateException("No Karaf distribution at " + distribution
                    + " (unpacked in pre-integration-test)");
        }
        deleteRecursively(home);
        copyRecursively(distribution, home);
        configure();
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

    private void configure() throws IOException {
        sshPort = freePort();

        Path users = home.resolve("etc/users.properties");
        String usersText = Files.readString(users, StandardCharsets.UTF_8)
                .replace("\n#karaf = karaf,_g_:admingroup", "\nkaraf = karaf,_g_:admingroup")
                .replace("\n#_g_\\:admingroup = ", "\n_g_\\:admingroup = ");
        if (!usersText.contains("\nkaraf = karaf,_g_:admingroup")) {
            throw new IllegalStateException("Cannot enable the karaf user in " + users);
        }
        Files.writeString(users, usersText, StandardCharsets.UTF_8);

        setProperties("etc/org.apache.karaf.shell.cfg", "sshPort = " + sshPort, "sshHost = 127.0.0.1");
        httpPort = freePort();
        // A fresh Karaf has no Pax Web configuration yet: it is read when a feature starts HTTP.
        Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + httpPort
                + "\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\n", StandardCharsets.UTF_8);
        setProperties("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = " + freePort(),
                "rmiServerPort = " + freePort());
        // The distribution's own system folder stays first; then the build's artifacts; third-party bundles from
        // the build's local repository; nothing remote, so a missing bundle fails here instead of downloading.
        setProperties("etc/org.ops4j.pax.url.mvn.cfg",
                "org.ops4j.pax.url.mvn.defaultRepositories = "
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + "${karaf.data.uri}kar@id=kar.repository@multi@snapshots, "
                        + stagingRepository.toUri() + "@id=build.staging@snapshots",
                "org.ops4j.pax.url.mvn.localRepository = " + localRepository,
                "org.ops4j.pax.url.mvn.repositories = ",
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false");
    }

    /**
     * Replaces the given {@code key = value} lines of a Karaf .cfg file, keeping its comments; a property that
     * spans several lines (trailing backslash) is replaced whole, and a missing one is appended.
     */
    private void setProperties(String file, String... assignments) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8));
        for (String assignment : assignments) {
            String key = assignment.substring(0, assignment.indexOf('=')).trim();
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                    int end = i;
                    while (lines.get(end).endsWith("\\") && end + 1 < lines.size()) {
                        end++;
                    }
                    lines.subList(i + 1, end + 1).clear();
                    lines.set(i, assignment);
                    found = true;
                    break;
                }
            }
            if (!found) {
                lines.add(assignment);
            }
        }
        Files.write(path, lines, StandardCharsets.UTF_8);
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Files.copy(path, to.resolve(from.relativize(path).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (see itests/karaf/pom.xml)");
        }
        return value;
    }
}
