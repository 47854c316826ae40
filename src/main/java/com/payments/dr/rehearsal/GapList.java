package com.payments.dr.rehearsal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checked-in list of emulator gaps (src/rehearsal/emulator-gaps.txt): the second-plan diffs
 * that are the emulator's omissions, each with its reason, keyed by resource type and top-level
 * attribute ({@code aws_lambda_function.kms_key_arn}) so a gap stays one line however many
 * resources of the type the stack holds. Kept exact: a diff not listed is the stack's until shown
 * otherwise, and a listed gap that no longer shows must go (the emulator or the stack changed).
 */
public final class GapList {

    /** {@code <resource type>.<attribute>}, the attribute being {@code *} for a whole resource. */
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*\\.([a-z][a-z0-9_]*|\\*)");

    private final Map<String, String> reasons;

    private GapList(Map<String, String> reasons) {
        this.reasons = reasons;
    }

    /**
     * Parses the file: {@code #} comments and blank lines aside, each line is a key, white space,
     * then the reason. A malformed line, a key listed twice or a gap without its reason is refused
     * with its line number.
     */
    public static GapList parse(String text) {
        Map<String, String> reasons = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String where = "emulator gap list, line " + (i + 1) + ": ";
            if (!KEY.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + "'" + parts[0] + "' is not <resource type>.<attribute>");
            }
            if (parts.length < 2) {
                throw new IllegalArgumentException(where + parts[0] + " has no reason");
            }
            if (reasons.put(parts[0], parts[1]) != null) {
                throw new IllegalArgumentException(where + parts[0] + " is listed twice");
            }
        }
        return new GapList(reasons);
    }

    public Map<String, String> reasons() {
        return Map.copyOf(reasons);
    }

    /** How the second plan's diffs compare with the list. */
    public record Comparison(List<String> listed, List<String> unlisted, List<String> vanished) {

        /** The list is exact: every diff is a listed gap, every listed gap still shows. */
        public boolean exact() {
            return unlisted.isEmpty() && vanished.isEmpty();
        }
    }

    public Comparison compare(Collection<PlanReading.Diff> diffs) {
        TreeSet<String> seen = new TreeSet<>();
        diffs.forEach(d -> seen.add(d.key()));
        List<String> listed = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        for (String key : seen) {
            (reasons.containsKey(key) ? listed : unlisted).add(key);
        }
        List<String> vanished = new ArrayList<>(new TreeSet<>(reasons.keySet()));
        vanished.removeAll(seen);
        return new Comparison(listed, unlisted, vanished);
    }
}
