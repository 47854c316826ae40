package com.payments.dr.function;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Wires the function's parts once per container. */
public final class FunctionRuntime {

    private final FunctionConfig config;
    private final Router router;

    public FunctionRuntime(FunctionConfig config, DynamoDbClient dynamo,
            DbCredentials.Provider credentials, Clock clock) {
        this.config = config;
        String region = config.awsRegion();
        IdempotencyStore store = new IdempotencyStore(dynamo, config.idempotencyTable(), clock);
        PaymentDatabase database = new PaymentDatabase(config, credentials);
        PaymentValidator validator =
                new PaymentValidator(config.allowedCurrencies(), config.maxAmount());
        this.router = new Router(
                new PaymentService(validator, store, database, region, config.regionRole()),
                new HealthService(store, database, region, config.regionRole()));
    }

    /**
     * Builds the production wiring from the Lambda environment. No network call happens here: the
     * secret and the database are first touched by the first request, so init stays short and a
     * database outage does not turn into init failures.
     */
    public static FunctionRuntime fromEnvironment(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnvironment(env);
        // One small JDK-based HTTP client for both services; Lambda provides credentials through
        // environment variables, so the rest of the default chain is not probed.
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
        EnvironmentVariableCredentialsProvider awsCredentials =
                EnvironmentVariableCredentialsProvider.create();
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .region(Region.of(config.awsRegion()))
                .httpClient(http)
                .credentialsProvider(awsCredentials)
                .build();
        // The secret is read in the region named by its ARN: the stack passes each region its own
        // replica, so failover does not depend on the failed region's Secrets Manager.
        SecretsManagerClient secrets = SecretsManagerClient.builder()
                .region(Region.of(secretRegion(config.dbSecretArn())))
                .httpClient(http)
                .credentialsProvider(awsCredentials)
                .build();
        Log.info("function_init", "region", config.awsRegion(), "role", config.regionRole().label());
        return new FunctionRuntime(config, dynamo,
                new SecretsManagerCredentials(secrets, config.dbSecretArn()), Clock.systemUTC());
    }

    static String secretRegion(String secretArn) {
        return secretArn.split(":")[3];
    }

    public FunctionConfig config() {
        return config;
    }

    public Router router() {
        return router;
    }
}
