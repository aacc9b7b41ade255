package example.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The demo's sentences ({@code corpus/sentences.txt}): language code, a tab, the sentence; {@code #} comments. */
record Corpus(List<Sentence> sentences) {

    static final String RESOURCE = "/corpus/sentences.txt";

    /** One line of the corpus. */
    record Sentence(String id, String language, String text) {
    }

    static Corpus load() throws IOException {
        List<Sentence> sentences = new ArrayList<>();
        try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("The demo bundle has no " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw new IOException(RESOURCE + " line " + number + " has no tab between language and text");
                }
                sentences.add(new Sentence(String.format("s%03d", sentences.size() + 1), line.substring(0, tab),
                        line.substring(tab + 1)));
            }
        }
        return new Corpus(List.copyOf(sentences));
    }

    long languages() {
        return sentences.stream().map(Sentence::language).distinct().count();
    }
}
