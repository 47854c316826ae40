package com.payments.dr.policy;

/** One rule violated by one resource. */
public record Finding(Rule rule, Resource resource, String message) {

    /** {@code RULE-ID path (address): message}, one line. */
    public String line() {
        return rule.id() + " " + resource.path() + " (" + resource.address() + "): " + message;
    }
}
