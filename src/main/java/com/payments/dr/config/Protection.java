package com.payments.dr.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much the stack protects itself from its own destroy: {@code destroyable} (the default, for
 * development: everything goes with {@code destroy}), {@code production} (deletion protection,
 * final snapshots, buckets that keep their objects, retained log groups and keys, a locked backup
 * vault, a year of API access and database audit logs) or {@code decommission} (production with its
 * deletion protection lifted, applied once before a production stack's destroy: everything that keeps
 * records stays exactly as in production). Production and decommission are real environments
 * ({@link RealEnvironment}).
 */
public enum Protection {
    DESTROYABLE,
    PRODUCTION,
    DECOMMISSION;

    /** Days the API access logs and the database's audit log are kept in production (PCI DSS 10.5.1). */
    public static final int AUDIT_LOG_RETENTION_DAYS = 365;

    /** The setting's spelling: {@code destroyable} or {@code production}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Production or decommission: what holds data or the audit trail outlives the stack (final
     * snapshots, buckets without {@code force_destroy}, retained log groups, kept keys, a locked vault,
     * a year of audit logs).
     */
    public boolean production() {
        return this != DESTROYABLE;
    }

    /** Production only: deletion protection on the clusters and the table (decommission lifts it). */
    public boolean deletionProtection() {
        return this == PRODUCTION;
    }

    /** Retention of the audit trail (API access logs, database logs): a year in production, else {@code logRetentionDays}. */
    public int auditRetentionDays(int logRetentionDays) {
        return production() ? Math.max(AUDIT_LOG_RETENTION_DAYS, logRetentionDays) : logRetentionDays;
    }

    static Protection parse(String text) {
        return Arrays.stream(values()).filter(p -> p.value().equals(text)).findFirst()
                .orElseThrow(() -> new ConfigException(Setting.PROTECTION, text, Setting.PROTECTION.allowed()));
    }
}
