package com.payments.dr.events;

/** Run in a fresh JVM by EventsColdStartTest: constructs both handlers as the Lambda runtime does. */
public final class EventsColdStartProbe {

    private EventsColdStartProbe() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        new ReceiptHandler();
        long receipt = System.nanoTime();
        new OpsNotifier();
        long ops = System.nanoTime();
        System.out.println("receipt_init_ms=" + (receipt - start) / 1_000_000 + " ops_init_ms=" + (ops - receipt) / 1_000_000);
    }
}
