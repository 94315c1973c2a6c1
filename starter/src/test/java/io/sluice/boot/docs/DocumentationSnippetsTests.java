package io.sluice.boot.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the code in the documentation real: a fenced block right after a {@code <!-- snippet: path -->} comment
 * in {@code README.md} or {@code docs/*.md} must appear, line for line (indentation aside), in that file of the repository, where a
 * test compiles and runs it. Changing either side without the other fails here.
 */
@Timeout(30)
class DocumentationSnippetsTests {

    /** Surefire runs in the module's directory; the documentation is next to it. */
    private static final Path REPOSITORY = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
    private static final Path DOCS = REPOSITORY.resolve("docs");

    private static final Pattern MARKED_BLOCK = Pattern.compile("<!-- snippet: (\\S+) -->\\R```([\\w-]*)\\R(.*?)\\R```",
            Pattern.DOTALL);
    private static final Pattern JAVA_FENCE = Pattern.compile("^```java$", Pattern.MULTILINE);

    record Snippet(Path document, String source, String code) {

        @Override
        public String toString() {
            return document.getFileName() + " → " + source;
        }
    }

    static List<Snippet> snippets() throws IOException {
        List<Snippet> found = new ArrayList<>();
        try (Stream<Path> guides = Files.list(DOCS)) {
            List<Path> documents = Stream.concat(Stream.of(REPOSITORY.resolve("README.md")),
                    guides.filter(p -> p.toString().endsWith(".md")).sorted()).toList();
            for (Path document : documents) {
                Matcher block = MARKED_BLOCK.matcher(Files.readString(document));
                while (block.find()) {
                    found.add(new Snippet(document, block.group(1), block.group(3)));
                }
            }
        }
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void theSnippetIsWhatTheSourceSays(Snippet snippet) {
        Path source = REPOSITORY.resolve(snippet.source());
        assertThat(source).as("source of a snippet in %s", snippet.document().getFileName()).isRegularFile();

        List<String> code = dedented(lines(snippet.code()));
        List<String> file = lines(read(source));
        boolean found = false;
        for (int start = 0; start + code.size() <= file.size() && !found; start++) {
            found = dedented(file.subList(start, start + code.size())).equals(code);
        }
        assertThat(found).as("%s contains, line for line (indentation aside), the snippet%n%s", source, snippet.code())
                .isTrue();
    }

    @Test
    void theGettingStartedGuideShowsOnlyCheckedCodeAndConfiguration() {
        String guide = read(DOCS.resolve("getting-started.md"));
        long javaBlocks = JAVA_FENCE.matcher(guide).results().count();
        List<MatchResult> marked = MARKED_BLOCK.matcher(guide).results().toList();

        assertThat(javaBlocks).as("Java blocks in getting-started.md").isGreaterThanOrEqualTo(4);
        assertThat(marked).as("Java blocks of getting-started.md marked as snippets")
                .filteredOn(block -> block.group(2).equals("java")).hasSize((int) javaBlocks);
        assertThat(marked).as("its application.yml, marked as a snippet")
                .anySatisfy(block -> assertThat(block.group(1)).endsWith("/application.yml"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines without trailing blanks, which are not content. */
    private static List<String> lines(String text) {
        return text.lines().map(String::stripTrailing).toList();
    }

    /**
     * The lines with their common indentation removed: a documented method is shown at the margin, while in its
     * class it is indented.
     */
    private static List<String> dedented(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isEmpty())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(line -> line.isEmpty() ? line : line.substring(indent)).toList();
    }
}
