package example.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One fleet node: the demo ({@code demo.jar --fleet …}) in a JVM of its own. Reads its status lines
 * ({@code fleet-status node=… items=… loads=… models=…}), its dashboard address, and keeps the rest for a report
 * when something goes wrong. Standard input stays open while the node should run; closing it stops the node
 * gracefully.
 */
final class NodeProcess {

    final String id;
    private final Process process;
    private final OutputStream stdin;
    private final CountDownLatch joined = new CountDownLatch(1);
    private final List<String> output = new ArrayList<>();
    private volatile int items;
    private volatile int loads;
    private volatile String models = "";
    private volatile String dashboard;

    NodeProcess(String id, List<String> command, Path log) throws IOException {
        this.id = id;
        this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "fleet-demo-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("fleet-status ")) {
                    for (String field : line.substring("fleet-status ".length()).split(" ")) {
                        int eq = field.indexOf('=');
                        String value = field.substring(eq + 1);
                        switch (field.substring(0, eq)) {
                            case "items" -> items = Integer.parseInt(value);
                            case "loads" -> loads = Integer.parseInt(value);
                            case "models" -> models = value;
                            default -> { }
                        }
                    }
                } else if (line.startsWith("fleet-joined ")) {
                    joined.countDown();
                } else if (line.startsWith("Dashboard (")) {
                    dashboard = line.substring(line.indexOf("http"));
                } else {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // the node is gone
        }
    }

    boolean awaitJoined(long seconds) throws InterruptedException {
        return joined.await(seconds, TimeUnit.SECONDS);
    }

    int items() {
        return items;
    }

    int loads() {
        return loads;
    }

    String models() {
        return models;
    }

    String dashboard() {
        return dashboard;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** kill -9: no leases released, no last beat. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP or SIGCONT: the whole JVM freezes or resumes, its heartbeat thread included. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Closes standard input: the node stops gracefully (its leases go back first); waits for it. */
    boolean stop(long seconds) throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return true;
    }
}
