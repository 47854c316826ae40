package com.payments.dr.events;

/**
 * An event this function cannot act on. Thrown, not swallowed: the invocation fails, Lambda retries
 * it (asynchronous invocation) and then hands it to the on-failure destination, the dead-letter
 * queue, where an operator finds it. Nothing is dropped silently.
 */
public final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String reason) {
        super(reason, null, false, false);
    }
}
