package com.payments.dr.naming;

/** How widely AWS requires a name to be unique, which decides whether the region role is part of it. */
public enum NameScope {
    /** Unique within one region: both regions use the same name, which keeps runbooks identical. */
    REGIONAL,
    /** Unique across the account or partition although created per region: the region role is added. */
    ACCOUNT,
    /** One resource for the whole deployment (global cluster, global table, replicated secret). */
    GLOBAL
}
