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
 */
record DemoOptions(double speed, double scale, boolean shell, String example, boolean help, boolean web,
        boolean webActions, boolean keepRunning, double failureRate) {

    static final List<String> EXAMPLES = List.of("basic-batch", "model-optimization", "eta-tracking",
            "real-models");

    static final String USAGE = String.join("\n",
            "Usage: java -jar ai-batch-queue-demo.jar [options]",
            "  --speed <factor>     run the simulated models <factor> times faster (default 1)",
            "  --scale <factor>     <factor> times as many photos per job (default 1)",
            "  --example <name>     run an example instead: " + String.join(", ", EXAMPLES),
            "  --shell              open the Gogo shell afterwards (try batch:jobs, batch:job <id>)",
            "  --no-web             do not serve the dashboard (by default it is served on 127.0.0.1 only)",
            "  --web-actions        let the dashboard steer the queue (pause, cancel, retry, reorder, purge)",
"  --keep-running       keep serving the dashboard after the demo until standard input closes",
            "  --help               show this text");

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
        return new DemoOptions(speed, scale, shell, example, help, web, webActions, keepRunning, failureRate);
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
