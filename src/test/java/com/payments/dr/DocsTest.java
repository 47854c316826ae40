package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents as a whole: a short README that starts with the two commands and maps every page,
 * links that resolve, decision records in their form, and no document that reads like a review log.
 */
class DocsTest {

    static final int README_MAX_LINES = 250;
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
    /** Issue numbers and review-log wording, which mean nothing to a reader of the project. */
    static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("(?i)\\bissues? ?#?\\d+"),
            Pattern.compile("(?<![\\w/&#])#\\d+\\b"),
            Pattern.compile("(?i)\\breview(s|ed|er|ers)?\\b"),
            Pattern.compile("(?i)\\bfindings? and where\\b|\\bwhere they are answered\\b"));

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** README.md, CHANGELOG.md (if any) and every Markdown file under docs/. */
    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        if (Files.exists(Path.of("CHANGELOG.md"))) {
            docs.add(Path.of("CHANGELOG.md"));
        }
        try (Stream<Path> files = Files.walk(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void readmeStartsWithTheTwoCommandsAndStaysShort() {
        String readme = read(Path.of("README.md"));
        List<String> firstLines = readme.lines().limit(5).toList();
        assertTrue(firstLines.contains("./main          # synthesize the stack into cdktf.out/ (builds what it needs on first run)"),
                firstLines.toString());
        assertTrue(firstLines.contains("mvn -B verify   # run all tests, with the coverage gate"), firstLines.toString());
        long lines = readme.lines().count();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines, at most " + README_MAX_LINES);
    }

    @Test
    void everySettingIsInTheConfigurationReferenceAndTheHelp() {
        String reference = read(Path.of("docs/configuration.md"));
        String help = read(Path.of("help"));
        for (Setting setting : Setting.values()) {
            assertTrue(reference.contains("| `" + setting.envVar() + "` | `" + setting.contextKey() + "` |"), setting.name());
            assertTrue(help.contains(setting.envVar()) && help.contains(setting.contextKey()), setting.name());
        }
    }

    @Test
    void theReadmeMapsEveryPageAndTheIndexEveryDecision() throws IOException {
        String readme = read(Path.of("README.md"));
        String index = read(Path.of("docs/decisions/README.md"));
        int decisions = 0;
        for (Path doc : documents()) {
            String name = doc.toString();
            if (name.startsWith("docs/decisions/") && !name.equals("docs/decisions/README.md")) {
                decisions++;
                String file = doc.getFileName().toString();
                assertTrue(file.matches("\\d{4}-[a-z0-9-]+\\.md"), file);
                assertTrue(index.contains("](" + file + ")"), "the decision index lists " + file);
                String record = read(doc);
                assertTrue(record.startsWith("# " + file.substring(0, 4) + ". "), file + ": title '# NNNN. …'");
                for (String heading : List.of("## Context\n", "## Decision\n", "## Consequences\n")) {
                    assertTrue(record.contains("\n" + heading), file + " lacks " + heading.trim());
                }
            } else if (name.startsWith("docs/")) {
                assertTrue(readme.contains("](" + name + ")"), "the README's map links " + name);
            }
        }
        assertTrue(decisions >= 10, "decision records: " + decisions);
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(withoutCode(read(doc)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.resolveSibling(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(read(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void noDocumentMentionsIssueNumbersOrReviews() throws IOException {
        List<Path> files = new ArrayList<>(documents());
        files.addAll(List.of(Path.of("help"), Path.of(".ci/run"), Path.of("main")));
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = read(file).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).replaceAll("https?://\\S+", "");
                for (Pattern forbidden : FORBIDDEN) {
                    Matcher m = forbidden.matcher(line);
                    if (m.find()) {
                        found.add(file + ":" + (i + 1) + ": '" + m.group() + "' in: " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "design history goes into docs/decisions, never issue numbers or review logs");
    }

    @Test
    void theScanCatchesWhatItShould() {
        for (String bad : List.of("see issue 8", "Issue #12", "fixed in #42.", "Review findings", "a reviewer asked",
                "Infrastructure review findings and where they are answered")) {
            assertTrue(FORBIDDEN.stream().anyMatch(p -> p.matcher(bad).find()), bad);
        }
        for (String good : List.of("`stack.InfraReviewTest`", "AWS Health issues of API Gateway", "Service issue",
                "a `<key>.tflock` object", "see [the runbook](runbook.md#fail-back-return-to-the-primary-region)",
                "&#8594;")) {
            assertTrue(FORBIDDEN.stream().noneMatch(p -> p.matcher(good).find()), good);
        }
    }

    @Test
    void ciRunsTheReadmeTestCommand() {
        assertTrue(read(Path.of(".ci/run")).contains("\nmvn -B verify\n"));
    }

    @Test
    void cdktfJsonRunsMainAndItsContextKeysAreSettings() {
        JsonObject cdktf = JsonParser.parseString(read(Path.of("cdktf.json"))).getAsJsonObject();
        assertEquals("java", cdktf.get("language").getAsString());
        assertEquals("./main", cdktf.get("app").getAsString());
        List<String> keys = List.of(Setting.values()).stream().map(Setting::contextKey).toList();
        for (String key : cdktf.getAsJsonObject("context").keySet()) {
            assertTrue(keys.contains(key), "unknown context key " + key);
        }
    }

    /** GitHub's anchors for a document's headings: lower case, punctuation dropped, spaces as hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher m = HEADING.matcher(withoutCode(markdown));
        while (m.find()) {
            String slug = m.group(1).strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
            String unique = slug;
            for (int n = 1; !anchors.add(unique); n++) {
                unique = slug + "-" + n;
            }
        }
        return anchors;
    }

    /** The text without fenced code blocks, whose contents are neither links nor headings. */
    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?ms)^```.*?^```$", "");
    }
}
