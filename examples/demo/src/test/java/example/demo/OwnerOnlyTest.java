package example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework storage is closed to other users: the directory rwx------, what it holds rw-------. */
class OwnerOnlyTest {

    @TempDir
    Path temp;

    @Test
    void storageAndEverythingInItBecomeOwnerOnly() throws Exception {
        Path storage = Files.createDirectory(temp.resolve("osgi.1.fw"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = Files.createDirectories(storage.resolve("bundle3/data/journal"));
        Path journal = Files.writeString(data.resolve("journal.log"), "{}\n");
        Path config = Files.writeString(Files.createDirectories(storage.resolve("bundle9/data/config"))
                .resolve("ai.batch.queue.openai.config"), ".apiKey=\"sk-secret\"\n");
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(OwnerOnly.apply(storage)).isTrue();

        assertThat(Files.getPosixFilePermissions(storage)).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(storage.resolve("bundle3"))).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(journal)).isEqualTo(OwnerOnly.FILE);
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(OwnerOnly.FILE);
    }
}
