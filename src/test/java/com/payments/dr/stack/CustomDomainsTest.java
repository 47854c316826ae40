package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Custom domains, on by default once DNS_DOMAIN names a domain of the operator's (CUSTOM_DOMAINS=auto): a certificate per region validated through the zone (the shared name's
 * CNAME created once), regional TLS 1.2 domain names mapped to each stage, alias records for the
 * regional names and the failover pair, the health checks still on the execute-api hosts.
 */
class CustomDomainsTest {

    private static final String ZONE = "pay.acme.io";
    private static final String SHARED = "api." + ZONE;
    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        // no CUSTOM_DOMAINS: a domain of one's own turns them on
        synth = Synth.of(DrConfig.builder()
                .set(Setting.DNS_DOMAIN, ZONE)
                .build());
    }

    private static String certificate(String role) {
        return "aws_acm_certificate." + synth.id("aws_acm_certificate", "dns_custom_domains_" + role + "_certificate");
    }

    private static String dvo(String role, String domain, String attribute) {
        return "${one([for option in " + certificate(role) + ".domain_validation_options : option." + attribute
                + " if option.domain_name == \"" + domain + "\"])}";
    }

    @Test
    void theVariantPassesTheProvidersValidation() throws Exception {
        ValidateTest.assumeTerraform();
        java.nio.file.Path outdir = java.nio.file.Path.of(com.hashicorp.cdktf.Testing.fullSynth(synth.stack()));
        ValidateTest.Result result = ValidateTest.validate(outdir.resolve("stacks").resolve(DrStack.NAME));
        assertEquals(0, result.exitCode(), result.output());
        ValidateTest.assertOnlyTheDeliberateWarning(result);
    }

    @Test
    void theyFollowDnsDomainUnlessSetExplicitly() {
        assertTrue(DrConfig.builder().set(Setting.DNS_DOMAIN, ZONE).build().customDomains());
        assertFalse(DrConfig.builder().set(Setting.DNS_DOMAIN, ZONE).set(Setting.CUSTOM_DOMAINS, "false").build()
                .customDomains(), "an explicit false: the two-step delegation of a new zone");
        assertFalse(DrConfig.builder().build().customDomains(), "no domain of one's own: none");
        assertTrue(DrConfig.builder().set(Setting.CUSTOM_DOMAINS, "true").build().customDomains());
        com.payments.dr.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                com.payments.dr.config.ConfigException.class,
                () -> DrConfig.builder().set(Setting.CUSTOM_DOMAINS, "yes").build());
        assertTrue(e.getMessage().startsWith("invalid CUSTOM_DOMAINS=\"yes\": allowed: auto (true with DNS_DOMAIN"),
                e.getMessage());
    }

    @Test
    void theDefaultHasNoCustomDomain() {
        Synth defaults = Synth.defaults();
        defaults.assertNoResource("aws_acm_certificate");
        defaults.assertNoResource("aws_api_gateway_domain_name");
        assertFalse(defaults.json().getAsJsonObject("output").has("api_failover_url"));
        assertEquals(List.of(), DrConfig.builder().build().warnings());
    }

    @Test
    void aCertificatePerRegionForTheSharedAndTheRegionalNameValidatedByDns() {
        for (String role : List.of("primary", "dr")) {
            synth.assertResource("aws_acm_certificate", Synth.props("provider", "aws." + role,
                    "domain_name", SHARED, "subject_alternative_names", List.of(role + "." + SHARED),
                    "validation_method", "DNS", "lifecycle", Map.of("create_before_destroy", true)));
        }
        assertEquals(2, synth.resources("aws_acm_certificate").size());
    }

    @Test
    void theSharedNamesCnameIsCreatedOnceAndTheDrValidationChecksItIsTheSame() {
        String zone = synth.ref("aws_route53_zone", "dns_zone", "zone_id");
        // the shared name from the primary's certificate only; each regional name from its own
        synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "provider", "aws.primary",
                "name", dvo("primary", SHARED, "resource_record_name"),
                "type", dvo("primary", SHARED, "resource_record_type"),
                "records", List.of(dvo("primary", SHARED, "resource_record_value")),
                "ttl", 300, "allow_overwrite", true));
        for (String role : List.of("primary", "dr")) {
            synth.assertResource("aws_route53_record", Synth.props("zone_id", zone,
                    "name", dvo(role, role + "." + SHARED, "resource_record_name"),
                    "records", List.of(dvo(role, role + "." + SHARED, "resource_record_value")),
                    "allow_overwrite", true));
        }
        List<String> names = synth.resources("aws_route53_record").stream()
                .map(r -> r.get("name").getAsString()).toList();
        assertFalse(names.contains(dvo("dr", SHARED, "resource_record_name")), "the shared CNAME created twice");
        assertEquals(3, names.stream().filter(n -> n.contains("domain_validation_options")).count(), names.toString());

        String shared = "${aws_route53_record." + synth.id("aws_route53_record", "dns_custom_domains_shared_validation")
                + ".fqdn}";
        for (String role : List.of("primary", "dr")) {
            synth.assertResource("aws_acm_certificate_validation", Synth.props("provider", "aws." + role,
                    "certificate_arn", synth.ref("aws_acm_certificate", "dns_custom_domains_" + role + "_certificate", "arn"),
                    "validation_record_fqdns", List.of(shared, synth.ref("aws_route53_record",
                            "dns_custom_domains_" + role + "_validation", "fqdn"))));
        }
        JsonObject drValidation = synth.resource("aws_acm_certificate_validation", "dns_custom_domains_dr_");
        String condition = drValidation.getAsJsonObject("lifecycle").getAsJsonArray("precondition").get(0)
                .getAsJsonObject().get("condition").getAsString();
        String record = "aws_route53_record." + synth.id("aws_route53_record", "dns_custom_domains_shared_validation");
        assertTrue(condition.contains(dvo("dr", SHARED, "resource_record_value").replaceAll("^\\$\\{|}$", "")), condition);
        assertTrue(condition.contains("one(" + record + ".records)") && condition.contains(record + ".name"), condition);
        assertFalse(synth.resource("aws_acm_certificate_validation", "dns_custom_domains_primary_").has("lifecycle"));
    }

    @Test
    void regionalTls12DomainNamesOnTheValidatedCertificateMappedToEachStage() {
        for (String role : List.of("primary", "dr")) {
            String validated = synth.ref("aws_acm_certificate_validation", "dns_custom_domains_" + role,
                    "certificate_arn");
            for (String kind : List.of("shared", "regional")) {
                String name = kind.equals("shared") ? SHARED : role + "." + SHARED;
                synth.assertResource("aws_api_gateway_domain_name", Synth.props("provider", "aws." + role,
                        "domain_name", name, "regional_certificate_arn", validated,
                        "endpoint_configuration", Map.of("types", List.of("REGIONAL")),
                        "security_policy", "TLS_1_2"));
                synth.assertResource("aws_api_gateway_base_path_mapping", Synth.props("provider", "aws." + role,
                        "api_id", synth.ref("aws_api_gateway_rest_api", role + "_api_rest_api", "id"),
                        // read from the stage: the mapping waits for it (API Gateway refuses a missing stage)
                        "stage_name", synth.ref("aws_api_gateway_stage", role + "_api_stage", "stage_name"),
                        "domain_name", synth.ref("aws_api_gateway_domain_name",
                                "dns_custom_domains_" + role + "_" + kind + "_domain", "domain_name")));
            }
        }
        assertEquals(4, synth.resources("aws_api_gateway_domain_name").size());
        for (JsonObject mapping : synth.resources("aws_api_gateway_base_path_mapping")) {
            assertFalse(mapping.has("base_path"), "mapped at the root: " + mapping);
        }
    }

    @Test
    void aliasRecordsForTheRegionalNamesAndTheFailoverPairWithTheirHealthChecks() {
        String zone = synth.ref("aws_route53_zone", "dns_zone", "zone_id");
        for (String role : List.of("primary", "dr")) {
            String regional = "dns_custom_domains_" + role + "_regional_domain";
            String shared = "dns_custom_domains_" + role + "_shared_domain";
            synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", role + "." + SHARED,
                    "type", "A", "alias", Map.of(
                            "name", synth.ref("aws_api_gateway_domain_name", regional, "regional_domain_name"),
                            "zone_id", synth.ref("aws_api_gateway_domain_name", regional, "regional_zone_id"),
                            "evaluate_target_health", false)));
            synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", SHARED,
                    "type", "A", "set_identifier", role,
                    "failover_routing_policy", Map.of("type", role.equals("primary") ? "PRIMARY" : "SECONDARY"),
                    "health_check_id", synth.ref("aws_route53_health_check", "dns_" + role + "_health_check", "id"),
                    "alias", Map.of(
                            "name", synth.ref("aws_api_gateway_domain_name", shared, "regional_domain_name"),
                            "zone_id", synth.ref("aws_api_gateway_domain_name", shared, "regional_zone_id"),
                            "evaluate_target_health", false)));
        }
        for (JsonObject record : synth.resources("aws_route53_record")) {
            assertFalse(record.get("type").getAsString().equals("CNAME") && record.toString().contains("execute-api"),
                    "no CNAME to an execute-api host: " + record);
        }
        assertEquals(7, synth.resources("aws_route53_record").size());
    }

    @Test
    void theHealthChecksStillCallEachRegionsExecuteApiHost() {
        for (String role : List.of("primary", "dr")) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            synth.assertResource("aws_route53_health_check", Synth.props("fqdn",
                    synth.ref("aws_api_gateway_rest_api", role + "_api_rest_api", "id") + ".execute-api." + region
                            + ".amazonaws.com",
                    "resource_path", "/v1-dev/health", "enable_sni", true));
        }
    }

    @Test
    void outputsNameTheClientsUrlAndEachRegionsOwnName() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        Map<String, String> expected = Map.of("api_failover_url", "https://" + SHARED,
                "primary_api_custom_domain", "primary." + SHARED, "dr_api_custom_domain", "dr." + SHARED);
        expected.forEach((name, value) -> {
            assertEquals(value, outputs.getAsJsonObject(name).get("value").getAsString(), name);
            assertFalse(outputs.getAsJsonObject(name).get("description").getAsString().isBlank(), name);
        });
        assertTrue(synth.stack().dns().customDomains().isPresent());
    }

    @Test
    void aDerivedZoneWithCustomDomainsWarnsThatAcmNeedsItDelegated() {
        List<String> warnings = DrConfig.builder().set(Setting.CUSTOM_DOMAINS, "true").build().warnings();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("warning: CUSTOM_DOMAINS=true with the derived zone payments-dr-dev.com"),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("DNS_DOMAIN"));
        assertEquals(List.of(), DrConfig.builder().set(Setting.CUSTOM_DOMAINS, "true").set(Setting.DNS_DOMAIN, ZONE)
                .build().warnings());
    }
}
