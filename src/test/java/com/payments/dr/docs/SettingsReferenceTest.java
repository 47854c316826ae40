package com.payments.dr.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.config.Setting;
import com.payments.dr.naming.Naming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md's settings table is config/Setting itself; its notes name real settings. */
class SettingsReferenceTest {

    static final Path DOC = Path.of("docs/configuration.md");
    static final GeneratedBlock SETTINGS = new GeneratedBlock(DOC, "settings");

    /** The table: one row per setting, in the enum's order, each cell from its definition. */
    static String table() {
        StringBuilder md = new StringBuilder("| variable | context key | default | allowed |\n|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            md.append("| `").append(s.envVar()).append("` | `").append(s.contextKey()).append("` | ")
                    .append(s.defaultValue().isEmpty() ? "none" : "`" + s.defaultValue() + "`").append(" | ")
                    .append(cell(s.allowed())).append(" |\n");
        }
        return md.toString();
    }

    /** A table cell: pipes escaped, and a word with a placeholder such as {@code api.<zone>} as code (else HTML). */
    static String cell(String text) {
        return text.replace("|", "\\|").replaceAll("([^\\s,()]*<[a-z-]+>[^\\s,()]*)", "`$1`");
    }

    @Test
    void theTableIsTheSettingsOwnDefinition() {
        SETTINGS.check(table());
    }

    @Test
    void everyNoteNamesASettingAndItsFiguresMatchTheCode() throws IOException {
        String doc = Files.readString(DOC);
        String notes = doc.substring(doc.indexOf("## Notes on some settings"), doc.indexOf("\n## Outputs"));
        Pattern bullet = Pattern.compile("(?m)^- ((?:`[A-Z0-9_]+`(?:, )?)+):");
        Matcher m = bullet.matcher(notes);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            for (String token : m.group(1).split(", ")) {
                named.add(token.replace("`", ""));
            }
        }
        assertTrue(named.size() >= 10, named.toString());
        List<String> settings = List.of(Setting.values()).stream().map(Setting::envVar).toList();
        assertEquals(List.of(), named.stream().filter(n -> !settings.contains(n)).toList(), "notes on unknown settings");
        assertTrue(notes.contains("At most " + Naming.maxSuffixLength() + " characters"), "the computed suffix bound");
    }
}
