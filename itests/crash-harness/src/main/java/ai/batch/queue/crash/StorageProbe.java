package ai.batch.queue.crash;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Shows whether the framework storage, and with it every bundle's data area (where the queue keeps its journal by
 * default), survives a restart of the launcher: each life appends its number to a file in this bundle's data area
 * and reports, in {@code crash.dir/storage.log}, the lives it found there: {@code <life> <lives found|-> <path>}.
 * The test compares that with the lives that really ran. It also lists the installed bundles by id in
 * {@code bundles.log} ({@code <life> <id>=<symbolic name>,...}), so that a bundle cache entry the framework drops
 * on a later start (it logs the entry's directory, {@code bundle<id>}) can be named.
 */
final class StorageProbe {

    static final String FILE = "lives.txt";

    private StorageProbe() {
    }

    /** @return the lives an earlier run left in the data area */
    static List<String> record(BundleContext context, CrashSettings settings) throws IOException {
        File dataFile = context.getDataFile(FILE);
        if (dataFile == null) {
            throw new IOException("the framework gives this bundle no data area (no file system support)");
        }
        Path lives = dataFile.toPath();
        List<String> found = DurableFiles.readLines(lives);
        DurableFiles.appendLine(lives, Integer.toString(settings.life()));
        DurableFiles.appendLine(settings.dir().resolve("storage.log"), settings.life() + " "
                + (found.isEmpty() ? "-" : String.join(",", found)) + " " + lives.toAbsolutePath());
        StringJoiner bundles = new StringJoiner(",", settings.life() + " ", "");
        for (Bundle bundle : context.getBundles()) {
            bundles.add(bundle.getBundleId() + "=" + bundle.getSymbolicName());
        }
        DurableFiles.appendLine(settings.dir().resolve("bundles.log"), bundles.toString());
        return found;
    }
}
