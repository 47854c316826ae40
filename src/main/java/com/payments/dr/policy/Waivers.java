package com.payments.dr.policy;

import com.payments.dr.config.Protection;
import java.util.List;

/**
 * Every accepted exception to the policy gate, in one place: rule, construct path (with {@code *}
 * for one path segment's variable part) and reason. The synth prints them and docs/security.md lists
 * them; a waiver that no longer matches anything is reported as a warning.
 */
public final class Waivers {

    private Waivers() {
    }

    static final String DESTROYABLE = "the destroyable profile (the default) demands a stack that destroy removes; "
            + "PROTECTION=production turns the protection on";
    static final String DECOMMISSION = "the decommission profile is applied once, right before a production stack's "
            + "destroy: it lifts deletion protection and nothing else (final snapshots stay)";

    public static final List<Waiver> ALL = List.of(
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/*/database/cluster", DESTROYABLE,
                    Protection.DESTROYABLE),
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/global/aurora_global_cluster", DESTROYABLE,
                    Protection.DESTROYABLE),
            new Waiver("SCAN-DYNAMODB-DELETION-PROTECTION", "payments-dr/global/state_table", DESTROYABLE,
                    Protection.DESTROYABLE),
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/*/database/cluster", DECOMMISSION,
                    Protection.DECOMMISSION),
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "payments-dr/global/aurora_global_cluster", DECOMMISSION,
                    Protection.DECOMMISSION),
            new Waiver("SCAN-DYNAMODB-DELETION-PROTECTION", "payments-dr/global/state_table", DECOMMISSION,
                    Protection.DECOMMISSION),
            new Waiver("PUBLIC-ACCESS", "payments-dr/*/api/health_method",
                    "Route 53 health checkers send no API key or header; the method answers only a health status, "
                            + "has its own throttle, and the web ACL limits it per client IP"),
            new Waiver("SECRET-ROTATION", "payments-dr/global/merchant_keys/*_secret",
                    "a merchant's API key changes by a new generation in MERCHANTS, which the merchant adopts before the "
                            + "old one is removed (docs/runbook.md); an automatic rotation would cut the merchant off"),
            new Waiver("SCAN-RDS-AUTO-MINOR-UPGRADE", "payments-dr/*/database/instance_*",
                    "every global-database member runs the one pinned engine version (AURORA_ENGINE_VERSION); "
                            + "minor upgrades are a planned change of the whole global cluster, not per instance"));
}
