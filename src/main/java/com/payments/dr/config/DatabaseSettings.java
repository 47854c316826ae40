package com.payments.dr.config;

import java.math.BigDecimal;

/** The Aurora Global Database's engine, capacity, backups and DR size. */
public record DatabaseSettings(String engineVersion, double minAcu, double maxAcu, int backupRetentionDays,
                               int drInstances) {

    /** {@code aurora-postgresql16} for 16.x: parameter groups are per major version. */
    public String parameterGroupFamily() {
        return "aurora-postgresql" + engineVersion.substring(0, engineVersion.indexOf('.'));
    }

    /** 0.5 stays 0.5, 4.0 prints as 4: the way the user wrote it. */
    static String format(double acu) {
        return BigDecimal.valueOf(acu).stripTrailingZeros().toPlainString();
    }
}
