package com.payments.dr.blocks;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value computed on first use and remembered: every attribute read from a cdktf resource is a
 * jsii round trip that makes a new token, so an accessor that may never be called reads it at most
 * once (docs/performance.md). Not thread-safe, like jsii itself.
 */
public final class Memo<T> implements Supplier<T> {

    private Supplier<? extends T> source;
    private T value;

    private Memo(Supplier<? extends T> source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    public static <T> Memo<T> of(Supplier<? extends T> source) {
        return new Memo<>(source);
    }

    @Override
    public T get() {
        if (source != null) {
            value = source.get();
            source = null;
        }
        return value;
    }
}
