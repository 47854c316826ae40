package com.payments.dr.function;

import com.payments.dr.function.DrillClient.Ack;
import com.payments.dr.function.DrillClient.Attempt;
import com.payments.dr.report.DrillResults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the drill counts a scenario, from what the client saw and what the databases hold: the
 * counting code whose digest {@code docs/drill-results.json} carries ({@link DrillResults#COUNTING_CODE}),
 * so the readiness report can tell results counted by other code.
 *
 * <p>Attempts: every answer the client got, or did not get, between the scenario's start and end;
 * anything but a 2xx is counted by its kind (no answer, 409, 429, 503, other). Payments: started in
 * the scenario (first attempt), each with its time to acknowledgement. Loss, per payment key (the
 * key names one payment id, in either region): <b>lost at promotion</b> when it was acknowledged
 * before the promotion and the promoted database lacked it; <b>recovered by retry</b> when a client's
 * later request stored it again before the reconciliation; <b>recovered by reconciliation</b> when
 * the surviving region's reconciliation did; <b>waited for the primary region</b> when it was still
 * missing after that and came back only once the primary region returned (its record, written
 * there while the mirror failed, delivered by the table's replication, or its row in the old
 * primary's volume); <b>lost for good</b> when any acknowledged payment is missing at the end. A
 * payment stored twice, or answered with two ids, is a duplicate.
 */
final class DrillLedger {

    private DrillLedger() {
    }

    /**
     * What the databases held for the drill's merchant at the moments that count, by scoped key to
     * the payment ids stored under it: at the promotion, before and after the surviving region's
     * reconciliation, and at the end (after the primary region returned, where it did).
     */
    record Rows(Map<String, List<String>> atPromotion, Map<String, List<String>> beforeReconciliation,
                Map<String, List<String>> afterReconciliation, Map<String, List<String>> atEnd) {

        /** A scenario the primary region does not return in: the end is after the reconciliation. */
        Rows(Map<String, List<String>> atPromotion, Map<String, List<String>> beforeReconciliation,
             Map<String, List<String>> afterReconciliation) {
            this(atPromotion, beforeReconciliation, afterReconciliation, afterReconciliation);
        }
    }

    /** A counted scenario and the keys behind its loss figures (for the report's detail lines and the test). */
    record Counted(DrillResults.Scenario scenario, List<String> lostAtPromotion, List<String> recoveredByRetry,
                   List<String> waitedForPrimaryRegion, List<String> lostForGood, List<String> duplicates,
                   Map<String, Integer> outcomes) {
    }

    /**
     * @param fault       when the fault was injected (or the switchover began)
     * @param promotedAt  when the new writer's promotion ended
     * @param newWriter   the region that writes after the scenario
     * @param stages      stage name to its time (epoch ms), in order
     */
    static Counted count(String name, long start, long end, long fault, long promotedAt, String newWriter,
                         List<Attempt> allAttempts, List<Ack> allAcks, Rows rows, Map<String, Long> stages) {
        List<Attempt> attempts = allAttempts.stream().filter(a -> a.atMillis() >= start && a.atMillis() < end).toList();
        int unanswered = 0;
        int conflict = 0;
        int throttled = 0;
        int unavailable = 0;
        int other = 0;
        long firstFailure = -1;
        long lastFailure = -1;
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (Attempt a : attempts) {
            outcomes.merge(a.region() + " " + (a.ok() ? "2xx" : a.status() + " " + a.code()), 1, Integer::sum);
            if (a.ok()) {
                continue;
            }
            switch (a.status()) {
                case 0 -> unanswered++;
                case 409 -> conflict++;
                case 429 -> throttled++;
                case 503 -> unavailable++;
                default -> other++;
            }
            if (a.atMillis() >= fault) {
                firstFailure = firstFailure < 0 ? a.atMillis() : Math.min(firstFailure, a.atMillis());
                lastFailure = Math.max(lastFailure, a.atMillis());
            }
        }
        // payments started in the scenario: first attempt to acknowledgement
        List<Long> timeToAck = new ArrayList<>();
        for (Ack a : allAcks) {
            if (!a.resend() && a.firstAttemptMillis() >= start && a.firstAttemptMillis() < end) {
                timeToAck.add(a.atMillis() - a.firstAttemptMillis());
            }
        }
        long firstNewAck = allAcks.stream().filter(a -> a.region().equals(newWriter) && a.atMillis() >= fault)
                .mapToLong(Ack::atMillis).min().orElse(-1);

        // per key: the first acknowledgement, and every payment id any answer named
        Map<String, Ack> firstAck = new LinkedHashMap<>();
        Map<String, Set<String>> named = new HashMap<>();
        for (Ack a : allAcks) {
            if (a.atMillis() >= end) {
                continue;
            }
            String scoped = DrillClient.MERCHANT + "/" + a.key();
            firstAck.merge(scoped, a, (x, y) -> x.atMillis() <= y.atMillis() ? x : y);
            named.computeIfAbsent(scoped, k -> new TreeSet<>()).add(a.paymentId());
        }
        List<String> lostAtPromotion = new ArrayList<>();
        List<String> byRetry = new ArrayList<>();
        int byReconciliation = 0;
        List<String> waited = new ArrayList<>();
        List<String> lostForGood = new ArrayList<>();
        for (Map.Entry<String, Ack> e : firstAck.entrySet()) {
            String key = e.getKey();
            String id = e.getValue().paymentId();
            if (e.getValue().atMillis() < promotedAt && !holds(rows.atPromotion(), key, id)) {
                lostAtPromotion.add(key);
                if (holds(rows.beforeReconciliation(), key, id)) {
                    byRetry.add(key);
                } else if (holds(rows.afterReconciliation(), key, id)) {
                    byReconciliation++;
                } else if (holds(rows.atEnd(), key, id)) {
                    waited.add(key);
                }
            }
            if (!holds(rows.atEnd(), key, id)) {
                lostForGood.add(key);
            }
        }
        List<String> duplicates = new ArrayList<>();
        Set<String> keys = new TreeSet<>(named.keySet());
        keys.addAll(rows.atEnd().keySet());
        for (String key : keys) {
            List<String> stored = rows.atEnd().getOrDefault(key, List.of());
            Set<String> answered = named.getOrDefault(key, Set.of());
            if (stored.size() > 1 || answered.size() > 1
                    || (!stored.isEmpty() && !answered.isEmpty() && !answered.contains(stored.get(0)))) {
                duplicates.add(key + ": stored " + stored + ", answered " + answered);
            }
        }
        Map<String, Long> timeline = new LinkedHashMap<>();
        stages.forEach((stage, at) -> timeline.put(stage, at - fault));
        DrillResults.Scenario scenario = new DrillResults.Scenario(name, firstNewAck < 0 ? -1 : firstNewAck - fault,
                firstNewAck < 0 ? -1 : firstNewAck - promotedAt, firstFailure < 0 ? 0 : lastFailure - firstFailure,
                DrillResults.Percentiles.of(timeToAck), timeToAck.size(), timeToAck.size(), attempts.size(),
                unanswered, conflict, throttled, unavailable, other, lostAtPromotion.size(), byRetry.size(),
                byReconciliation, waited.size(), lostForGood.size(), duplicates.size(), timeline);
        return new Counted(scenario, lostAtPromotion, byRetry, waited, lostForGood, duplicates, outcomes);
    }

    private static boolean holds(Map<String, List<String>> rows, String key, String paymentId) {
        List<String> ids = rows.get(key);
        return ids != null && ids.contains(paymentId);
    }
}
