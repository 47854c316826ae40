package com.payments.dr.ops;

import java.nio.file.Path;

/** Entry point of {@code ./main --runbook} and {@code ./main --diagram}. */
public final class OpsMain {

    private OpsMain() {
    }

    public static void main(String[] args) {
        System.exit(OpsCli.run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err));
    }
}
