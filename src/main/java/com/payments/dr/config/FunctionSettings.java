package com.payments.dr.config;

import java.nio.file.Path;
import java.util.List;

/** What the stack needs to deploy the payment function: its package and its business settings. */
public record FunctionSettings(Path packagePath, String allowedOrigin, List<String> currencies) {

    public FunctionSettings {
        currencies = List.copyOf(currencies);
    }
}
