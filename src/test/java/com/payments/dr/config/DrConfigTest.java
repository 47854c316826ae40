package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.naming.Naming;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DrConfig config = DrConfig.builder().build();
        assertEquals("dev", config.environmentSuffix());
        assertEquals("us-east-1", config.primaryRegion());
        assertEquals("us-east-2", config.drRegion());
        assertEquals("10.10.0.0/16", config.primaryVpcCidr().toString());
        assertEquals("10.20.0.0/16", config.drVpcCidr().toString());
        assertEquals(2, config.azCount());
        assertEquals(30, config.logRetentionDays());
        assertEquals(Optional.empty(), config.alarmEmail());
        assertEquals(Optional.empty(), config.dnsDomain());
        assertEquals(new BackendSettings("payments-dr-terraform-state", "payments-dr/dev/terraform.tfstate",
                "us-east-1", "payments-dr-terraform-locks", "alias/payments-dr-terraform-state"), config.backend());
    }

    @Test
    void stateKeyCarriesTheSuffixSoEnvironmentsNeverShareState() {
        DrConfig config = DrConfig.builder().environmentSuffix("pr-42").build();
        assertEquals("payments-dr/pr-42/terraform.tfstate", config.backend().key());
    }

    @Test
    void optionalSettingsAreKeptWhenValid() {
        DrConfig config = DrConfig.builder()
                .set(Setting.ALARM_EMAIL, "oncall+dr@payments.io")
                .set(Setting.DNS_DOMAIN, "dr.payments.io")
                .build();
        assertEquals(Optional.of("oncall+dr@payments.io"), config.alarmEmail());
        assertEquals(Optional.of("dr.payments.io"), config.dnsDomain());
    }

    @Test
    void suffixOfExactlyTheComputedBoundIsAccepted() {
        String longest = "a".repeat(Naming.maxSuffixLength());
        assertEquals(longest, DrConfig.builder().environmentSuffix(longest).build().environmentSuffix());
    }

    @Test
    void suffixOneCharacterOverTheBoundNamesTheLimitingResource() {
        String tooLong = "a".repeat(Naming.maxSuffixLength() + 1);
        ConfigException e = assertThrows(ConfigException.class,
                () -> DrConfig.builder().environmentSuffix(tooLong).build());
        assertEquals(Setting.ENVIRONMENT_SUFFIX, e.setting());
        assertTrue(e.getMessage().contains("at most " + Naming.maxSuffixLength() + " characters"), e.getMessage());
        assertTrue(e.getMessage().contains("S3_BUCKET"), e.getMessage());
    }

    /** One row per rule: the setting, a bad value, and words the one-line message must contain. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "ENVIRONMENT_SUFFIX | Prod         | lowercase letters",
        "ENVIRONMENT_SUFFIX | 1dev         | starting with a letter",
        "ENVIRONMENT_SUFFIX | dev-         | not ending with a hyphen",
        "ENVIRONMENT_SUFFIX | dev--x       | single hyphens",
        "ENVIRONMENT_SUFFIX | dev_x        | lowercase letters",
        "ENVIRONMENT_SUFFIX | ''           | lowercase letters",
        "PRIMARY_REGION     | us-east      | AWS region name",
        "PRIMARY_REGION     | US-EAST-1    | AWS region name",
        "DR_REGION          | mars-north-1 | AWS region name",
        "DR_REGION          | us-east-1    | different from PRIMARY_REGION",
        "STATE_BUCKET       | My_Bucket    | S3 bucket name",
        "STATE_BUCKET       | ab           | S3 bucket name",
        "STATE_REGION       | nowhere      | AWS region",
        "STATE_LOCK_TABLE   | a b          | DynamoDB table name",
        "PRIMARY_VPC_CIDR   | 10.0.0.0/33  | host bits zero",
        "PRIMARY_VPC_CIDR   | 10.0.0.1/16  | host bits zero",
        "PRIMARY_VPC_CIDR   | 300.0.0.0/16 | host bits zero",
        "PRIMARY_VPC_CIDR   | 10.0.0.0/8   | from /16 to /24",
        "PRIMARY_VPC_CIDR   | 10.0.0.0/25  | from /16 to /24",
        "PRIMARY_VPC_CIDR   | 8.8.0.0/16   | RFC 1918",
        "DR_VPC_CIDR        | 10.10.0.0/16 | not overlapping PRIMARY_VPC_CIDR",
        "DR_VPC_CIDR        | 10.10.4.0/24 | not overlapping PRIMARY_VPC_CIDR",
        "DR_VPC_CIDR        | banana       | host bits zero",
        "AZ_COUNT           | 1            | 2 or 3",
        "AZ_COUNT           | 4            | 2 or 3",
        "AZ_COUNT           | two          | a whole number",
        "LOG_RETENTION_DAYS | 10           | one of [1, 3, 5, 7, 14, 30",
        "ALARM_EMAIL        | not-an-email | e-mail address",
        "ALARM_EMAIL        | a@b          | e-mail address",
        "DNS_DOMAIN         | payments     | DNS domain",
        "DNS_DOMAIN         | Bad_Domain.io | DNS domain",
        "DNS_DOMAIN         | example.com  | reserved names",
        "DNS_DOMAIN         | dr.example.org | reserved names",
        "DNS_DOMAIN         | payments.test | reserved names",
        "AURORA_ENGINE_VERSION | 14.9      | 15.x, 16.x or 17.x",
        "AURORA_ENGINE_VERSION | 16        | 15.x, 16.x or 17.x",
        "AURORA_MIN_ACU     | 0.25         | steps of 0.5 ACU",
        "AURORA_MIN_ACU     | 0.7          | steps of 0.5 ACU",
        "AURORA_MIN_ACU     | lots         | a number",
        "AURORA_MAX_ACU     | 128.5        | steps of 0.5 ACU",
        "AURORA_MAX_ACU     | 0.25         | steps of 0.5 ACU",
        "BACKUP_RETENTION_DAYS | 6         | 7 to 35 days",
        "BACKUP_RETENTION_DAYS | 36        | 7 to 35 days",
        "DR_DB_INSTANCES    | 0            | 1 to 3",
        "DR_DB_INSTANCES    | 4            | 1 to 3",
        "S3_REPLICATION_TIME_CONTROL | yes | true or false",
        "FUNCTION_PACKAGE   | target/nothing.zip | an existing file",
        "FUNCTION_PACKAGE   | target       | an existing file",
        "ALLOWED_ORIGIN     | *            | scheme://host[:port]",
        "ALLOWED_ORIGIN     | https://shop.io/checkout | scheme://host[:port]",
        "ALLOWED_ORIGIN     | ftp://shop.io | scheme://host[:port]",
        "PAYMENT_CURRENCIES | usd          | ISO-4217",
        "PAYMENT_CURRENCIES | USD,,EUR     | ISO-4217",
        "PAYMENT_CURRENCIES | USD;EUR      | ISO-4217",
    })
    void eachRuleFailsWithOneLineNamingSettingValueAndWhatIsAllowed(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }

    @Test
    void maximumCapacityMayNotBeBelowTheMinimum() {
        ConfigException e = assertThrows(ConfigException.class, () -> DrConfig.builder()
                .set(Setting.AURORA_MIN_ACU, "2").set(Setting.AURORA_MAX_ACU, "1.5").build());
        assertEquals("invalid AURORA_MAX_ACU=\"1.5\": allowed: at least AURORA_MIN_ACU (2) and at most 128",
                e.getMessage());
    }

    @Test
    void databaseDefaultsAndBounds() {
        DrConfig defaults = DrConfig.builder().build();
        assertEquals(new DatabaseSettings("16.6", 0.5, 4, 7, 1), defaults.database());
        assertEquals("aurora-postgresql16", defaults.database().parameterGroupFamily());
        assertTrue(defaults.replicationTimeControl());
        DrConfig edges = DrConfig.builder()
                .set(Setting.AURORA_ENGINE_VERSION, "15.10")
                .set(Setting.AURORA_MIN_ACU, "128").set(Setting.AURORA_MAX_ACU, "128.0")
                .set(Setting.BACKUP_RETENTION_DAYS, "35").set(Setting.DR_DB_INSTANCES, "3")
                .set(Setting.S3_REPLICATION_TIME_CONTROL, "false")
                .build();
        assertEquals(new DatabaseSettings("15.10", 128, 128, 35, 3), edges.database());
        assertEquals("aurora-postgresql15", edges.database().parameterGroupFamily());
        assertFalse(edges.replicationTimeControl());
    }

    @Test
    void functionDefaultsPointAtTheBuiltPackage() {
        FunctionSettings function = DrConfig.builder().build().function();
        assertEquals(java.nio.file.Path.of("target/payment-function.zip"), function.packagePath());
        assertEquals("http://localhost:3000", function.allowedOrigin());
        assertEquals(java.util.List.of("USD", "EUR", "GBP"), function.currencies());
        assertEquals(java.util.List.of("JPY"), DrConfig.builder().set(Setting.PAYMENT_CURRENCIES, "JPY").build()
                .function().currencies());
    }

    @Test
    void nullValuesAreTreatedAsEmpty() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DrConfig.builder().environmentSuffix(null).build());
        assertEquals(Setting.ENVIRONMENT_SUFFIX, e.setting());
    }

    @Test
    void everySettingDocumentsWhatIsAllowed() {
        for (Setting s : Setting.values()) {
            assertFalse(s.allowed().isBlank(), s.name());
            assertEquals(s.name(), s.envVar());
            assertTrue(s.contextKey().matches("[a-z][A-Za-z0-9]+"), s.contextKey());
        }
    }
}
