package com.payments.dr.config;

/**
 * What the cost estimate compares and states: the monthly budget the idle estimate must stay
 * within (over it, the synth stops), and the load the estimate prices besides idle.
 */
public record CostSettings(double monthlyBudgetUsd, double paymentsPerSecond) {

    /** Above this a budget is a typo, not a plan: the estimate would never stop anything. */
    static final double MAX_BUDGET_USD = 1_000_000;
    /** API Gateway's default account-level rate per region: no stage can take more payments. */
    static final double MAX_PAYMENTS_PER_SECOND = 10_000;

    public CostSettings {
        if (!(monthlyBudgetUsd >= 1 && monthlyBudgetUsd <= MAX_BUDGET_USD)) {
            throw new ConfigException(Setting.MONTHLY_BUDGET_USD, text(monthlyBudgetUsd),
                    Setting.MONTHLY_BUDGET_USD.allowed());
        }
        if (!(paymentsPerSecond >= 0 && paymentsPerSecond <= MAX_PAYMENTS_PER_SECOND)) {
            throw new ConfigException(Setting.COST_PAYMENTS_PER_SECOND, text(paymentsPerSecond),
                    Setting.COST_PAYMENTS_PER_SECOND.allowed());
        }
    }

    /** NaN and infinities parse as doubles but have no decimal form. */
    private static String text(double value) {
        return Double.isFinite(value) ? DatabaseSettings.format(value) : Double.toString(value);
    }
}
