package ai.batch.queue.embeddings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Points the tokenizer's native library at a directory of our choosing while it is first loaded. The tokenizer
 * unpacks its native library into {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else
 * {@code ~/.djl.ai}; a bundle must not write into the user's home, so unless the environment or the JVM already
 * names a directory, {@code ENGINE_CACHE_DIR} is set for the duration of the load and removed afterwards.
 */
final class NativeCache {

    private static final String[] KEYS = {"ENGINE_CACHE_DIR", "DJL_CACHE_DIR"};

    /** Work that may throw. */
    interface Loading<T> {
        T run() throws IOException;
    }

    private NativeCache() {
    }

    static synchronized <T> T withCacheDir(Path directory, Loading<T> loading) throws IOException {
        boolean chosenElsewhere = false;
        for (String key : KEYS) {
            chosenElsewhere |= System.getenv(key) != null || System.getProperty(key) != null;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        // The tokenizer finds its native library and its version file through the context class loader.
        thread.setContextClassLoader(NativeCache.class.getClassLoader());
        if (!chosenElsewhere) {
            System.setProperty(KEYS[0], directory.toAbsolutePath().toString());
        }
        try {
            return loading.run();
        } finally {
            if (!chosenElsewhere) {
                System.clearProperty(KEYS[0]);
            }
            thread.setContextClassLoader(previousLoader);
        }
    }
}
