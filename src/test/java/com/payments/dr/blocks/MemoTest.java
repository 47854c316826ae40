package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A memo asks its source once, on first use, and never when it is not used. */
class MemoTest {

    @Test
    void asksTheSourceOnceOnFirstUse() {
        AtomicInteger reads = new AtomicInteger();
        Memo<String> memo = Memo.of(() -> "value-" + reads.incrementAndGet());
        assertEquals(0, reads.get());
        assertEquals("value-1", memo.get());
        assertEquals("value-1", memo.get());
        assertEquals(1, reads.get());
    }

    @Test
    void remembersANullAnswerToo() {
        AtomicInteger reads = new AtomicInteger();
        Memo<String> memo = Memo.of(() -> {
            reads.incrementAndGet();
            return null;
        });
        assertNull(memo.get());
        assertNull(memo.get());
        assertEquals(1, reads.get());
    }

    @Test
    void needsASource() {
        assertThrows(NullPointerException.class, () -> Memo.of(null));
    }
}
