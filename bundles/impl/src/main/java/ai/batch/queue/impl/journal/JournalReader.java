package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a journal file, keeping every intact record. A last line without its newline is a write the crash cut
 * short (never acknowledged) and is dropped quietly; any other unreadable line is counted as lost with the
 * reason, and reading goes on.
 */
final class JournalReader {

    /**
     * What was read.
     *
     * @param records the intact records, in order
     * @param problems one entry per lost line: its number and why
     * @param cutShort whether the last line was cut short
     */
    record Result(List<JournalCodec.Decoded> records, List<String> problems, boolean cutShort) {
        long lastSeq() {
            return records.isEmpty() ? 0 : records.get(records.size() - 1).seq();
        }
    }

    private JournalReader() {
    }

    static Result read(Path file, JournalCodec codec) throws IOException {
        List<JournalCodec.Decoded> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Result(records, problems, false);
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        boolean cutShort = !lines[lines.length - 1].isEmpty();
        long lastSeq = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            try {
                JournalCodec.Decoded record = codec.decode(line);
                if (record.seq() <= lastSeq) {
                    problems.add("line " + (i + 1) + ": sequence " + record.seq() + " after " + lastSeq);
                    continue;
                }
                lastSeq = record.seq();
                records.add(record);
            } catch (RuntimeException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Result(records, problems, cutShort);
    }
}
