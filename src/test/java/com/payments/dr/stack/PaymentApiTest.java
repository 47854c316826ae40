package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.blocks.PaymentApi;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.function.ApiRequest;
import com.payments.dr.function.PaymentValidator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The payments REST API in both regions, checked on the default synthesis and one variant. */
class PaymentApiTest {

    private static final List<String> ROLES = List.of("primary", "dr");
    private static Synth synth;
    private static Synth variant;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        variant = Synth.of(DrConfig.builder()
                .environmentSuffix("qa")
                .set(Setting.API_THROTTLE_RATE, "200")
                .set(Setting.API_THROTTLE_BURST, "400")
                .set(Setting.API_QUOTA_PER_DAY, "5000")
                .set(Setting.API_LOG_LEVEL, "INFO")
                .set(Setting.PAYMENT_CURRENCIES, "USD,JPY")
                .set(Setting.LOG_RETENTION_DAYS, "90")
                .build());
    }

    /** The region's API resources by type and logical id, normalised so both regions compare equal. */
    private static Map<String, String> normalisedApi(Synth s, String role) {
        Map<String, String> blocks = new TreeMap<>();
        for (Synth.Block block : s.allBlocks()) {
            if (block.id().startsWith(role + "_api_")) {
                JsonObject body = block.body().deepCopy();
                body.remove("//");
                blocks.put(block.type() + "." + normalise(block.id(), role), normalise(body.toString(), role));
            }
        }
        return blocks;
    }

    private static String normalise(String text, String role) {
        String region = role.equals("primary") ? "us-east-1" : "us-east-2";
        return text.replaceAll("\\b" + role + "_([a-z0-9_]*?)_[0-9A-F]{8}\\b", "ROLE_$1")
                .replaceAll("\\b" + role + "_(caller_identity|partition)\\b", "ROLE_$1")
                .replace("aws." + role, "aws.ROLE")
                .replace("(" + role + " region)", "(ROLE region)")
                .replace("-" + role + "-", "-ROLE-")
                .replace(region, "REGION");
    }

    @Test
    void bothRegionsHaveTheSameApiExceptForRegionSpecificValues() {
        Map<String, String> primary = normalisedApi(synth, "primary");
        Map<String, String> dr = normalisedApi(synth, "dr");
        assertTrue(primary.size() >= 39, "found " + primary.size() + " API resources");
        assertEquals(primary.keySet(), dr.keySet());
        primary.forEach((id, body) -> assertEquals(body, dr.get(id), id));
        assertEquals(2, synth.resources("aws_api_gateway_rest_api").size());
        for (JsonObject api : synth.resources("aws_api_gateway_rest_api")) {
            assertEquals("apigw-payments-dev", api.get("name").getAsString());
            assertEquals(List.of("REGIONAL"), Synth.strings(api.getAsJsonObject("endpoint_configuration")
                    .getAsJsonArray("types")));
            assertEquals("HEADER", api.get("api_key_source").getAsString());
        }
    }

    @Test
    void theApiKeyIsRequiredOnPostOnlyNeverOnHealthOrPreflight() {
        List<JsonObject> methods = synth.resources("aws_api_gateway_method");
        assertEquals(8, methods.size(), "POST, GET and two OPTIONS per region");
        for (String role : ROLES) {
            JsonObject post = synth.resource("aws_api_gateway_method", role + "_api_payments_method");
            assertEquals("POST", post.get("http_method").getAsString());
            assertTrue(post.get("api_key_required").getAsBoolean());
            assertEquals("NONE", post.get("authorization").getAsString());
            assertTrue(post.getAsJsonObject("request_parameters").get("method.request.header.Idempotency-Key")
                    .getAsBoolean());
            assertTrue(post.get("request_validator_id").getAsString().startsWith(
                    "${aws_api_gateway_request_validator." + role + "_api_validator"));
            assertTrue(post.getAsJsonObject("request_models").get("application/json").getAsString()
                    .startsWith("${aws_api_gateway_model." + role + "_api_payment_model"));
            JsonObject health = synth.resource("aws_api_gateway_method", role + "_api_health_method");
            assertEquals("GET", health.get("http_method").getAsString());
            assertFalse(health.get("api_key_required").getAsBoolean());
            assertFalse(health.has("request_models"), "no body on health");
            for (String path : List.of("payments", "health")) {
                JsonObject options = synth.resource("aws_api_gateway_method", role + "_api_" + path + "_options");
                assertEquals("OPTIONS", options.get("http_method").getAsString());
                assertFalse(options.get("api_key_required").getAsBoolean());
            }
        }
        JsonObject validator = synth.resource("aws_api_gateway_request_validator", "primary_api_validator");
        assertTrue(validator.get("validate_request_body").getAsBoolean());
        assertTrue(validator.get("validate_request_parameters").getAsBoolean());
    }

    @Test
    void integrationsProxyToTheLiveAliasWithAnExplicitTimeout() {
        for (String role : ROLES) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            for (String path : List.of("payments", "health")) {
                JsonObject integration = synth.resource("aws_api_gateway_integration", role + "_api_" + path + "_integration_");
                assertEquals("AWS_PROXY", integration.get("type").getAsString());
                assertEquals("POST", integration.get("integration_http_method").getAsString());
                assertEquals(29000, integration.get("timeout_milliseconds").getAsInt());
                String uri = integration.get("uri").getAsString();
                assertTrue(uri.matches("arn:\\$\\{data\\.aws_partition\\." + role + "_partition\\.partition}:apigateway:"
                        + region + ":lambda:path/2015-03-31/functions/\\$\\{aws_lambda_alias\\." + role
                        + "_payment_function_alias_[0-9A-F]{8}\\.arn}/invocations"), uri);
            }
        }
    }

    @Test
    void lambdaPermissionsAreScopedToThisApiStageMethodPathAndAlias() {
        List<JsonObject> permissions = synth.resources("aws_lambda_permission").stream()
                .filter(p -> p.get("principal").getAsString().equals("apigateway.amazonaws.com")).toList();
        assertEquals(4, permissions.size());
        for (String role : ROLES) {
            Map<String, String> expected = Map.of("payments", "POST", "health", "GET");
            expected.forEach((path, method) -> {
                JsonObject permission = synth.resource("aws_lambda_permission", role + "_api_" + path + "_permission");
                assertEquals("apigateway.amazonaws.com", permission.get("principal").getAsString());
                assertEquals("lambda:InvokeFunction", permission.get("action").getAsString());
                // "live", read from the alias's ARN so that the permission waits for the alias
                assertTrue(permission.get("qualifier").getAsString().matches("\\$\\{element\\(split\\(\":\", aws_lambda_alias\\."
                        + role + "_payment_function_alias_[0-9A-F]{8}\\.arn\\), 7\\)}"), permission.get("qualifier").getAsString());
                assertEquals("live", "arn:aws:lambda:us-east-1:123456789012:function:lambda-payment-dev:live".split(":")[7]);
                assertTrue(permission.get("function_name").getAsString()
                        .matches("\\$\\{aws_lambda_function\\." + role + "_payment_function_[0-9A-F]{8}\\.function_name}"),
                        permission.get("function_name").getAsString());
                String sourceArn = permission.get("source_arn").getAsString();
                assertTrue(sourceArn.matches("\\$\\{aws_api_gateway_rest_api\\." + role
                        + "_api_rest_api_[0-9A-F]{8}\\.execution_arn}/v1-dev/" + method + "/" + path), sourceArn);
            });
        }
    }

    @Test
    void theModelMirrorsTheFunctionsRules() {
        JsonObject schema = JsonParser.parseString(synth.resource("aws_api_gateway_model", "primary_api_payment_model")
                .get("schema").getAsString()).getAsJsonObject();
        assertEquals("http://json-schema.org/draft-04/schema#", schema.get("$schema").getAsString());
        // merchant_id is the API key's: a body may name it (the function refuses another), need not
        assertEquals(List.of("amount", "currency"), Synth.strings(schema.getAsJsonArray("required")));
        assertFalse(schema.get("additionalProperties").getAsBoolean());
        JsonObject properties = schema.getAsJsonObject("properties");
        assertEquals(Set.of("amount", "currency", "merchant_id", "description"), properties.keySet());
        assertEquals(List.of("USD", "EUR", "GBP"), Synth.strings(properties.getAsJsonObject("currency").getAsJsonArray("enum")));
        assertEquals(255, properties.getAsJsonObject("description").get("maxLength").getAsInt());
        assertEquals(List.of("string", "null"), Synth.strings(properties.getAsJsonObject("description").getAsJsonArray("type")));
        assertEquals(List.of("string", "number"), Synth.strings(properties.getAsJsonObject("amount").getAsJsonArray("type")));

        // same decisions as the function wherever the model can state the rule; never stricter
        PaymentValidator validator = new PaymentValidator(Set.of("USD", "EUR", "GBP"), new BigDecimal("1000000.00"));
        Pattern amount = ecma(properties.getAsJsonObject("amount").get("pattern").getAsString());
        for (String value : List.of("12.34", "12.3", "12", "0.01", "007.50", "1000000.00", "12.345", "1e3", "-5",
                "+5", "12.", ".5", "1,00", " 12", "12.34.5", "abc", "")) {
            boolean function = accepts(validator, "{\"amount\":\"" + value + "\",\"currency\":\"USD\",\"merchant_id\":\"m\"}");
            assertEquals(function, amount.matcher(value).find(), "amount " + value);
        }
        Pattern merchant = ecma(properties.getAsJsonObject("merchant_id").get("pattern").getAsString());
        for (String value : List.of("m", "m_42", "M-1", "a".repeat(64), "a".repeat(65), "m 1", "m.1", "", "m/1")) {
            // the key's own merchant: only the pattern decides
            boolean function = accepts(validator, "{\"amount\":\"1.00\",\"currency\":\"USD\",\"merchant_id\":\"" + value + "\"}",
                    value);
            assertEquals(function, merchant.matcher(value).find(), "merchant_id " + value);
        }
        Pattern text = ecma(properties.getAsJsonObject("description").get("pattern").getAsString());
        for (String value : List.of("Order 17", "caf\u00e9", "tab\there", "new\nline", "bell\u0007", "del\u007f", "c1\u0085")) {
            boolean function = accepts(validator, "{\"amount\":\"1.00\",\"currency\":\"USD\",\"merchant_id\":\"m\","
                    + "\"description\":" + new com.google.gson.Gson().toJson(value) + "}");
            assertEquals(function, text.matcher(value).find(), "description " + value);
        }
        JsonObject qa = JsonParser.parseString(variant.resource("aws_api_gateway_model", "dr_api_payment_model")
                .get("schema").getAsString()).getAsJsonObject();
        assertEquals(List.of("USD", "JPY"), Synth.strings(qa.getAsJsonObject("properties").getAsJsonObject("currency")
                .getAsJsonArray("enum")));
    }

    /** JSON Schema patterns are ECMA-262: {@code $} ends the input, not a final line terminator as in Java. */
    private static Pattern ecma(String pattern) {
        assertTrue(pattern.startsWith("^") && pattern.endsWith("$"), pattern);
        return Pattern.compile(pattern.substring(0, pattern.length() - 1) + "\\z");
    }

    private static boolean accepts(PaymentValidator validator, String body) {
        return accepts(validator, body, "m");
    }

    private static boolean accepts(PaymentValidator validator, String body, String keyMerchant) {
        try {
            validator.validate(new ApiRequest("POST", "/payments", Map.of("idempotency-key", "key-00000001"), body),
                    keyMerchant);
            return true;
        } catch (PaymentValidator.ValidationException | PaymentValidator.OtherMerchantException e) {
            return false;
        }
    }

    @Test
    void preflightsAndGatewayErrorsCarryTheCorsHeaders() {
        for (String role : ROLES) {
            for (String path : List.of("payments", "health")) {
                JsonObject mock = synth.resource("aws_api_gateway_integration", role + "_api_" + path + "_options_integration_");
                assertEquals("MOCK", mock.get("type").getAsString());
                JsonObject response = synth.resource("aws_api_gateway_integration_response",
                        role + "_api_" + path + "_options_integration_response");
                JsonObject headers = response.getAsJsonObject("response_parameters");
                assertEquals("'http://localhost:3000'",
                        headers.get("method.response.header.Access-Control-Allow-Origin").getAsString());
                assertEquals(path.equals("payments") ? "'POST,OPTIONS'" : "'GET,OPTIONS'",
                        headers.get("method.response.header.Access-Control-Allow-Methods").getAsString());
                // a page may never send an API key: it is a merchant server's secret
                assertEquals("'Content-Type,Idempotency-Key'",
                        headers.get("method.response.header.Access-Control-Allow-Headers").getAsString());
                assertFalse(headers.has("method.response.header.Access-Control-Allow-Credentials"));
                Synth.assertDependsFirstOn(response,
                        "aws_api_gateway_integration." + role + "_api_" + path + "_options_integration_");
            }
        }
        List<String> types = new ArrayList<>();
        for (JsonObject response : synth.resources("aws_api_gateway_gateway_response")) {
            types.add(response.get("response_type").getAsString());
            assertEquals("'http://localhost:3000'", response.getAsJsonObject("response_parameters")
                    .get("gatewayresponse.header.Access-Control-Allow-Origin").getAsString());
            String template = response.getAsJsonObject("response_templates").get("application/json").getAsString();
            assertTrue(template.contains("\"error\": \""), template);
        }
        for (String type : List.of("DEFAULT_4XX", "DEFAULT_5XX", "INVALID_API_KEY", "THROTTLED", "QUOTA_EXCEEDED",
                "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "MISSING_AUTHENTICATION_TOKEN", "INTEGRATION_TIMEOUT")) {
            assertEquals(2, types.stream().filter(type::equals).count(), type);
        }
    }

    @Test
    void theDeploymentIsReplacedWhenAndOnlyWhenTheShapeChanges() {
        JsonObject deployment = synth.resource("aws_api_gateway_deployment", "primary_api_deployment");
        assertTrue(deployment.getAsJsonObject("lifecycle").get("create_before_destroy").getAsBoolean());
        String hash = deployment.getAsJsonObject("triggers").get("definition").getAsString();
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, synth.resource("aws_api_gateway_deployment", "dr_api_deployment")
                .getAsJsonObject("triggers").get("definition").getAsString(), "same shape in both regions");
        List<String> dependsOn = Synth.strings(deployment.getAsJsonArray("depends_on"));
        for (String type : List.of("aws_api_gateway_method.", "aws_api_gateway_integration.",
                "aws_api_gateway_integration_response.", "aws_api_gateway_gateway_response.", "aws_api_gateway_model.")) {
            assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith(type)), type + " in " + dependsOn);
        }
        String qaHash = variant.resource("aws_api_gateway_deployment", "primary_api_deployment")
                .getAsJsonObject("triggers").get("definition").getAsString();
        assertNotEquals(hash, qaHash, "another currency list is another model");
        Synth sameShape = Synth.of(DrConfig.builder().environmentSuffix("other").set(Setting.API_THROTTLE_RATE, "7")
                .set(Setting.API_THROTTLE_BURST, "7").build());
        assertEquals(hash, sameShape.resource("aws_api_gateway_deployment", "primary_api_deployment")
                .getAsJsonObject("triggers").get("definition").getAsString(), "names and limits are not the shape");
        JsonObject stage = synth.resource("aws_api_gateway_stage", "primary_api_stage");
        assertTrue(stage.get("deployment_id").getAsString().startsWith("${aws_api_gateway_deployment.primary_api_deployment"));
    }

    @Test
    void oneStageWithXrayAccessLogsExecutionLogsMetricsAndNoDataTrace() {
        assertEquals(2, synth.resources("aws_api_gateway_stage").size());
        for (String role : ROLES) {
            JsonObject stage = synth.resource("aws_api_gateway_stage", role + "_api_stage");
            assertEquals("v1-dev", stage.get("stage_name").getAsString());
            assertTrue(stage.get("xray_tracing_enabled").getAsBoolean());
            JsonObject access = stage.getAsJsonObject("access_log_settings");
            assertTrue(access.get("destination_arn").getAsString()
                    .startsWith("${aws_cloudwatch_log_group." + role + "_api_access_log_group"));
            JsonObject format = JsonParser.parseString(access.get("format").getAsString()).getAsJsonObject();
            Map<String, String> fields = Map.of("requestId", "$context.requestId", "ip", "$context.identity.sourceIp",
                    "httpMethod", "$context.httpMethod", "path", "$context.path", "status", "$context.status",
                    "responseLatency", "$context.responseLatency", "apiKeyId", "$context.identity.apiKeyId",
                    "integrationError", "$context.integration.error");
            fields.forEach((name, variable) -> assertEquals(variable, format.get(name).getAsString(), name));
            assertFalse(access.get("format").getAsString().contains("apiKey}"), "never the key's value");
            List<String> dependsOn = Synth.strings(stage.getAsJsonArray("depends_on"));
            assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_api_gateway_account." + role + "_api_account")));
            assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_cloudwatch_log_group." + role + "_api_execution_log_group")));

            JsonObject accessGroup = synth.resource("aws_cloudwatch_log_group", role + "_api_access_log_group");
            JsonObject executionGroup = synth.resource("aws_cloudwatch_log_group", role + "_api_execution_log_group");
            assertEquals("/aws/apigateway/apigw-payments-dev/access", accessGroup.get("name").getAsString());
            assertTrue(executionGroup.get("name").getAsString().matches(
                    "API-Gateway-Execution-Logs_\\$\\{aws_api_gateway_rest_api\\." + role + "_api_rest_api_[0-9A-F]{8}\\.id}/v1-dev"),
                    executionGroup.get("name").getAsString());
            for (JsonObject group : List.of(accessGroup, executionGroup)) {
                assertEquals(30, group.get("retention_in_days").getAsInt());
                assertTrue(group.get("kms_key_id").getAsString().startsWith("${aws_kms_key." + role + "_logs_key"));
            }

            JsonObject all = synth.resource("aws_api_gateway_method_settings", role + "_api_all_settings");
            assertEquals("*/*", all.get("method_path").getAsString());
            JsonObject settings = all.getAsJsonObject("settings");
            assertTrue(settings.get("metrics_enabled").getAsBoolean());
            assertEquals("ERROR", settings.get("logging_level").getAsString());
            assertFalse(settings.get("data_trace_enabled").getAsBoolean());
            assertEquals(50, settings.get("throttling_rate_limit").getAsInt());
            assertEquals(100, settings.get("throttling_burst_limit").getAsInt());
            JsonObject health = synth.resource("aws_api_gateway_method_settings", role + "_api_health_settings");
            assertEquals("health/GET", health.get("method_path").getAsString());
            assertEquals(10, health.getAsJsonObject("settings").get("throttling_rate_limit").getAsInt());
            assertFalse(health.getAsJsonObject("settings").get("metrics_enabled").getAsBoolean(),
                    "no billed per-method metrics for the health checks' calls");
            assertFalse(health.getAsJsonObject("settings").get("data_trace_enabled").getAsBoolean());
            Synth.assertDependsFirstOn(health, "aws_api_gateway_method_settings." + role + "_api_all_settings",
                    "one update at a time");
        }
        JsonObject info = variant.resource("aws_api_gateway_method_settings", "dr_api_all_settings").getAsJsonObject("settings");
        assertEquals("INFO", info.get("logging_level").getAsString());
        assertEquals(200, info.get("throttling_rate_limit").getAsInt());
        assertEquals(90, variant.resource("aws_cloudwatch_log_group", "dr_api_execution_log_group")
                .get("retention_in_days").getAsInt());
    }

    @Test
    void eachRegionSetsItsAccountCloudWatchRole() {
        assertEquals(2, synth.resources("aws_api_gateway_account").size());
        for (String role : ROLES) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            JsonObject account = synth.resource("aws_api_gateway_account", role + "_api_account");
            assertEquals("aws." + role, account.get("provider").getAsString());
            assertTrue(account.get("cloudwatch_role_arn").getAsString().startsWith("${aws_iam_role." + role + "_api_cloudwatch_role"));
            // destroy clears the account-wide setting instead of leaving it on the deleted role
            assertTrue(account.get("reset_on_delete").getAsBoolean());
            assertTrue(Synth.strings(account.getAsJsonArray("depends_on")).get(0)
                    .startsWith("aws_iam_role_policy." + role + "_api_cloudwatch_role_policy"),
                    "cleared while the role and its policy still exist");
            JsonObject iamRole = synth.resource("aws_iam_role", role + "_api_cloudwatch_role_");
            assertEquals("role-apigw-cloudwatch-" + role + "-dev", iamRole.get("name").getAsString());
            JsonObject trust = synth.policyDocument(iamRole.get("assume_role_policy").getAsString());
            assertEquals(List.of("apigateway.amazonaws.com"), AlertTopicTest.principals(
                    trust.getAsJsonArray("statement").get(0).getAsJsonObject()));
            JsonObject policy = synth.resource("aws_iam_role_policy", role + "_api_cloudwatch_role_policy");
            JsonObject statement = synth.policyDocument(policy.get("policy").getAsString())
                    .getAsJsonArray("statement").get(0).getAsJsonObject();
            assertEquals(List.of("arn:${data.aws_partition." + role + "_partition.partition}:logs:" + region + ":"
                    + "${data.aws_caller_identity." + role + "_caller_identity.account_id}:log-group:*"),
                    Synth.strings(statement.getAsJsonArray("resources")));
        }
    }

    @Test
    void oneUsagePlanWhoseQuotaLetsTheThrottlesRateRunAllDayWithEveryMerchantKey() {
        for (String role : ROLES) {
            JsonObject plan = synth.resource("aws_api_gateway_usage_plan", role + "_api_usage_plan");
            assertEquals("usage-plan-payments-dev", plan.get("name").getAsString());
            JsonObject stage = plan.getAsJsonArray("api_stages").get(0).getAsJsonObject();
            assertTrue(stage.get("stage").getAsString().startsWith("${aws_api_gateway_stage." + role + "_api_stage"));
            assertTrue(stage.get("api_id").getAsString().startsWith("${aws_api_gateway_rest_api." + role + "_api_rest_api"));
            int rate = plan.getAsJsonObject("throttle_settings").get("rate_limit").getAsInt();
            assertEquals(50, rate);
            assertEquals(100, plan.getAsJsonObject("throttle_settings").get("burst_limit").getAsInt());
            // API_QUOTA_PER_DAY=auto: a key sending at the throttle's rate around the clock stays within it
            int quota = plan.getAsJsonObject("quota_settings").get("limit").getAsInt();
            assertEquals(50 * 86_400, quota);
            assertTrue(quota >= rate * 86_400L);
            assertEquals("DAY", plan.getAsJsonObject("quota_settings").get("period").getAsString());
            // the default merchant's one key, attached under its own name
            JsonObject link = synth.resource("aws_api_gateway_usage_plan_key", role + "_api_usage_plan_key_smoke_test_1");
            assertEquals("API_KEY", link.get("key_type").getAsString());
            assertTrue(link.get("key_id").getAsString().startsWith("${aws_api_gateway_api_key." + role
                    + "_merchant_keys_smoke_test_1"), link.get("key_id").getAsString());
            assertTrue(link.get("usage_plan_id").getAsString().startsWith("${aws_api_gateway_usage_plan." + role + "_api_usage_plan"));
        }
        // an explicit quota is taken as given (a deliberate cap: the synth warns, DrConfig.warnings)
        assertTrue(Testing.toHaveResourceWithProperties(variant.text(), "aws_api_gateway_usage_plan", Map.of(
                "quota_settings", Map.of("limit", 5000, "period", "DAY"),
                "throttle_settings", Map.of("rate_limit", 200, "burst_limit", 400))));
    }

    @Test
    void outputsPerRegionNeverTheKeyValue() {
        assertTrue(synth.stack().primary().api().id().startsWith("${"), "a Terraform reference");
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String role : ROLES) {
            Map<String, String> expected = Map.of(
                    "api_invoke_url", "${aws_api_gateway_stage." + role + "_api_stage_[0-9A-F]{8}\\.invoke_url}",
                    "api_health_url", "${aws_api_gateway_stage." + role + "_api_stage_[0-9A-F]{8}\\.invoke_url}/health",
                    "api_id", "${aws_api_gateway_rest_api." + role + "_api_rest_api_[0-9A-F]{8}\\.id}",
                    "api_stage_name", "v1-dev");
            expected.forEach((name, pattern) -> {
                String value = outputs.getAsJsonObject(role + "_" + name).get("value").getAsString();
                assertTrue(value.matches(pattern.replace("${", "\\$\\{")), name + " = " + value);
            });
        }
        assertFalse(Pattern.compile("aws_api_gateway_api_key\\.[a-z_]+_[0-9A-F]{8}\\.value").matcher(synth.text()).find(),
                "the key's value is never referenced");
    }

    @Test
    void apiAndAlertResourcesReferenceOnlyTheirOwnRegionOrGlobalResources() {
        Pattern reference = Pattern.compile("\\$\\{(?:data\\.)?aws_[a-z0-9_]+\\.([a-z0-9_A-Z]+)");
        int checked = 0;
        for (Synth.Block block : synth.allBlocks()) {
            for (String role : ROLES) {
                if (!block.id().startsWith(role + "_api_") && !block.id().startsWith(role + "_alerts_")) {
                    continue;
                }
                assertEquals("aws." + role, block.provider(), block.id());
                String other = role.equals("primary") ? "dr_" : "primary_";
                Matcher m = reference.matcher(block.body().toString());
                while (m.find()) {
                    assertFalse(m.group(1).startsWith(other), block.id() + " references " + m.group());
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "checked " + checked + " references");
    }

    @Test
    void theIntegrationTimeoutStaysWithinApiGatewaysLimit() {
        assertEquals(29_000, PaymentApi.INTEGRATION_TIMEOUT_MS);
    }
}
