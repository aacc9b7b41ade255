package example.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * The terminal's input for Gogo's console, decoded as UTF-8 whatever the platform charset. Gogo shell 1.1 reads
 * its console one {@code read()} at a time and takes each value for a character, so raw UTF-8 bytes arrived as
 * Latin-1 ("Grüße" became "GrÃ¼ÃŸe"). Here {@link #read()} returns one whole character (a UTF-16 unit, up to
 * 0xFFFF), which is what that console needs. A bulk {@link #read(byte[], int, int)} (a command reading standard
 * input) gets the characters' UTF-8 bytes instead.
 */
final class Utf8Keyboard extends InputStream {

    private final Reader in;
    private byte[] pending = new byte[0];
    private int next;

    Utf8Keyboard(InputStream in) {
        this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    /** @return the next character (not byte), or -1 at the end of input */
    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (next == pending.length) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            StringBuilder text = new StringBuilder().append((char) c);
            if (Character.isHighSurrogate((char) c)) {
                int low = in.read();
                if (low >= 0) {
                    text.append((char) low);
                }
            }
            pending = text.toString().getBytes(StandardCharsets.UTF_8);
            next = 0;
        }
        int count = Math.min(length, pending.length - next);
        System.arraycopy(pending, next, buffer, offset, count);
        next += count;
        return count;
    }

    /**
     * @return more than 0 while a key press waits: a command that follows a job ({@code batch:watch}) stops when
     *         Enter is pressed, which it learns from this
     */
    @Override
    public int available() throws IOException {
        int buffered = pending.length - next;
        return buffered > 0 ? buffered : in.ready() ? 1 : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
