package com.payments.dr.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Rotates the Aurora master secret with Secrets Manager's four steps. AWS-managed master passwords
 * are not supported for global-database members (Aurora User Guide, "Password management with
 * Amazon Aurora and AWS Secrets Manager", limitations), so the secret rotates through this function.
 * It runs outside the VPC and reaches Secrets Manager's public endpoint (the VPCs have no route to
 * it); the steps that touch the database are the schema migrator's, in the VPC, which this function
 * invokes with the credentials in the payload (as the deployment does):
 * <ol>
 *   <li>createSecret: a new password (GetRandomPassword, the generator's rules) as AWSPENDING;</li>
 *   <li>setSecret: the migrator logs in with AWSCURRENT and sets AWSPENDING's password;</li>
 *   <li>testSecret: the migrator logs in with AWSPENDING;</li>
 *   <li>finishSecret: AWSCURRENT moves to the new version.</li>
 * </ol>
 * Each step can be repeated (Secrets Manager retries). The replica in the DR region follows the
 * secret; the DR cluster follows the primary's storage. Nothing is logged but step names and
 * outcomes.
 */
public final class MasterSecretRotation implements RequestStreamHandler {

    /** The generator's rules (GlobalResources): RDS refuses / @ " and spaces in master passwords. */
    static final long PASSWORD_LENGTH = 40;
    static final String PENDING = "AWSPENDING";
    static final String CURRENT = "AWSCURRENT";

    /** Bounded calls: a step must fail (and be retried by Secrets Manager) rather than hang. */
    public static final Duration BOUNDED_CALL = Duration.ofSeconds(30);
    static final ClientOverrideConfiguration BOUNDED = ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(Duration.ofSeconds(10))
            .apiCallTimeout(BOUNDED_CALL)
            .build();
    /**
     * The migrator's Invoke waits as long as a rotation step may take there, in one attempt: a cold
     * Java function in the VPC (its start-up, {@link #MIGRATOR_COLD_START}), then one login and one
     * statement, each bounded by the migrator ({@code MigrationHandler.CONNECT_TIMEOUT} and
     * {@code STATEMENT_TIMEOUT}). Not the migrator's own timeout, which a reconciliation may fill:
     * with a reserved concurrency of 1, an SDK retry of a slow first call, or a rotation during a
     * reconciliation, is throttled. A failed step is retried by Secrets Manager instead.
     */
    public static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(150);
    /** What a cold start of the migrator (Java in the VPC, no SnapStart) is allowed: generous. */
    public static final Duration MIGRATOR_COLD_START = Duration.ofSeconds(60);
    public static final ClientOverrideConfiguration INVOKE_ONCE = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(INVOKE_TIMEOUT)
            .apiCallTimeout(INVOKE_TIMEOUT)
            .build();

    private final Map<String, String> environment;
    private SecretsManagerClient secrets;
    private LambdaClient lambda;
    private String migrator;

    /**
     * The Lambda runtime's constructor: the migrator and the region come from the environment, read
     * by the first invocation (a broken deployment fails that step, naming the variable).
     */
    public MasterSecretRotation() {
        this(System.getenv());
    }

    MasterSecretRotation(Map<String, String> environment) {
        this.environment = environment;
    }

    public MasterSecretRotation(SecretsManagerClient secrets, LambdaClient lambda, String migrator) {
        this.environment = Map.of();
        this.secrets = secrets;
        this.lambda = lambda;
        this.migrator = migrator;
    }

    /** Builds the clients from the environment once; no network call. */
    synchronized MasterSecretRotation wire() {
        if (secrets == null) {
            Region region = Region.of(ReceiptHandler.required(environment, "AWS_REGION"));
            String function = ReceiptHandler.required(environment, "MIGRATOR_FUNCTION");
            secrets = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(BOUNDED).region(region).build();
            // the HTTP client's own read timeout (30 s by default) must not cut the Invoke short either
            lambda = LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(INVOKE_TIMEOUT))
                    .overrideConfiguration(INVOKE_ONCE).region(region).build();
            migrator = function;
        }
        return this;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        MasterSecretRotation wired = wire();
        JsonObject event = Events.parse(input);
        String step = Events.string(event, "Step");
        String secretId = Events.string(event, "SecretId");
        String token = Events.string(event, "ClientRequestToken");
        wired.rotate(step, secretId, token);
    }

    /** One step of the rotation of {@code secretId} to the version {@code token}. */
    public void rotate(String step, String secretId, String token) {
        DescribeSecretResponse secret = secrets.describeSecret(b -> b.secretId(secretId));
        if (!Boolean.TRUE.equals(secret.rotationEnabled())) {
            throw new IllegalStateException("rotation is not enabled on the secret");
        }
        List<String> stages = secret.versionIdsToStages().get(token);
        if (stages == null) {
            throw new IllegalStateException("the secret has no version " + token + " to rotate to");
        }
        if (stages.contains(CURRENT) && !stages.contains(PENDING)) {
            // done already: a repeated finishSecret, or an event for a finished rotation
            Log.info("rotation_step", "step", step, "result", "already_current");
            return;
        }
        if (!stages.contains(PENDING)) {
            throw new IllegalStateException("version " + token + " is not AWSPENDING");
        }
        switch (step) {
            case "createSecret" -> create(secretId, token);
            case "setSecret" -> invokeMigrator(step, payload("owner", value(secretId, CURRENT, null),
                    "rotate_to", value(secretId, PENDING, token)));
            case "testSecret" -> invokeMigrator(step, payload("owner", value(secretId, PENDING, token), "check", null));
            case "finishSecret" -> finish(secretId, token, secret);
            default -> throw new IllegalArgumentException("unknown rotation step " + step);
        }
        Log.info("rotation_step", "step", step, "result", "done");
    }

    /** createSecret: the current value with a new password, as AWSPENDING, unless it exists already. */
    private void create(String secretId, String token) {
        try {
            secrets.getSecretValue(b -> b.secretId(secretId).versionId(token).versionStage(PENDING));
            return;
        } catch (ResourceNotFoundException e) {
            // not created yet
        }
        JsonObject value = JsonParser.parseString(value(secretId, CURRENT, null)).getAsJsonObject();
        value.addProperty("password", secrets.getRandomPassword(b -> b.passwordLength(PASSWORD_LENGTH)
                .excludePunctuation(true).includeSpace(false)).randomPassword());
        secrets.putSecretValue(b -> b.secretId(secretId).clientRequestToken(token)
                .secretString(value.toString()).versionStages(PENDING));
    }

    /** finishSecret: AWSCURRENT moves from the version that has it to {@code token}. */
    private void finish(String secretId, String token, DescribeSecretResponse secret) {
        String current = secret.versionIdsToStages().entrySet().stream()
                .filter(e -> e.getValue().contains(CURRENT)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("the secret has no AWSCURRENT version"));
        secrets.updateSecretVersionStage(b -> b.secretId(secretId).versionStage(CURRENT)
                .moveToVersionId(token).removeFromVersionId(current));
    }

    private String value(String secretId, String stage, String versionId) {
        return secrets.getSecretValue(b -> b.secretId(secretId).versionStage(stage).versionId(versionId))
                .secretString();
    }

    /** {@code {"owner": <value>, key: <value or true>}}: the secret's values as they are, never logged. */
    private static String payload(String ownerKey, String owner, String key, String value) {
        JsonObject payload = new JsonObject();
        payload.add(ownerKey, JsonParser.parseString(owner));
        if (value == null) {
            payload.addProperty(key, true);
        } else {
            payload.add(key, JsonParser.parseString(value));
        }
        return payload.toString();
    }

    private void invokeMigrator(String step, String payload) {
        InvokeResponse response = lambda.invoke(b -> b.functionName(migrator)
                .payload(SdkBytes.fromUtf8String(payload)));
        if (response.functionError() != null) {
            // the migrator's error names the database state only, never the credentials
            throw new IllegalStateException(step + ": the migrator failed: " + response.payload().asUtf8String());
        }
    }
}
