package com.payments.dr.policy;

import java.util.List;

/**
 * Every accepted exception to the policy gate, in one place: rule, construct path (with {@code *}
 * for one path segment's variable part) and reason. The synth prints them and docs/security.md lists
 * them; a waiver that no longer matches anything is reported as a warning.
 */
public final class Waivers {

    private Waivers() {
    }

    static final String DESTROYABLE = "the spec demands a destroyable stack (README: nothing blocks destroy)";

    public static final List<Waiver> ALL = List.of(
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/*/database/cluster", DESTROYABLE),
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/global/aurora_global_cluster", DESTROYABLE),
            new Waiver("SCAN-DYNAMODB-DELETION-PROTECTION", "payments-dr/global/state_table", DESTROYABLE),
            new Waiver("SCAN-RDS-AUTO-MINOR-UPGRADE", "payments-dr/*/database/instance_*",
                    "every global-database member runs the one pinned engine version (AURORA_ENGINE_VERSION); "
                            + "minor upgrades are a planned change of the whole global cluster, not per instance"));
}
