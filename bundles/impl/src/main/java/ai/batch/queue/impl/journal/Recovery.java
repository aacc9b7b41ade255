package ai.batch.queue.impl.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Replaces a damaged journal with the records recovered from it, so that a crash at any moment loses nothing
 * intact: the damaged file is first kept under another name ({@code journal.log.damaged-<millis>.kept}, a hard link,
 * so that it costs no copy), the new journal is written to {@code journal.log.recovering} and forced to disk,
 * and only then renamed over {@code journal.log} (atomically) and the directory forced. Until the rename, the
 * journal is the damaged file itself, and the next start recovers from it again (reusing the copy kept aside);
 * after it, the journal is the complete new one.
 *
 * <p>Versions before this one moved the damaged file aside first and then wrote the new journal; a crash in
 * between left no journal, or the first part of one. A start that finds a kept-aside file whose intact records
 * the journal holds only the beginning of recovers from that file ({@link #interrupted}), then renames it with
 * the {@code .kept} suffix: only the names of those versions ({@code journal.log.damaged-<millis>}) are checked.
 */
final class Recovery {

    static final String ASIDE_PREFIX = Journal.FILE_NAME + ".damaged-";
    static final String TEMPORARY = Journal.FILE_NAME + ".recovering";
    static final String KEPT = ".kept";

    private Recovery() {
    }

    /** Deletes what an interrupted rewrite left that is not needed: the temporary new journal. */
    static void removeLeftovers(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(TEMPORARY));
    }

    /**
     * A rewrite that an earlier version left unfinished: the newest kept-aside file, if the journal holds fewer of
     * its intact records than it does, and only those it begins with.
     *
     * @param journal what the journal holds
     * @return the kept-aside file to recover from, and what it holds; empty if the journal is complete
     */
    static Optional<Found> interrupted(Path directory, JournalReader.Result journal, JournalCodec codec,
            JournalFiles files) throws IOException {
        Path newest = keptAside(directory).stream().filter(Recovery::byEarlierVersion)
                .reduce((first, second) -> second).orElse(null);
        if (newest == null) {
            return Optional.empty();
        }
        JournalReader.Result aside = JournalReader.read(newest, codec, files);
        List<JournalCodec.Decoded> held = journal.records();
        List<JournalCodec.Decoded> intact = aside.records();
        if (held.size() >= intact.size()) {
            return Optional.empty();
        }
        for (int i = 0; i < held.size(); i++) { // the rewrite numbered records anew: compare the changes
            if (!Arrays.equals(encode(codec, held.get(i)), encode(codec, intact.get(i)))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Found(newest, aside));
    }

    /** A kept-aside file and what it holds. */
    record Found(Path file, JournalReader.Result read) {
    }

    private static byte[] encode(JournalCodec codec, JournalCodec.Decoded record) {
        return codec.encode(0, record.change(), record.restoredDataType());
    }

    /** @return the kept-aside files, oldest first */
    static List<Path> keptAside(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith(ASIDE_PREFIX))
                    .sorted(Comparator.comparing((Path file) -> millis(file)).thenComparing(Path::toString))
                    .toList();
        }
    }

    private static long millis(Path file) {
        String name = file.getFileName().toString().substring(ASIDE_PREFIX.length());
        try {
            return Long.parseLong(name.endsWith(KEPT) ? name.substring(0, name.length() - KEPT.length()) : name);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Whether a version that could leave its rewrite unfinished named this file. */
    private static boolean byEarlierVersion(Path file) {
        return file.getFileName().toString().substring(ASIDE_PREFIX.length()).chars().allMatch(Character::isDigit);
    }

    /**
     * Rewrites the journal with {@code records}, numbered from 1.
     *
     * @param aside the copy of the damaged file kept already, or {@code null} to keep one now
     * @return the kept-aside copy of the damaged file
     */
    static Path rewrite(Path directory, List<JournalCodec.Decoded> records, JournalCodec codec, JournalFiles files,
            Path aside, List<Integer> sizes) throws IOException {
        Path journal = directory.resolve(Journal.FILE_NAME);
        if (aside == null) {
            aside = copyOf(journal, directory).orElse(null);
            if (aside == null) {
                files.before(JournalFiles.Step.KEEP_ASIDE);
                aside = directory.resolve(ASIDE_PREFIX + System.currentTimeMillis() + KEPT);
                files.keepAside(journal, aside);
                files.forceDirectory(directory);
            }
        }
        List<byte[]> lines = new ArrayList<>(records.size());
        long seq = 0;
        for (JournalCodec.Decoded record : records) {
            byte[] line = codec.encode(++seq, record.change(), record.restoredDataType());
            lines.add(line);
            sizes.add(line.length);
        }
        Path temporary = directory.resolve(TEMPORARY);
        files.before(JournalFiles.Step.WRITE_NEW);
        files.write(temporary, lines);
        files.before(JournalFiles.Step.SYNC_NEW);
        files.force(temporary);
        files.before(JournalFiles.Step.REPLACE);
        files.replace(temporary, journal);
        files.before(JournalFiles.Step.SYNC_DIRECTORY);
        files.forceDirectory(directory);
        if (byEarlierVersion(aside)) { // recovered from: no longer a sign of an unfinished rewrite
            Path renamed = aside.resolveSibling(aside.getFileName() + KEPT);
            files.replace(aside, renamed);
            files.forceDirectory(directory);
            aside = renamed;
        }
        return aside;
    }

    /** A copy kept by an earlier, interrupted attempt: the same bytes as the journal. */
    private static Optional<Path> copyOf(Path journal, Path directory) throws IOException {
        for (Path aside : keptAside(directory)) {
            if (Files.size(aside) == Files.size(journal) && Files.mismatch(aside, journal) == -1L) {
                return Optional.of(aside);
            }
        }
        return Optional.empty();
    }
}
