package example.fleet;

import java.nio.file.Path;

/**
 * The fleet example's command line. {@code ./demo --example fleet [options]} passes the demo's jar and every
 * option; {@code --example fleet} itself is accepted and ignored.
 *
 * @param demoJar the demo's executable jar, each node's program
 * @param speed how much faster than real time the simulated servers run
 * @param web whether node-1 serves its dashboard
 * @param freeze whether node-3 is frozen (SIGSTOP) until declared dead, then resumed
 * @param restartDb whether PostgreSQL restarts mid-run
 * @param report where to write the result as JSON, or {@code null}
 * @param work where the database and the nodes' logs go, or {@code null} for a new temporary directory
 * @param help whether to print the usage
 */
record FleetOptions(Path demoJar, double speed, boolean web, boolean freeze, boolean restartDb, Path report, Path work,
        boolean help) {

    static final String USAGE = String.join("\n",
            "Usage: ./demo --example fleet [options]",
            "  --speed <factor>   run the simulated servers <factor> times faster (default: 4)",
            "  --no-web           node-1 serves no dashboard (default: served on 127.0.0.1 only)",
            "  --freeze           also freeze node-3 (SIGSTOP) until the fleet declares it dead, then resume it",
            "  --restart-db       also restart PostgreSQL while the nodes work",
            "  --report <file>    write the result as JSON to <file>",
            "  --work <dir>       keep the database and the nodes' logs in <dir> (default: a new temporary directory)");

    static FleetOptions parse(String... args) {
        Path demoJar = null;
        double speed = 4;
        boolean web = true;
        boolean freeze = false;
        boolean restartDb = false;
        Path report = null;
        Path work = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--demo-jar" -> demoJar = Path.of(value(args, ++i, arg));
                case "--example" -> {
                    if (!"fleet".equals(value(args, ++i, arg))) {
                        throw new IllegalArgumentException("this program runs the fleet example only");
                    }
                }
                case "--speed" -> speed = speed(value(args, ++i, arg));
                case "--no-web" -> web = false;
                case "--freeze" -> freeze = true;
                case "--restart-db" -> restartDb = true;
                case "--report" -> report = Path.of(value(args, ++i, arg));
                case "--work" -> work = Path.of(value(args, ++i, arg));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("Unknown option '" + arg + "'");
            }
        }
        if (demoJar == null && !help) {
            throw new IllegalArgumentException("--demo-jar <path> is required (./demo passes it)");
        }
        return new FleetOptions(demoJar, speed, web, freeze, restartDb, report, work, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static double speed(String text) {
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && !Double.isInfinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below names it
        }
        throw new IllegalArgumentException("--speed must be a number greater than 0, got '" + text + "'");
    }
}
