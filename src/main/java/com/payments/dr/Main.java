package com.payments.dr;

import java.nio.file.Path;

/** Entry point of {@code ./main} and of the {@code app} command in cdktf.json. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err));
    }
}
