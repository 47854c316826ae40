package com.payments.dr.naming;

/** The part a region plays in the active-passive pair. */
public enum RegionRole {
    PRIMARY("primary"),
    DR("dr");

    private final String label;

    RegionRole(String label) {
        this.label = label;
    }

    /** The lowercase word used in names, provider aliases and construct ids. */
    public String label() {
        return label;
    }
}
