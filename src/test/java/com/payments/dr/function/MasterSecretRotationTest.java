package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.events.MasterSecretRotation;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The master secret's rotation, end to end on a real PostgreSQL server: the rotation function's four
 * steps through the real SDK clients, against a loopback stand-in that answers as Secrets Manager
 * (its JSON protocol, versions and staging labels) and as Lambda's Invoke, which runs the real
 * migrator handler on the database. The owner's password changes, the old one stops working, the
 * migrator keeps working with the new one, and every step can be repeated.
 */
class MasterSecretRotationTest {

    private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:secret-aurora-master-dev-AbCdEf";
    private static final String MIGRATOR = "lambda-migrator-dev";
    private static final String DATABASE = "payments_rotation";

    private static TestPostgres pg;
    private static FunctionConfig config;
    private static FakeAws aws;
    private static MasterSecretRotation rotation;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.startNew();
        pg.createDatabase(DATABASE);
        config = Fixtures.localConfig(pg, "unused-table", DATABASE);
        aws = new FakeAws(new MigrationHandler(config, Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS));
        aws.versions.put("v0", new Version(secret(TestPostgres.APP_PASSWORD), new ArrayList<>(List.of("AWSCURRENT"))));
        URI endpoint = aws.endpoint();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key"));
        rotation = new MasterSecretRotation(
                SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(endpoint).build(),
                LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(endpoint).build(),
                MIGRATOR);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static String secret(String password) {
        JsonObject value = new JsonObject();
        value.addProperty("username", TestPostgres.APP_USER);
        value.addProperty("password", password);
        value.addProperty("engine", "postgres");
        value.addProperty("port", 5432);
        value.addProperty("dbname", DATABASE);
        return value.toString();
    }

    private static String password(String secretString) {
        return JsonParser.parseString(secretString).getAsJsonObject().get("password").getAsString();
    }

    private static boolean logsIn(String password) {
        Properties properties = new Properties();
        properties.setProperty("user", TestPostgres.APP_USER);
        properties.setProperty("password", password);
        properties.setProperty("sslmode", "require");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + DATABASE,
                properties)) {
            return c.isValid(1);
        } catch (SQLException e) {
            assertEquals(MigrationHandler.INVALID_PASSWORD, e.getSQLState(), e.getMessage());
            return false;
        }
    }

    private static String current() {
        return aws.versions.values().stream().filter(v -> v.stages.contains("AWSCURRENT")).findFirst().orElseThrow().value;
    }

    private static String currentId() {
        return aws.versions.entrySet().stream().filter(e -> e.getValue().stages.contains("AWSCURRENT")).findFirst()
                .orElseThrow().getKey();
    }

    private static void rotate(String token) {
        // RotateSecret: Secrets Manager labels the new version AWSPENDING before it calls the function
        aws.versions.put(token, new Version(null, new ArrayList<>(List.of("AWSPENDING"))));
        for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
            rotation.rotate(step, SECRET_ARN, token);
        }
    }

    @Test
    void theOwnersPasswordRotatesAndTheMigratorKeepsWorking() throws Exception {
        String before = password(current());
        String beforeId = currentId();
        assertTrue(logsIn(before));
        assertEquals("migrated", migrate(current()).get("result").getAsString());
        aws.invocationModes.clear();

        rotate("v1");
        String after = password(current());
        assertNotEquals(before, after);
        assertEquals(40, after.length(), "the generator's length");
        assertTrue(after.chars().allMatch(Character::isLetterOrDigit), "no punctuation, no space");
        assertTrue(logsIn(after), "the new password works");
        assertFalse(logsIn(before), "the old one no longer does");
        assertEquals(List.of("AWSPREVIOUS"), aws.versions.get(beforeId).stages);
        assertEquals(List.of("AWSCURRENT"), aws.versions.get("v1").stages);
        // the migrator, handed the new current value as the deployment hands it, still migrates
        JsonObject migrated = migrate(current());
        assertEquals("migrated", migrated.get("result").getAsString());
        assertEquals(SchemaMigrator.LATEST_VERSION, migrated.get("schema_version").getAsInt());
        // the database steps went through the migrator, with the values in the payload only
        assertEquals(List.of("rotate_to", "check"), aws.invocationModes);
        // a second rotation starts from the first one's result
        rotate("v2");
        assertTrue(logsIn(password(current())));
        assertFalse(logsIn(after));
        assertEquals(List.of("AWSPREVIOUS"), aws.versions.get("v1").stages);
    }

    @Test
    void everyStepCanBeRepeatedAsSecretsManagerRetriesIt() {
        aws.versions.put("r1", new Version(null, new ArrayList<>(List.of("AWSPENDING"))));
        rotation.rotate("createSecret", SECRET_ARN, "r1");
        String pending = aws.versions.get("r1").value;
        rotation.rotate("createSecret", SECRET_ARN, "r1");
        assertEquals(pending, aws.versions.get("r1").value, "a repeated createSecret keeps the pending value");
        rotation.rotate("setSecret", SECRET_ARN, "r1");
        // retried after it succeeded: the current password is refused, the pending one works
        rotation.rotate("setSecret", SECRET_ARN, "r1");
        rotation.rotate("testSecret", SECRET_ARN, "r1");
        rotation.rotate("finishSecret", SECRET_ARN, "r1");
        rotation.rotate("finishSecret", SECRET_ARN, "r1");
        assertEquals(List.of("AWSCURRENT"), aws.versions.get("r1").stages);
        assertTrue(logsIn(password(current())));
        assertTrue(aws.invocationResults.contains("password_already_set"), aws.invocationResults.toString());
    }

    @Test
    void aStepThatCannotWorkFailsTheRotationWithoutNamingASecret() {
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> rotation.rotate("setSecret", SECRET_ARN, "no-such-version"));
        assertTrue(unknown.getMessage().contains("no version no-such-version"), unknown.getMessage());
        aws.versions.put("bad", new Version(secret("not-the-password-at-all"), new ArrayList<>(List.of("AWSPENDING"))));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> rotation.rotate("testSecret", SECRET_ARN, "bad"));
        assertTrue(refused.getMessage().startsWith("testSecret: the migrator failed:"), refused.getMessage());
        assertTrue(refused.getMessage().contains("28P01"), refused.getMessage());
        assertFalse(refused.getMessage().contains("not-the-password-at-all"));
        aws.versions.remove("bad");
        aws.versions.put("odd", new Version(null, new ArrayList<>(List.of("AWSPREVIOUS"))));
        assertThrows(IllegalStateException.class, () -> rotation.rotate("setSecret", SECRET_ARN, "odd"));
        aws.versions.remove("odd");
        aws.versions.put("p", new Version(null, new ArrayList<>(List.of("AWSPENDING"))));
        assertThrows(IllegalArgumentException.class, () -> rotation.rotate("dropSecret", SECRET_ARN, "p"));
        aws.versions.remove("p");
        // a secret whose AWSCURRENT label went missing cannot finish: nothing to move it from
        String currentVersion = currentId();
        aws.versions.get(currentVersion).stages.remove("AWSCURRENT");
        aws.versions.put("q", new Version(secret("x"), new ArrayList<>(List.of("AWSPENDING"))));
        try {
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> rotation.rotate("finishSecret", SECRET_ARN, "q"));
            assertEquals("the secret has no AWSCURRENT version", none.getMessage());
        } finally {
            aws.versions.remove("q");
            aws.versions.get(currentVersion).stages.add("AWSCURRENT");
        }
        aws.rotationEnabled = false;
        try {
            assertThrows(IllegalStateException.class, () -> rotation.rotate("createSecret", SECRET_ARN, "v0"));
        } finally {
            aws.rotationEnabled = true;
        }
    }

    @Test
    void theMigratorRefusesAnotherOwnerAndBadPendingCredentials() throws Exception {
        MigrationHandler handler = new MigrationHandler(config, Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS);
        String current = current();
        JsonObject otherOwner = JsonParser.parseString(current).getAsJsonObject();
        otherOwner.addProperty("username", "someone_else");
        assertThrows(IllegalArgumentException.class, () -> invoke(handler,
                "{\"owner\": " + current + ", \"rotate_to\": " + otherOwner + "}"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> invoke(handler,
                "{\"owner\": " + current + ", \"rotate_to\": {\"username\": \"x\"}}"));
        assertEquals("a rotation step sends the pending credentials under rotate_to, in the master secret's format",
                bad.getMessage());
        // a refused login that is not a wrong password (no such database) fails the step as it is
        MigrationHandler nowhere = new MigrationHandler(Fixtures.localConfig(pg, "unused-table", "no_such_database"),
                Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS);
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> invoke(nowhere,
                "{\"owner\": " + current + ", \"rotate_to\": " + current + "}"));
        assertTrue(failed.getMessage().startsWith("password change failed: database error 3D000"), failed.getMessage());
        assertEquals("login_ok", invoke(handler, "{\"owner\": " + current + ", \"check\": true}")
                .get("result").getAsString());
    }

    private static JsonObject migrate(String secretString) throws IOException {
        return invoke(new MigrationHandler(config, Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS),
                "{\"owner\": " + secretString + "}");
    }

    private static JsonObject invoke(MigrationHandler handler, String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        return JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** One version of the secret: its value (null until createSecret puts it) and staging labels. */
    static final class Version {
        final String value;
        final List<String> stages;

        Version(String value, List<String> stages) {
            this.value = value;
            this.stages = stages;
        }
    }

    /**
     * Secrets Manager (AWS JSON 1.1: {@code X-Amz-Target: secretsmanager.<Operation>}) for one secret,
     * and Lambda's Invoke ({@code POST /2015-03-31/functions/<name>/invocations}) for the migrator,
     * which it runs in process; a thrown error becomes a function error, as Lambda reports it.
     */
    static final class FakeAws implements AutoCloseable {
        final Map<String, Version> versions = new LinkedHashMap<>();
        final List<String> invocationModes = new ArrayList<>();
        final List<String> invocationResults = new ArrayList<>();
        volatile boolean rotationEnabled = true;
        private final HttpServer server;
        private final MigrationHandler migrator;

        FakeAws(MigrationHandler migrator) throws IOException {
            this.migrator = migrator;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private synchronized void handle(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/2015-03-31/functions/" + MIGRATOR + "/invocations")) {
                invoke(exchange, body);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonObject request = JsonParser.parseString(body).getAsJsonObject();
            if (!SECRET_ARN.equals(request.has("SecretId") ? request.get("SecretId").getAsString() : SECRET_ARN)) {
                reply(exchange, 400, error("ResourceNotFoundException", "no such secret"));
                return;
            }
            switch (target) {
                case "secretsmanager.DescribeSecret" -> {
                    JsonObject response = new JsonObject();
                    response.addProperty("ARN", SECRET_ARN);
                    response.addProperty("RotationEnabled", rotationEnabled);
                    JsonObject stages = new JsonObject();
                    versions.forEach((id, v) -> {
                        JsonArray labels = new JsonArray();
                        v.stages.forEach(labels::add);
                        stages.add(id, labels);
                    });
                    response.add("VersionIdsToStages", stages);
                    reply(exchange, 200, response);
                }
                case "secretsmanager.GetSecretValue" -> {
                    String id = request.has("VersionId") ? request.get("VersionId").getAsString() : null;
                    String stage = request.has("VersionStage") ? request.get("VersionStage").getAsString() : "AWSCURRENT";
                    Map.Entry<String, Version> found = versions.entrySet().stream()
                            .filter(e -> (id == null || e.getKey().equals(id)) && e.getValue().stages.contains(stage)
                                    && e.getValue().value != null)
                            .findFirst().orElse(null);
                    if (found == null) {
                        reply(exchange, 400, error("ResourceNotFoundException", "no such version"));
                        return;
                    }
                    JsonObject response = new JsonObject();
                    response.addProperty("ARN", SECRET_ARN);
                    response.addProperty("VersionId", found.getKey());
                    response.addProperty("SecretString", found.getValue().value);
                    reply(exchange, 200, response);
                }
                case "secretsmanager.GetRandomPassword" -> {
                    assertEquals(40, request.get("PasswordLength").getAsInt());
                    assertTrue(request.get("ExcludePunctuation").getAsBoolean());
                    assertFalse(request.get("IncludeSpace").getAsBoolean());
                    JsonObject response = new JsonObject();
                    response.addProperty("RandomPassword", randomPassword());
                    reply(exchange, 200, response);
                }
                case "secretsmanager.PutSecretValue" -> {
                    String token = request.get("ClientRequestToken").getAsString();
                    List<String> stages = new ArrayList<>();
                    request.getAsJsonArray("VersionStages").forEach(s -> stages.add(s.getAsString()));
                    versions.put(token, new Version(request.get("SecretString").getAsString(), stages));
                    JsonObject response = new JsonObject();
                    response.addProperty("VersionId", token);
                    reply(exchange, 200, response);
                }
                case "secretsmanager.UpdateSecretVersionStage" -> {
                    String stage = request.get("VersionStage").getAsString();
                    String to = request.get("MoveToVersionId").getAsString();
                    String from = request.get("RemoveFromVersionId").getAsString();
                    versions.values().forEach(v -> v.stages.remove("AWSPREVIOUS"));
                    versions.get(from).stages.remove(stage);
                    versions.get(from).stages.add("AWSPREVIOUS");
                    versions.get(to).stages.remove("AWSPENDING");
                    versions.get(to).stages.add(stage);
                    reply(exchange, 200, new JsonObject());
                }
                default -> reply(exchange, 400, error("InvalidRequestException", "unexpected " + target));
            }
        }

        private void invoke(HttpExchange exchange, String payload) throws IOException {
            JsonObject request = JsonParser.parseString(payload).getAsJsonObject();
            invocationModes.add(request.has("rotate_to") ? "rotate_to" : request.has("check") ? "check" : "migrate");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                migrator.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
            } catch (RuntimeException e) {
                JsonObject error = new JsonObject();
                error.addProperty("errorMessage", e.getMessage());
                exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                reply(exchange, 200, error);
                return;
            }
            String result = out.toString(StandardCharsets.UTF_8);
            invocationResults.add(JsonParser.parseString(result).getAsJsonObject().get("result").getAsString());
            exchange.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
            byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }

        private static String randomPassword() {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            java.security.SecureRandom random = new java.security.SecureRandom();
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                password.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return password.toString();
        }

        private static JsonObject error(String type, String message) {
            JsonObject error = new JsonObject();
            error.addProperty("__type", type);
            error.addProperty("message", message);
            return error;
        }

        private static void reply(HttpExchange exchange, int status, JsonObject body) throws IOException {
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
