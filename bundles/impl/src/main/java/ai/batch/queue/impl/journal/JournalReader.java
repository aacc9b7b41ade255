package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a journal file, keeping every intact record: a damaged line costs that line, never the lines after it.
 *
 * <ul>
 * <li>A line that is not a record is lost, with the reason.</li>
 * <li>Sequence numbers are checked against the order of the file, which is the order of the writes: the
 * records whose numbers rise (the longest such run) are taken as right; a record whose number is out of place
 * is a damaged number, not a damaged record, and is kept in its place in the file (one flipped digit must not
 * throw away what follows). An exact copy of an earlier line is dropped.</li>
 * <li>Numbers missing between two records are reported as lost records. Compaction drops the records of removed
 * jobs, so gaps before the file's checkpoint are normal and only those after it (or anywhere in a file without
 * one) are lost records.</li>
 * <li>Bytes after the last newline are a record a crash cut short (never acknowledged, dropped quietly) only if
 * they look like the start of the next record; anything else (zeros, noise, another file) is damage.</li>
 * </ul>
 */
final class JournalReader {

    /**
     * What was read.
     *
     * @param records the intact records, in order
     * @param sizes the size in bytes of each record's line
     * @param problems one entry per damage found: the line and what is wrong
     * @param cutShort whether the file ends with a record cut short
     * @param lost records known to be lost: unreadable lines, missing numbers, and damaged bytes after the last
     *        line (counted as one)
     */
    record Result(List<JournalCodec.Decoded> records, List<Integer> sizes, List<String> problems,
            boolean cutShort, long lost) {
        long lastSeq() {
            return records.isEmpty() ? 0 : records.get(records.size() - 1).seq();
        }

        static Result empty() {
            return new Result(List.of(), List.of(), List.of(), false, 0);
        }
    }

    private record Line(int number, String text, JournalCodec.Decoded record) {
    }

    private JournalReader() {
    }

    /** @return what the file holds; nothing if there is no such file */
    static Result read(Path file, JournalCodec codec, JournalFiles files) throws IOException {
        byte[] bytes = files.read(file);
        return bytes == null ? Result.empty() : read(bytes, codec);
    }

    static Result read(byte[] bytes, JournalCodec codec) {
        List<String> problems = new ArrayList<>();
        long[] lost = new long[1];
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        List<Line> lines = new ArrayList<>();
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(number, line, codec.decode(line)));
            } catch (RuntimeException e) {
                problems.add("line " + number + ": " + e.getMessage());
                lines.add(new Line(number, line, null)); // counts as a record lost, not as a gap
                lost[0]++;
            }
        }
        List<JournalCodec.Decoded> records = new ArrayList<>(lines.size());
        List<Integer> sizes = new ArrayList<>(lines.size());
        long nextSeq = checkSequence(lines, records, sizes, problems, lost);
        boolean cutShort = false;
        if (end < bytes.length) {
            byte[] tail = Arrays.copyOfRange(bytes, end, bytes.length);
            if (looksCutShort(tail, nextSeq)) {
                cutShort = true;
            } else {
                problems.add("line " + (number + 1) + ": " + tail.length + " bytes after the last line are not a"
                        + " record cut short by a crash");
                lost[0]++;
            }
        }
        return new Result(records, sizes, problems, cutShort, lost[0]);
    }

    /**
     * Keeps the records in file order, reporting numbers out of place, copies and missing numbers.
     *
     * @return the sequence number the next record would have
     */
    private static long checkSequence(List<Line> lines, List<JournalCodec.Decoded> records, List<Integer> sizes,
            List<String> problems, long[] lost) {
        boolean[] inOrder = longestRisingRun(lines);
        int lastCheckpoint = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (inOrder[i] && lines.get(i).record().change() instanceof ai.batch.queue.impl.core.Change.Checkpoint) {
                lastCheckpoint = i;
            }
        }
        Line previous = null; // the last line whose number is in order
        int outOfPlaceSince = 0; // records kept or lost since then, whose numbers do not count as missing
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.record() == null) {
                outOfPlaceSince++; // unreadable: reported already
                continue;
            }
            long seq = line.record().seq();
            if (!inOrder[i]) {
                if (previous != null && seq == previous.record().seq() && line.text().equals(previous.text())) {
                    problems.add("line " + line.number() + ": a copy of line " + previous.number() + ", dropped");
                    continue;
                }
                problems.add("line " + line.number() + ": sequence " + seq + " out of place after "
                        + (previous == null ? 0 : previous.record().seq()) + "; the record is kept in its place");
                outOfPlaceSince++;
            } else {
                long before = previous == null ? (lastCheckpoint < 0 ? 0 : seq - 1) : previous.record().seq();
                long missing = seq - before - 1 - outOfPlaceSince;
                boolean gapsAreLost = lastCheckpoint < 0 || (previous != null && i > lastCheckpoint);
                if (missing > 0 && gapsAreLost) {
                    lost[0] += missing;
                    problems.add("line " + line.number() + ": " + missing + " record(s) missing before it (sequence "
                            + (before + 1) + (missing > 1 ? " to " + (seq - 1 - outOfPlaceSince) : "") + ")");
                }
                previous = line;
                outOfPlaceSince = 0;
            }
            records.add(line.record());
            sizes.add(line.text().getBytes(StandardCharsets.UTF_8).length + 1);
        }
        return previous == null ? 1 + outOfPlaceSince : previous.record().seq() + outOfPlaceSince + 1;
    }

    /** Marks the longest run of lines whose sequence numbers rise strictly (patience sorting, n log n). */
    private static boolean[] longestRisingRun(List<Line> lines) {
        int n = lines.size();
        int[] tails = new int[n]; // index of the smallest last line of a run of each length
        int[] before = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            if (lines.get(i).record() == null) {
                before[i] = -1;
                continue;
            }
            long seq = lines.get(i).record().seq();
            int low = 0;
            int high = length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (lines.get(tails[middle]).record().seq() < seq) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            before[i] = low > 0 ? tails[low - 1] : -1;
            tails[low] = i;
            length = Math.max(length, low + 1);
        }
        boolean[] inRun = new boolean[n];
        for (int i = length > 0 ? tails[length - 1] : -1; i >= 0; i = before[i]) {
            inRun[i] = true;
        }
        return inRun;
    }

    /**
     * Whether bytes after the last newline are the start of the next record that a crash cut short: the writer
     * begins every record with the same bytes, up to its sequence number.
     */
    private static boolean looksCutShort(byte[] tail, long nextSeq) {
        String start = "{\"v\":" + JournalCodec.VERSION + ",\"seq\":" + nextSeq + ",";
        String text = new String(tail, StandardCharsets.ISO_8859_1);
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        return start.startsWith(text) || text.startsWith(start);
    }
}
