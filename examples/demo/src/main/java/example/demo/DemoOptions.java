package example.demo;

import java.util.List;
import java.util.Locale;

/**
 * Command-line flags of the demo.
 *
 * @param speed how much faster than the simulated real time to run (2 = twice as fast)
 * @param scale how many times the default number of photos per job
 * @param shell whether to open the Gogo shell afterwards
 * @param example which example to run instead of the demo, or {@code null}
 * @param help whether to print the usage
 * @param web whether to serve the dashboard while the demo runs
 * @param webActions whether the dashboard may steer the queue (otherwise it is read-only)
 * @param keepRunning whether to keep serving the dashboard after the demo until standard input closes
 * @param failureRate the share of items every simulated model fails, or a negative number for their own rates
 * @param fleet the JDBC URL of a fleet's PostgreSQL to join as a node, or {@code null}
 * @param nodeId this node's name in the fleet, or {@code null} for the host name
 * @param fleetEnqueue whether this fleet node enqueues the fleet example's jobs
 * @param fleetLog where this fleet node writes every fleet event it receives, or {@code null}
 */
record DemoOptions(double speed, double scale, boolean shell, String example, boolean help, boolean web,
        boolean webActions, boolean keepRunning, double failureRate, String fleet, String nodeId,
        boolean fleetEnqueue, String fleetLog) {

    static final List<String> EXAMPLES = List.of("basic-batch", "model-optimization", "eta-tracking",
            "real-models", "slots", "fleet");

    /** One flag as the usage lists it: every flag {@link #parse} accepts has one, with its default. */
    record Flag(String name, String value, String meaning, String byDefault) {
    }

    static final List<Flag> FLAGS = List.of(
            new Flag("--speed", "<factor>", "run the simulated models <factor> times faster", "1"),
            new Flag("--scale", "<factor>", "<factor> times as many photos per job", "1"),
            new Flag("--failure-rate", "<share>", "every simulated model fails this share of items, 0 to 1",
                    "each model's own: llava:13b 0.05, bakllava 0.04, moondream 0.03"),
            new Flag("--example", "<name>", "run an example instead of the demo: " + String.join(", ", EXAMPLES),
                    "none, the demo runs"),
            new Flag("--shell", "", "open the Gogo shell at once while the demo runs in the background (try"
                    + " batch:jobs, batch:job <id>); Ctrl-D leaves", "off"),
            new Flag("--no-web", "", "do not serve the dashboard", "served on 127.0.0.1 only"),
            new Flag("--web-actions", "", "let the dashboard steer the queue (pause, cancel, retry, reorder, purge)",
                    "read-only"),
            new Flag("--keep-running", "", "keep serving the dashboard after the demo until standard input closes",
                    "off"),
            new Flag("--fleet", "<jdbc-url>", "join the fleet on this PostgreSQL as a node (fleet mode): this node's"
                    + " simulated model server (slot gpu) takes work from the shared queue until standard input"
                    + " closes; ./demo --example fleet starts a database and three such nodes", "off"),
            new Flag("--node-id", "<name>", "this node's name in the fleet", "the host name"),
            new Flag("--fleet-enqueue", "", "this fleet node enqueues the fleet example's fifteen jobs", "off"),
            new Flag("--fleet-log", "<file>", "this fleet node writes every fleet event it receives to <file>, one"
                    + " line each (outbox seq, topic, job, item, node)", "off"),
            new Flag("--help", "", "show this text (also -h)", "off"));

    /** The program's name in the usage when nobody says otherwise: the jar run directly. */
    static final String DEFAULT_PROGRAM = "java -jar demo.jar";

    /**
     * @param program how the user starts the demo: {@code ./demo} from the script (system property
     *        {@code demo.program}), otherwise {@code java -jar} and the jar
     * @param columns the terminal's width; each description is wrapped to it
     */
    static String usage(String program, int columns) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("Usage: " + program + " [options]");
        for (Flag flag : FLAGS) {
            String head = String.format("  %-24s ", flag.name() + (flag.value().isEmpty() ? "" : " " + flag.value()));
            String text = flag.meaning() + " (default: " + flag.byDefault() + ")";
            // continuation lines start under the description
            List<String> parts = Text.wrap(text, Math.max(20, columns - head.length()), "");
            for (int i = 0; i < parts.size(); i++) {
                lines.add((i == 0 ? head : " ".repeat(head.length())) + parts.get(i));
            }
        }
        return String.join("\n", lines);
    }

    /** The usage for this process: the program name from {@code ./demo}, or the jar it was started from. */
    static String usage(Terminal terminal) {
        String program = System.getProperty("demo.program");
        if (program == null || program.isBlank()) {
            String classPath = System.getProperty("java.class.path", "");
            program = classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)
                    ? "java -jar " + classPath : DEFAULT_PROGRAM;
        }
        return usage(program, terminal.columns());
    }

    static DemoOptions parse(String... args) {
        double speed = 1;
        double scale = 1;
        boolean shell = false;
        String example = null;
        boolean help = false;
        boolean web = true;
        boolean webActions = false;
        boolean keepRunning = false;
        double failureRate = -1;
        String fleet = null;
        String nodeId = null;
        boolean fleetEnqueue = false;
        String fleetLog = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--speed" -> speed = positive(arg, value(args, ++i, arg));
                case "--scale" -> scale = positive(arg, value(args, ++i, arg));
                case "--shell" -> shell = true;
                case "--no-web" -> web = false;
                case "--web-actions" -> webActions = true;
                case "--keep-running" -> keepRunning = true;
                case "--failure-rate" -> failureRate = share(arg, value(args, ++i, arg));
                case "--help", "-h" -> help = true;
                case "--fleet" -> fleet = jdbcUrl(arg, value(args, ++i, arg));
                case "--node-id" -> nodeId = value(args, ++i, arg);
                case "--fleet-enqueue" -> fleetEnqueue = true;
                case "--fleet-log" -> fleetLog = value(args, ++i, arg);
                case "--example" -> {
                    example = value(args, ++i, arg).toLowerCase(Locale.ROOT).replace('_', '-');
                    if (!EXAMPLES.contains(example)) {
                        throw new IllegalArgumentException("Unknown example '" + args[i] + "'; choose one of "
                                + String.join(", ", EXAMPLES));
                    }
                }
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
        }
        if (!web && webActions) {
            throw new IllegalArgumentException("--no-web and --web-actions exclude each other");
        }
        if (keepRunning && shell) {
            throw new IllegalArgumentException("--keep-running and --shell both read standard input; choose one");
        }
        if (fleet == null && (nodeId != null || fleetEnqueue || fleetLog != null)) {
            throw new IllegalArgumentException("--node-id, --fleet-enqueue and --fleet-log need --fleet <jdbc-url>");
        }
        if (fleet != null && (example != null || shell || keepRunning)) {
            throw new IllegalArgumentException("a fleet node (--fleet) runs until standard input closes; it takes no"
                    + " --example, --shell or --keep-running");
        }
        return new DemoOptions(speed, scale, shell, example, help, web, webActions, keepRunning, failureRate, fleet,
                nodeId, fleetEnqueue, fleetLog);
    }

    private static String jdbcUrl(String option, String text) {
        if (!text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(option + " needs a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db),"
                    + " got '" + text + "'");
        }
        return text;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static double share(String option, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + text + "'");
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " must be between 0 and 1, got " + text);
        }
        return value;
    }

    private static double positive(String option, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + text + "'");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be greater than 0, got " + text);
        }
        return value;
    }
}
