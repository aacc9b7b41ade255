package ai.batch.queue.runtime.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SecretMaskTest {

    private static final String KEY = "sk-test-4f1c9e2a7b3d";

    @Test
    void theMaskComesBeforeTheCut() {
        SecretMask mask = new SecretMask(KEY);
        String text = "x".repeat(95) + KEY + " and more";

        assertThat(mask.cut(text, 100)).isEqualTo("x".repeat(95) + "*** a…");
    }

    @Test
    void everyOccurrenceIsMasked() {
        SecretMask mask = new SecretMask(KEY);

        assertThat(mask.mask("a " + KEY + " b " + KEY)).isEqualTo("a *** b ***");
        assertThat(mask.mask(List.of(KEY))).isEqualTo("[***]");
        assertThat(mask.mask((String) null)).isNull();
    }

    @Test
    void noSecretMasksNothing() {
        assertThat(SecretMask.NONE.mask(KEY)).isEqualTo(KEY);
        assertThat(new SecretMask(null).mask(KEY)).isEqualTo(KEY);
        assertThat(new SecretMask("").cut("a\n  b", 10)).isEqualTo("a b");
    }

    @Test
    void aCutLineIsOneLine() {
        assertThat(SecretMask.NONE.cut("one\ntwo\r\n\tthree", 100)).isEqualTo("one two three");
        assertThat(SecretMask.NONE.cut("abcdef", 3)).isEqualTo("abc…");
    }
}
