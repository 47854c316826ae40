package com.payments.dr.events;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The SDK's standard endpoint variables ({@code AWS_ENDPOINT_URL_<SERVICE>}, then
 * {@code AWS_ENDPOINT_URL}) for the AWS SDK version the pom pins (2.21.1), which does not read them
 * (the SDK reads them itself from 2.28.1 on). The event handlers build their clients with the
 * SDK's defaults and no endpoint of their own, so a child JVM running them from the zip reaches
 * local services only through this: a global interceptor, registered by a classpath resource that
 * {@link #register} writes for that JVM alone (the Maven test JVM never loads it).
 *
 * <p>Before each call it sets the two attributes a client built with {@code endpointOverride}
 * carries, which the service's endpoint rules read next, as the newer SDK does with the variable:
 * the handler's own client (region, credentials chain, timeouts, HTTP client) then resolves,
 * signs and sends for the local endpoint (an S3 bucket in the path, as the rules do for an IP
 * address). Without a variable for the service it changes nothing.
 */
public final class EndpointVariables implements ExecutionInterceptor {

    private static final String REGISTRATION = "software/amazon/awssdk/global/handlers/execution.interceptors";

    private final Map<String, String> environment = System.getenv();

    /** A classpath directory holding only the registration of this interceptor, created under {@code parent}. */
    static Path register(Path parent) throws IOException {
        Path root = Files.createDirectories(parent.resolve("endpoint-variables"));
        Path file = root.resolve(REGISTRATION);
        Files.createDirectories(file.getParent());
        Files.writeString(file, EndpointVariables.class.getName() + "\n");
        return root;
    }

    /**
     * The variable's name for a client's {@code SERVICE_NAME} in SDK 2.21.1 ({@code S3}, {@code Sns},
     * {@code Rds}): upper-cased. Right for the one-word services the event functions call; the SDK's
     * own variables use the service id, which for a multi-word service (Secrets Manager:
     * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) this name would not match.
     */
    static String variable(String serviceName) {
        return "AWS_ENDPOINT_URL_" + serviceName.toUpperCase(Locale.ROOT);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        for (String name : new String[] {variable(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
                "AWS_ENDPOINT_URL"}) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                attributes.putAttribute(SdkExecutionAttribute.CLIENT_ENDPOINT, URI.create(value));
                attributes.putAttribute(SdkExecutionAttribute.ENDPOINT_OVERRIDDEN, true);
                return;
            }
        }
    }
}
