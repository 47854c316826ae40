package com.payments.dr.rehearsal;

import java.nio.file.Path;

/** Entry point of the Java half of {@code ./main --rehearse}. */
public final class RehearsalMain {

    private RehearsalMain() {
    }

    public static void main(String[] args) {
        System.exit(RehearsalCli.run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err));
    }
}
