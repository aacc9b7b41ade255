package example.demo;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Opens an interactive Gogo shell on the console; returns when the user leaves it (Ctrl-D). */
final class GogoShell {

    private GogoShell() {
    }

    static void open(BundleContext context) throws Exception {
        ServiceReference<CommandProcessor> reference = context.getServiceReference(CommandProcessor.class);
        if (reference == null) {
            System.out.println("No Gogo shell in this framework.");
            return;
        }
        CommandProcessor processor = context.getService(reference);
        // Gogo routes System.out per thread through itself; a session needs the process's own streams. They are
        // UTF-8 whatever the platform charset (Java 17 takes it from the locale, ASCII under LANG=C), so that
        // what is typed in arrives as typed and names print as they are.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(
                new Utf8Keyboard(new FileInputStream(FileDescriptor.in)), out, err)) {
            out.println();
            out.println("Gogo shell: try batch:jobs, batch:job <id>, batch:enqueue llava:13b tag a.jpg b.jpg, "
                    + "batch:eta <id>. Ctrl-D leaves.");
            session.execute("gosh --login --noshutdown");
        } finally {
            context.ungetService(reference);
        }
    }
}
