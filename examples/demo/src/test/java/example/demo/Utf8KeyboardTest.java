package example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What Gogo's console gets from the terminal: whole characters, whatever the platform charset. */
class Utf8KeyboardTest {

    private static InputStream typed(String text) {
        return new Utf8Keyboard(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads as Gogo shell 1.1's console does: one read() per character, cast to char. */
    private static String asGogoReads(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void eachReadIsOneCharacter() throws IOException {
        assertThat(asGogoReads(typed("batch:enqueue grüße tag Grüße \u202e\n"))).isEqualTo(
                "batch:enqueue grüße tag Grüße \u202e\n");
    }

    @Test
    void bulkReadsGetUtf8Bytes() throws IOException {
        String text = "Grüße \uD83D\uDE00 日本";
        assertThat(new String(typed(text).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        byte[] one = new byte[1];
        InputStream in = typed("ü");
        assertThat(in.read(one, 0, 1)).isEqualTo(1);
        assertThat(one[0]).isEqualTo((byte) 0xC3);
        assertThat(in.read(one, 0, 1)).isEqualTo(1);
        assertThat(one[0]).isEqualTo((byte) 0xBC);
        assertThat(in.read(one, 0, 1)).isEqualTo(-1);
    }

    @Test
    void aWaitingKeyPressIsAvailableAndCanBeSkipped() throws IOException {
        InputStream in = typed("\n");
        assertThat(in.available()).isPositive();
        in.skip(in.available());
        assertThat(in.available()).isZero();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(typed("").available()).isZero();
    }
}
