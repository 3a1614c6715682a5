package io.argus.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Rules about the source text of main code that bytecode cannot show (javac inlines constants and
 * drops imports):
 * <ul>
 * <li>Other classes are named by their imports, not inline as {@code java.util.Map<...>}: a reader sees
 * at the top what a file depends on. Written out in full only where two classes of the file share a
 * simple name (Kafka's {@code TimeoutException} beside the JDK's), which the compiler requires.</li>
 * <li>Kafka client settings are made in {@code KafkaClients} only, where each has its reason.</li>
 * </ul>
 */
class SourceRulesTest {

    /** A qualified class name: lower-case package parts, then a capitalised class. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])((?:java|javax|jakarta|io|org|com)(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?[\\w.]+\\.(\\w+)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern DECLARED = Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)");
    /** Kafka's classes of client setting names. */
    private static final Pattern KAFKA_SETTINGS = Pattern.compile(
            "\\b(ProducerConfig|ConsumerConfig|AdminClientConfig|CommonClientConfigs)\\b");
    private static final String KAFKA_CLIENTS = "common/src/main/java/io/argus/common/kafka/KafkaClients.java";

    @Test
    void mainCodeNamesOtherClassesByTheirImportsNotInline() throws IOException {
        List<String> inline = new ArrayList<>();
        mainSources().forEach((file, source) -> inlineNames(source).forEach(name -> inline.add(file + ": " + name)));
        assertThat(inline).as("inline qualified class names in main code (import them)").isEmpty();
    }

    @Test
    void kafkaClientSettingsAreMadeOnlyInKafkaClients() throws IOException {
        Map<String, String> sources = mainSources();
        assertThat(sources).as("main sources").containsKey(KAFKA_CLIENTS);
        List<String> elsewhere = sources.entrySet().stream()
                .filter(e -> !e.getKey().equals(KAFKA_CLIENTS) && KAFKA_SETTINGS.matcher(codeOnly(e.getValue())).find())
                .map(Map.Entry::getKey).toList();
        assertThat(elsewhere).as("main code setting Kafka client properties (use KafkaClients)").isEmpty();
    }

    @Test
    void theCheckFindsAnInlineNameAndLetsAClashOfSimpleNamesBe() {
        String source = """
                package a.b;

                import java.util.concurrent.TimeoutException;

                /** Not {@code java.util.Map} in a comment, nor "java.util.Set" in a string. */
                class C {
                    java.util.Map<String, String> m;
                    void f() throws TimeoutException, org.apache.kafka.common.errors.TimeoutException {
                    }
                }
                """;
        assertThat(inlineNames(source)).containsExactly("java.util.Map");
    }

    @Test
    void aKafkaSettingInCodeIsFoundAndOneInACommentIsNot() {
        assertThat(KAFKA_SETTINGS.matcher(codeOnly("""
                // ProducerConfig.ACKS_CONFIG is set by KafkaClients
                var p = Map.of(ProducerConfig.ACKS_CONFIG, "all");
                """)).results().count()).isEqualTo(1);
    }

    /** Every main source file of every module, by its path from the repository's root. */
    private static Map<String, String> mainSources() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        sources.put(root.relativize(f).toString(), Files.readString(f));
                    }
                }
            }
        }
        return sources;
    }

    /** The qualified names in the code of {@code source} whose simple name no import or type of it uses. */
    static List<String> inlineNames(String source) {
        String code = codeOnly(source);
        Set<String> taken = Stream.concat(IMPORT.matcher(code).results(), DECLARED.matcher(code).results())
                .map(m -> m.group(1)).collect(Collectors.toSet());
        List<String> found = new ArrayList<>();
        for (String line : code.split("\n")) {
            if (line.startsWith("package ") || line.startsWith("import ")) {
                continue;
            }
            Matcher m = QUALIFIED.matcher(line);
            while (m.find()) {
                if (!taken.contains(m.group(2))) {
                    found.add(m.group(1) + "." + m.group(2));
                }
            }
        }
        return found;
    }

    /** The source with comments and string and character literals blanked out, lines kept. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = skipTo(source, i, "\n", out, false);
            } else if (source.startsWith("/*", i)) {
                i = skipTo(source, i + 2, "*/", out, true);
            } else if (source.startsWith("\"\"\"", i)) {
                i = skipTo(source, i + 3, "\"\"\"", out, true);
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Skips to the end of {@code end} (or before it, for a line comment's newline), keeping newlines. */
    private static int skipTo(String source, int from, String end, StringBuilder out, boolean pastEnd) {
        int at = source.indexOf(end, from);
        int stop = at < 0 ? source.length() : pastEnd ? at + end.length() : at;
        source.substring(from, stop).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
        return stop;
    }
}
