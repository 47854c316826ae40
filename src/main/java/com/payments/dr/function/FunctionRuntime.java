package com.payments.dr.function;

import com.payments.dr.lambda.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.endpoints.AccountIdEndpointMode;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Wires the function's parts once per container.
 *
 * <p>SnapStart: the stack publishes versions with SnapStart, so this runs once before a snapshot
 * and the snapshot is restored into many environments. Nothing unique is made here: no
 * credentials are resolved, no connection is opened, no random value, token or timestamp is taken
 * (lease tokens, IAM tokens and the database connection all come with the first request).
 */
public final class FunctionRuntime implements AutoCloseable {

    /** One attempt of an AWS call; DynamoDB answers in milliseconds when healthy. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    /** Three attempts in all, inside {@link IdempotencyStore#CALL_TIMEOUT} (the SDK's DynamoDB default is nine). */
    static final int SDK_RETRIES = 2;

    /**
     * Aurora's endpoints have 5 s TTLs and move on failover; the JVM would cache an answer for 30 s.
     * Set before the first name lookup (the runtime reaches its API by IP literal); the stack also
     * passes the same limits in JAVA_TOOL_OPTIONS, which holds even if something resolved earlier.
     */
    static {
        java.security.Security.setProperty("networkaddress.cache.ttl", "5");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    }

    private final FunctionConfig config;
    private final PaymentDatabase database;
    private final PaymentDatabase reader;
    private final Router router;

    /** The readiness probe reaches {@link FunctionConfig#reader()} with the same credentials. */
    public FunctionRuntime(FunctionConfig config, DynamoDbClient dynamo, DbCredentials.Provider app, Clock clock) {
        this(config, config.reader(), dynamo, Optional.empty(), app, app, clock, Timings.DEPLOYED);
    }

    /**
     * As deployed, with the other region's table client when the function mirrors its
     * acknowledgements, and the given {@link Timings} (the drill's are shorter).
     */
    FunctionRuntime(FunctionConfig config, DynamoDbClient dynamo, Optional<DynamoDbClient> mirror,
            DbCredentials.Provider app, Clock clock, Timings timings) {
        this(config, config.reader(), dynamo, mirror, app, app, clock, timings);
    }

    /**
     * @param readerConfig the reader endpoint's settings, for the readiness probe
     * @param mirror       the other region's table client, when the configuration names a mirror
     * @param readerApp    the application role's credentials there (an IAM token names its host)
     */
    FunctionRuntime(FunctionConfig config, FunctionConfig readerConfig, DynamoDbClient dynamo,
            Optional<DynamoDbClient> mirror, DbCredentials.Provider app, DbCredentials.Provider readerApp,
            Clock clock, Timings timings) {
        this.config = config;
        String region = config.awsRegion();
        IdempotencyStore store = new IdempotencyStore(dynamo, config.idempotencyTable(), clock, timings.lease());
        AckJournal journal = new AckJournal(dynamo, mirror, config.idempotencyTable(), clock, timings);
        database = new PaymentDatabase(config, app, clock);
        // its own connection: the reader endpoint answers on a global secondary, the writer's does not
        reader = new PaymentDatabase(readerConfig, readerApp, clock);
        PaymentValidator validator =
                new PaymentValidator(config.allowedCurrencies(), config.maxAmount());
        this.router = new Router(
                new PaymentService(validator, store, database, journal, region, config.regionRole(), timings),
                new HealthService(store, database, reader, region, config.regionRole(), clock, timings.healthCache()),
                config.merchantsByKeyId());
    }

    /**
     * Builds the production wiring from the Lambda environment. No network call happens here: the
     * credentials and the database are first touched by the first request, so init
     * stays short, a database outage does not turn into init failures, and a SnapStart snapshot
     * holds nothing that must not be shared.
     */
    public static FunctionRuntime fromEnvironment(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnvironment(env);
        AwsCredentialsProvider aws = lambdaCredentials();
        DynamoDbClient dynamo = dynamoClient(config, aws, List.of());
        Optional<DynamoDbClient> mirror = config.ackMirror().map(m -> mirrorClient(m, aws, List.of()));
        DbCredentials.Provider app = iamToken(config, config.dbHost(), aws);
        DbCredentials.Provider readerApp = iamToken(config, config.dbReaderHost(), aws);
        Log.info("function_init", "region", config.awsRegion(), "role", config.regionRole().label(),
                "ack_mirror", config.ackMirror().map(FunctionConfig.AckMirror::region).orElse("none"));
        return new FunctionRuntime(config, config.reader(), dynamo, mirror, app, readerApp, Clock.systemUTC(),
                Timings.DEPLOYED);
    }

    /**
     * The other region's table, through the endpoint that reaches it from this VPC (signed for that
     * region), with the same bounded timeouts and retries as this region's. Account-based endpoints
     * are off for the same reason as {@link #dynamoClient}'s: the interface endpoint's own DNS name is
     * the one path the stack builds, whatever credentials the execution environment started with.
     */
    static DynamoDbClient mirrorClient(FunctionConfig.AckMirror mirror, AwsCredentialsProvider credentials,
            List<ExecutionInterceptor> interceptors) {
        return mirrorClientBuilder(mirror, credentials, interceptors).build();
    }

    /** {@link #mirrorClient}'s builder, for a test that carries its requests over another network. */
    static DynamoDbClientBuilder mirrorClientBuilder(FunctionConfig.AckMirror mirror,
            AwsCredentialsProvider credentials, List<ExecutionInterceptor> interceptors) {
        return DynamoDbClient.builder()
                .region(Region.of(mirror.region()))
                .accountIdEndpointMode(AccountIdEndpointMode.DISABLED)
                .endpointOverride(mirror.endpoint())
                .httpClient(httpClient())
                .credentialsProvider(credentials)
                .overrideConfiguration(limits(interceptors));
    }

    /** A token is signed for one host name: the reader endpoint gets its own. */
    static IamAuthToken iamToken(FunctionConfig config, String host, AwsCredentialsProvider aws) {
        return new IamAuthToken(host, config.dbPort(), config.dbUser(), Region.of(config.awsRegion()), aws,
                Clock.systemUTC());
    }

    /**
     * Lambda's credentials: after a SnapStart restore they come from the container credentials
     * endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code
     * AWS_CONTAINER_AUTHORIZATION_TOKEN}), on an unpublished version from the access-key
     * variables. Both are asked, in that order, on the first call, never at init.
     */
    static AwsCredentialsProvider lambdaCredentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(ContainerCredentialsProvider.builder().build(),
                        EnvironmentVariableCredentialsProvider.create())
                .build();
    }

    /**
     * The idempotency table's client: the regional endpoint, bounded attempts, bounded retries,
     * optional local endpoint.
     *
     * <p>Account-based endpoints are off (DynamoEndpointTest). With credentials that carry an
     * account id the SDK would otherwise send to {@code <account-id>.ddb.<region>.amazonaws.com}
     * instead of {@code dynamodb.<region>.amazonaws.com}, and whether they carry one depends on how
     * the execution environment started: the access-key variables of an on-demand start carry none,
     * the container credentials of a SnapStart restore may. The function reaches DynamoDB only
     * through the VPC's gateway endpoint (its security group allows HTTPS to that endpoint's prefix
     * list alone, and the endpoint's policy decides what passes); the regional name is the one that
     * path was built and tested with, so every environment uses it. What account-based routing
     * offers, performance at scale, this one-table workload does not need; REQUIRED would fail every
     * start without an account id.
     */
    static DynamoDbClient dynamoClient(FunctionConfig config, AwsCredentialsProvider credentials,
            List<ExecutionInterceptor> interceptors) {
        return dynamoClientBuilder(config, credentials, interceptors).build();
    }

    /** {@link #dynamoClient}'s builder, for a test that carries its requests over another network. */
    static DynamoDbClientBuilder dynamoClientBuilder(FunctionConfig config, AwsCredentialsProvider credentials,
            List<ExecutionInterceptor> interceptors) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(config.awsRegion()))
                .accountIdEndpointMode(AccountIdEndpointMode.DISABLED)
                .httpClient(httpClient())
                .credentialsProvider(credentials)
                .overrideConfiguration(limits(interceptors));
        config.dynamoEndpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /** Per-call and per-attempt timeouts and a bounded standard retry policy for every AWS client. */
    static ClientOverrideConfiguration limits(List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration.Builder limits = ClientOverrideConfiguration.builder()
                .apiCallTimeout(IdempotencyStore.CALL_TIMEOUT)
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .retryPolicy(RetryPolicy.builder(RetryMode.STANDARD).numRetries(SDK_RETRIES).build());
        interceptors.forEach(limits::addExecutionInterceptor);
        return limits.build();
    }

    /** The JDK's URL-connection client: no extra threads or libraries, short connect and read limits. */
    static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(1))
                .socketTimeout(ATTEMPT_TIMEOUT)
                .build();
    }

    public FunctionConfig config() {
        return config;
    }

    public Router router() {
        return router;
    }

    /** Closes the database connections (tests run many containers in one JVM). */
    @Override
    public void close() {
        database.close();
        reader.close();
    }
}
