package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.function.FunctionConfig.ConfigException;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.FunctionConfig.SslMode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FunctionConfigTest {

    @Test
    void readsAValidEnvironmentAndAppliesDefaults() {
        FunctionConfig c = FunctionConfig.fromEnvironment(Fixtures.env());
        assertEquals(RegionRole.PRIMARY, c.regionRole());
        assertEquals("primary", c.regionRole().label());
        assertEquals("us-east-1", c.awsRegion());
        assertEquals("payments-idempotency", c.idempotencyTable());
        assertEquals(5432, c.dbPort());
        assertEquals("payments", c.dbName());
        assertEquals(SslMode.REQUIRE, c.dbSslMode());
        assertEquals(Optional.empty(), c.dbSslRootCert());
        assertEquals(Fixtures.ORIGIN, c.allowedOrigin());
        assertEquals(List.of("USD", "EUR", "GBP"), List.copyOf(c.allowedCurrencies()));
        assertEquals(new BigDecimal("1000000.00"), c.maxAmount());
        assertEquals("payments_api", c.dbUser());
        assertEquals(Optional.empty(), c.dynamoEndpoint());
        assertEquals("payments.cluster-abc.us-east-1.rds.amazonaws.com", c.dbReaderHost(),
                "without a reader endpoint the writer's host serves the readiness probe");
    }

    @Test
    void theReaderConfigurationDiffersOnlyInItsHost() {
        String reader = "payments.cluster-ro-abc.us-east-2.rds.amazonaws.com";
        FunctionConfig c = Fixtures.config("REGION_ROLE", "dr", "DB_READER_HOST", reader, "DB_PORT", "6432");
        assertEquals("payments.cluster-abc.us-east-1.rds.amazonaws.com", c.dbHost());
        assertEquals(reader, c.dbReaderHost());
        FunctionConfig r = c.reader();
        assertEquals(reader, r.dbHost());
        assertEquals(new FunctionConfig(c.regionRole(), c.awsRegion(), c.idempotencyTable(),
                reader, reader, c.dbPort(), c.dbName(), c.dbUser(), c.dbSslMode(), c.dbSslRootCert(),
                c.allowedOrigin(), c.allowedCurrencies(), c.maxAmount(), c.dynamoEndpoint(), c.merchantsByKeyId(),
                c.ackMirror()), r);
    }

    @Test
    void readsTheApplicationRoleAndALocalDynamoDbEndpoint() {
        FunctionConfig c = Fixtures.config("DB_USER", "payments_writer",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000");
        assertEquals("payments_writer", c.dbUser());
        assertEquals(Optional.of(java.net.URI.create("http://127.0.0.1:8000")), c.dynamoEndpoint());
    }

    @Test
    void readsOptionalSettings() {
        FunctionConfig c = Fixtures.config("REGION_ROLE", "dr", "DB_PORT", "6432",
                "DB_SSL_MODE", "verify-full", "DB_SSL_ROOT_CERT", "/opt/rds/global-bundle.pem",
                "ALLOWED_CURRENCIES", " JPY , CHF ", "MAX_AMOUNT", "250.5", "AWS_REGION", "us-west-2");
        assertEquals(RegionRole.DR, c.regionRole());
        assertEquals(6432, c.dbPort());
        assertEquals(SslMode.VERIFY_FULL, c.dbSslMode());
        assertTrue(c.dbSslMode().verifiesCertificate());
        assertFalse(SslMode.REQUIRE.verifiesCertificate());
        assertEquals(Optional.of("/opt/rds/global-bundle.pem"), c.dbSslRootCert());
        assertEquals(List.of("JPY", "CHF"), List.copyOf(c.allowedCurrencies()));
        assertEquals(new BigDecimal("250.5"), c.maxAmount());
    }

    @Test
    void readsTheAcknowledgementMirrorAsBothVariablesOrNeither() {
        assertEquals(Optional.empty(), Fixtures.config().ackMirror());
        String vpce = "https://vpce-0a1b2c3d4e5f-abcd1234.dynamodb.us-east-2.vpce.amazonaws.com";
        assertEquals(Optional.of(new FunctionConfig.AckMirror("us-east-2", java.net.URI.create(vpce))),
                Fixtures.config("ACK_MIRROR_REGION", "us-east-2", "ACK_MIRROR_ENDPOINT", vpce).ackMirror());
        assertEquals(vpce, Fixtures.config("ACK_MIRROR_REGION", "us-east-2", "ACK_MIRROR_ENDPOINT", vpce).reader()
                .ackMirror().orElseThrow().endpoint().toString());
        for (String[] bad : new String[][] {
                {"ACK_MIRROR_REGION", "us-east-2", "ACK_MIRROR_REGION and ACK_MIRROR_ENDPOINT are set together or not"
                        + " at all; only ACK_MIRROR_REGION is set"},
                {"ACK_MIRROR_ENDPOINT", vpce, "only ACK_MIRROR_ENDPOINT is set"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.config(bad[0], bad[1]));
            assertTrue(e.getMessage().contains(bad[2]), e.getMessage());
        }
        // a public endpoint is unreachable without NAT, and not what the stack sets
        ConfigException publicEndpoint = assertThrows(ConfigException.class, () -> Fixtures.config(
                "ACK_MIRROR_REGION", "us-east-2", "ACK_MIRROR_ENDPOINT", "https://dynamodb.us-east-2.amazonaws.com"));
        assertTrue(publicEndpoint.getMessage().contains("ACK_MIRROR_ENDPOINT='https://dynamodb.us-east-2.amazonaws.com'"
                + " is invalid; allowed: unset, or https://vpce-<id>.dynamodb.<region>.vpce.amazonaws.com"),
                publicEndpoint.getMessage());
        ConfigException sameRegion = assertThrows(ConfigException.class, () -> Fixtures.config(
                "ACK_MIRROR_REGION", "us-east-1", "ACK_MIRROR_ENDPOINT", vpce.replace("us-east-2", "us-east-1")));
        assertTrue(sameRegion.getMessage().contains("ACK_MIRROR_REGION='us-east-1' is invalid; allowed: another"
                + " region than AWS_REGION"), sameRegion.getMessage());
    }

    @Test
    void blankValuesCountAsUnsetSoDefaultsApply() {
        FunctionConfig c = Fixtures.config("DB_PORT", "  ", "DB_SSL_MODE", "");
        assertEquals(5432, c.dbPort());
        assertEquals(SslMode.REQUIRE, c.dbSslMode());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(nullValues = "NULL", delimiter = '|', value = {
            "REGION_ROLE|NULL|REGION_ROLE is not set; allowed: primary or dr",
            "REGION_ROLE|secondary|REGION_ROLE='secondary' is invalid; allowed: primary or dr",
            "AWS_REGION|NULL|AWS_REGION is not set; allowed: an AWS region name",
            "AWS_REGION|USEAST1|AWS_REGION='USEAST1' is invalid",
            "IDEMPOTENCY_TABLE|ab|IDEMPOTENCY_TABLE='ab' is invalid; allowed: a DynamoDB table name",
            "MERCHANT_KEYS|[1]|MERCHANT_KEYS='[1]' is invalid; allowed: a JSON object of API key ids",
            "MERCHANT_KEYS|{\"k-1\":\"acme\"}|MERCHANT_KEYS='{\"k-1\":\"acme\"}' is invalid",
            "MERCHANT_KEYS|{\"k1\":\"a b\"}|MERCHANT_KEYS='{\"k1\":\"a b\"}' is invalid",
            "MERCHANT_KEYS|{\"k1\":7}|MERCHANT_KEYS='{\"k1\":7}' is invalid",
            "MERCHANT_KEYS|not json|MERCHANT_KEYS='not json' is invalid",
            "DB_HOST|NULL|DB_HOST is not set",
            "DB_HOST|bad host|DB_HOST='bad host' is invalid",
            "DB_READER_HOST|bad host|DB_READER_HOST='bad host' is invalid; allowed: unset (then DB_HOST)",
            "DB_PORT|0|DB_PORT='0' is invalid; allowed: an integer from 1 to 65535",
            "DB_PORT|70000|DB_PORT='70000' is invalid",
            "DB_PORT|54x|DB_PORT='54x' is invalid",
            "DB_NAME|1payments|DB_NAME='1payments' is invalid; allowed: a PostgreSQL identifier",
            "DB_SSL_MODE|disable|DB_SSL_MODE='disable' is invalid; allowed: require (default), verify-ca",
            "DB_USER|Payments|DB_USER='Payments' is invalid; allowed: the application role",
            "DB_USER|x;drop|DB_USER='x;drop' is invalid",
            "AWS_ENDPOINT_URL_DYNAMODB|https://dynamodb.example.com|AWS_ENDPOINT_URL_DYNAMODB='https://dynamodb.example.com'"
                    + " is invalid; allowed: unset, or http://127.0.0.1:<port>",
            "ALLOWED_ORIGIN|*|ALLOWED_ORIGIN='*' is invalid; allowed: one origin",
            "ALLOWED_ORIGIN|https://a.example/path|ALLOWED_ORIGIN='https://a.example/path' is invalid",
            "ALLOWED_CURRENCIES|USD,,EUR|ALLOWED_CURRENCIES='USD,,EUR' is invalid; allowed: a comma",
            "ALLOWED_CURRENCIES|usd|ALLOWED_CURRENCIES='usd' is invalid",
            "MAX_AMOUNT|0|MAX_AMOUNT='0' is invalid; allowed: a decimal greater than 0",
            "MAX_AMOUNT|10.001|MAX_AMOUNT='10.001' is invalid",
            "MAX_AMOUNT|1e6|MAX_AMOUNT='1e6' is invalid",
            "MAX_AMOUNT|9999999999999|MAX_AMOUNT='9999999999999' is invalid; allowed: a decimal greater"
                    + " than 0 and at most 999999999999.99",
    })
    void rejectsABadVariableNamingItTheValueAndWhatIsAllowed(String name, String value,
            String expected) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FunctionConfig.fromEnvironment(Fixtures.env(name, value)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid payment function configuration: "));
    }

    @Test
    void verifyingTlsModesNeedARootCertificate() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Fixtures.config("DB_SSL_MODE", "verify-ca"));
        assertTrue(e.getMessage().contains("DB_SSL_ROOT_CERT is not set; allowed: the path of a PEM CA"
                + " bundle; required when DB_SSL_MODE is verify-ca"), e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FunctionConfig.fromEnvironment(Map.of()));
        for (String name : List.of("REGION_ROLE", "AWS_REGION", "IDEMPOTENCY_TABLE",
                "DB_HOST", "DB_NAME", "ALLOWED_ORIGIN")) {
            assertTrue(e.getMessage().contains(name + " is not set"), name + ": " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("DB_PORT"), "defaults are not problems");
        assertFalse(e.getMessage().contains("MERCHANT_KEYS"), "no keys: every payment refused, not a broken init");
    }

    @Test
    void readsWhichMerchantEachApiKeyIdActsFor() {
        assertEquals(Map.of(), Fixtures.config("MERCHANT_KEYS", null).merchantsByKeyId(), "no keys: none acts");
        FunctionConfig c = Fixtures.config("MERCHANT_KEYS", "{\"a1b2c3d4e5\":\"acme\",\"f6g7h8i9j0\":\"acme\","
                + "\"k1l2m3n4o5\":\"globex\"}");
        assertEquals(Map.of("a1b2c3d4e5", "acme", "f6g7h8i9j0", "acme", "k1l2m3n4o5", "globex"), c.merchantsByKeyId());
    }

    @Test
    void currencySetIsImmutable() {
        FunctionConfig c = Fixtures.config();
        assertThrows(UnsupportedOperationException.class, () -> c.allowedCurrencies().add("JPY"));
    }
}
