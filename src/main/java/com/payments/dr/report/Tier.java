package com.payments.dr.report;

import java.util.List;
import java.util.Map;

/**
 * One tier of the readiness report: how it is replicated, its designed RPO and RTO (a figure in
 * seconds where the design gives one, and the sentence that explains it), what the latest drill
 * measured for it, the alarms that watch it and what a failover must do for it.
 *
 * @param measured what the drill measured, in the order shown; empty when the drill does not cover the tier
 */
public record Tier(
        String id,
        String name,
        String replication,
        Objective rpo,
        Objective rto,
        Map<String, Long> measured,
        List<Alarm> alarms,
        String failover) {

    /** A designed objective: {@code seconds} is null where the design sets no bound. */
    public record Objective(Double seconds, String text) {
    }

    /** An alarm by the name the stack gives it, in the region it lives in. */
    public record Alarm(String name, String region) {
    }
}
