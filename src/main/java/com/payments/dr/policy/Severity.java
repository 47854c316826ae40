package com.payments.dr.policy;

/** What a finding does to the synth: an error stops it, a warning is printed and the synth goes on. */
public enum Severity {
    ERROR,
    WARNING
}
