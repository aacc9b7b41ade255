package example.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Makes the demo's framework storage readable by its owner only: it holds the queue's journal (every item's data
 * and output) and Configuration Admin's files (an OpenAI handler's API key, for one). The launcher creates it
 * in the temporary directory with the process's umask, usually readable by every user of the machine; the
 * directory becomes {@code rwx------} and what it holds {@code rw-------} (directories {@code rwx------}).
 */
final class OwnerOnly {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** @return the framework's storage directory, if the framework says where it is */
    static Optional<Path> storage(BundleContext context) {
        String storage = context.getProperty(Constants.FRAMEWORK_STORAGE);
        if (storage != null && !storage.isBlank()) {
            return Optional.of(Path.of(storage).toAbsolutePath());
        }
        // Felix's default layout: <storage>/bundle<N>/data
        return Optional.ofNullable(context.getDataFile("")).map(data -> data.toPath().toAbsolutePath())
                .map(Path::getParent).map(Path::getParent);
    }

    /**
     * Restricts the directory first (from then on nothing inside is reachable by others), then each file and
     * directory below it. Does nothing on a file system without POSIX permissions.
     *
     * @param root the storage directory
     * @return whether the permissions were set
     */
    static boolean apply(Path root) throws IOException {
        if (!Files.getFileStore(root).supportsFileAttributeView("posix")) {
            return false;
        }
        Files.setPosixFilePermissions(root, DIRECTORY);
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.toList();
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
            return true; // a file vanished while the framework worked: the directory is closed already
        }
        for (Path path : paths) {
            try {
                if (!Files.isSymbolicLink(path)) {
                    Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
                }
            } catch (NoSuchFileException gone) {
                // deleted meanwhile (the framework rewrites its cache files)
            }
        }
        return true;
    }

    /** Applies {@link #apply} to the framework's storage, reporting a failure without stopping the demo. */
    static void protect(BundleContext context) {
        storage(context).ifPresent(root -> {
            try {
                apply(root);
            } catch (IOException | RuntimeException e) {
                System.err.println("Could not make " + root + " private to its owner: " + e);
            }
        });
    }
}
