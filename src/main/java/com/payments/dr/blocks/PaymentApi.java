package com.payments.dr.blocks;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.api_gateway_account.ApiGatewayAccount;
import com.hashicorp.cdktf.providers.aws.api_gateway_deployment.ApiGatewayDeployment;
import com.hashicorp.cdktf.providers.aws.api_gateway_gateway_response.ApiGatewayGatewayResponse;
import com.hashicorp.cdktf.providers.aws.api_gateway_integration.ApiGatewayIntegration;
import com.hashicorp.cdktf.providers.aws.api_gateway_integration_response.ApiGatewayIntegrationResponse;
import com.hashicorp.cdktf.providers.aws.api_gateway_method.ApiGatewayMethod;
import com.hashicorp.cdktf.providers.aws.api_gateway_method_response.ApiGatewayMethodResponse;
import com.hashicorp.cdktf.providers.aws.api_gateway_method_settings.ApiGatewayMethodSettings;
import com.hashicorp.cdktf.providers.aws.api_gateway_method_settings.ApiGatewayMethodSettingsSettings;
import com.hashicorp.cdktf.providers.aws.api_gateway_model.ApiGatewayModel;
import com.hashicorp.cdktf.providers.aws.api_gateway_request_validator.ApiGatewayRequestValidator;
import com.hashicorp.cdktf.providers.aws.api_gateway_resource.ApiGatewayResource;
import com.hashicorp.cdktf.providers.aws.api_gateway_rest_api.ApiGatewayRestApi;
import com.hashicorp.cdktf.providers.aws.api_gateway_rest_api.ApiGatewayRestApiEndpointConfiguration;
import com.hashicorp.cdktf.providers.aws.api_gateway_stage.ApiGatewayStage;
import com.hashicorp.cdktf.providers.aws.api_gateway_stage.ApiGatewayStageAccessLogSettings;
import com.hashicorp.cdktf.providers.aws.xray_sampling_rule.XraySamplingRule;
import com.hashicorp.cdktf.providers.aws.api_gateway_usage_plan.ApiGatewayUsagePlan;
import com.hashicorp.cdktf.providers.aws.api_gateway_usage_plan.ApiGatewayUsagePlanApiStages;
import com.hashicorp.cdktf.providers.aws.api_gateway_usage_plan.ApiGatewayUsagePlanQuotaSettings;
import com.hashicorp.cdktf.providers.aws.api_gateway_usage_plan.ApiGatewayUsagePlanThrottleSettings;
import com.hashicorp.cdktf.providers.aws.api_gateway_usage_plan_key.ApiGatewayUsagePlanKey;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.payments.dr.config.ApiSettings;
import com.payments.dr.naming.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The payment REST API of one region (API Gateway v1, regional endpoint), identical in both
 * regions: {@code POST /payments} (API key, Idempotency-Key header, body validated against a model
 * that mirrors the function's rules) and {@code GET /health} (no key, for Route 53), both proxied to
 * the payment function's {@code live} alias; CORS preflights and CORS headers on API Gateway's own
 * errors; one stage with X-Ray, JSON access logs, execution logs, metrics and the stage's capacity
 * (all callers together); a usage plan (one tier: the same per-key throttle and daily quota for every
 * merchant key, within the stage's capacity) with the region's merchant keys ({@link MerchantApiKeys});
 * and, unless the account's owner sets it (API_GATEWAY_ACCOUNT=external), the region's account-level
 * CloudWatch role.
 *
 * <p>Browsers do not call {@code POST /payments}: an API key is a merchant's server-side secret (in a
 * web page anyone could read it and pay as that merchant). CORS serves the checkout page's origin
 * ({@code ALLOWED_ORIGIN}, one origin, no credentials) for what a page may do, read {@code /health}
 * and the API's error answers, and never lets a page send a key: no preflight allows the
 * {@code X-Api-Key} header.
 *
 * <p>The API's shape is described once ({@link #definition()}) and the resources are built from
 * that description, so the deployment's trigger (a hash of it) changes exactly when the shape does.
 */
public final class PaymentApi extends Construct {

    /** Below API Gateway's 29-second ceiling, stated so it never silently changes. */
    public static final int INTEGRATION_TIMEOUT_MS = 29_000;
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String MODEL_NAME = "PaymentRequest";
    /** Mirrors the function's validator (PaymentValidator): the gateway refuses first, the function still checks. */
    static final int MAX_DESCRIPTION_LENGTH = 255;
    static final String AMOUNT_PATTERN = "^[0-9]+(\\.[0-9]{1,2})?$";
    static final String MERCHANT_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
    static final String NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";
    /** What a page may send cross-origin: never {@code X-Api-Key} (the key is a server-side secret). */
    static final List<String> CORS_REQUEST_HEADERS = List.of("Content-Type", IDEMPOTENCY_HEADER);
    static final int CORS_MAX_AGE_SECONDS = 600;
    /** The unauthenticated health check gets its own, lower ceiling: Route 53 needs about 1.5 per second. */
    static final int HEALTH_RATE = 10;
    static final int HEALTH_BURST = 20;

    /** One proxied route: path, method, whether it needs the API key, required request parameters. */
    record Route(String path, String httpMethod, boolean apiKeyRequired, List<String> requiredHeaders,
                 boolean validateBody) {
    }

    static final List<Route> ROUTES = List.of(
            new Route("payments", "POST", true, List.of(IDEMPOTENCY_HEADER), true),
            new Route("health", "GET", false, List.of(), false));

    /** API Gateway's own error responses, with a body in the function's error format. */
    static final Map<String, String> GATEWAY_RESPONSES = gatewayResponses();

    /**
     * @param functionName the payment function (its resource policy gets the permissions)
     * @param aliasArn     the ARN of the alias API Gateway invokes, so SnapStart snapshots are used
     */
    /**
     * @param apiKeyIds the region's merchant keys by qualifier ({@link MerchantApiKeys}), all in the
     *                  usage plan; each attachment is named after its key, so adding or removing one
     *                  key never touches another's
     */
    public record Props(RegionContext region, String functionName, String aliasArn,
                        EncryptionKey logsKey, int logRetentionDays, ApiSettings settings,
                        String allowedOrigin, List<String> currencies, Map<String, String> apiKeyIds) {
    }

    /** Before X-Ray's default rule (priority 10000): /health is never sampled. */
    static final int HEALTH_SAMPLING_PRIORITY = 100;
    private final String stageArn;
    private final Props props;
    private final ApiGatewayRestApi api;
    private final String apiId;
    private final String stageName;
    /** The stage's name read from the stage, so what names it waits for the stage. */
    private final String deployedStageName;
    private final Memo<String> invokeUrl;

    public PaymentApi(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.API_GATEWAY);
        stageName = region.naming().name(ResourceType.API_STAGE);

        // what the stage and its method settings wait for: the account's CloudWatch role, where this
        // stack sets it (API_GATEWAY_ACCOUNT=managed); otherwise its owner set it before the deploy
        List<ITerraformDependable> loggingReady = props.settings().account() == ApiSettings.Account.MANAGED
                ? List.of(cloudWatchRole(region)) : List.of();

        api = ApiGatewayRestApi.Builder.create(this, "rest_api")
                .provider(region.provider())
                .name(name)
                .description("Payments API (" + region.role().label() + " region)")
                .endpointConfiguration(ApiGatewayRestApiEndpointConfiguration.builder()
                        .types(List.of("REGIONAL")).build())
                .apiKeySource("HEADER")
                .build();
        apiId = api.getId();
        List<ITerraformDependable> shape = new ArrayList<>();

        ApiGatewayModel model = ApiGatewayModel.Builder.create(this, "payment_model")
                .provider(region.provider())
                .restApiId(apiId)
                .name(MODEL_NAME)
                .description("POST /payments body, the payment function's rules")
                .contentType("application/json")
                .schema(paymentSchema(props.currencies()))
                .build();
        ApiGatewayRequestValidator validator = ApiGatewayRequestValidator.Builder.create(this, "validator")
                .provider(region.provider())
                .restApiId(apiId)
                .name("body-and-headers")
                .validateRequestBody(true)
                .validateRequestParameters(true)
                .build();
        shape.add(model);
        shape.add(validator);

        String invokeArn = "arn:" + region.partition() + ":apigateway:" + region.region()
                + ":lambda:path/2015-03-31/functions/" + props.aliasArn() + "/invocations";
        // the alias's name read from its ARN (…:function:<name>:<alias>), so each permission waits
        // for the alias to exist; a literal "live" would race the alias's creation
        String aliasName = Fn.element(Fn.split(":", props.aliasArn()), 7).toString();
        String rootResourceId = api.getRootResourceId();
        String executionArn = api.getExecutionArn();
        for (Route route : ROUTES) {
            ApiGatewayResource resource = ApiGatewayResource.Builder.create(this, route.path() + "_resource")
                    .provider(region.provider())
                    .restApiId(apiId)
                    .parentId(rootResourceId)
                    .pathPart(route.path())
                    .build();
            String resourceId = resource.getId();
            Map<String, Boolean> parameters = new TreeMap<>();
            route.requiredHeaders().forEach(h -> parameters.put("method.request.header." + h, true));
            ApiGatewayMethod.Builder method = ApiGatewayMethod.Builder.create(this, route.path() + "_method")
                    .provider(region.provider())
                    .restApiId(apiId)
                    .resourceId(resourceId)
                    .httpMethod(route.httpMethod())
                    .authorization("NONE")
                    .apiKeyRequired(route.apiKeyRequired());
            if (!parameters.isEmpty() || route.validateBody()) {
                method.requestParameters(parameters).requestValidatorId(validator.getId());
            }
            if (route.validateBody()) {
                method.requestModels(Map.of("application/json", model.getName()));
            }
            ApiGatewayMethod built = method.build();
            ApiGatewayIntegration integration = ApiGatewayIntegration.Builder.create(this, route.path() + "_integration")
                    .provider(region.provider())
                    .restApiId(apiId)
                    .resourceId(resourceId)
                    .httpMethod(built.getHttpMethod())
                    .type("AWS_PROXY")
                    .integrationHttpMethod("POST")
                    .uri(invokeArn)
                    .timeoutMilliseconds(INTEGRATION_TIMEOUT_MS)
                    .build();
            LambdaPermission.Builder.create(this, route.path() + "_permission")
                    .provider(region.provider())
                    .statementId("AllowApiGateway" + route.httpMethod() + capitalized(route.path()))
                    .action("lambda:InvokeFunction")
                    .functionName(props.functionName())
                    .qualifier(aliasName)
                    .principal("apigateway.amazonaws.com")
                    .sourceArn(executionArn + "/" + stageName + "/" + route.httpMethod() + "/" + route.path())
                    .build();
            shape.addAll(List.of(resource, built, integration));
            shape.addAll(preflight(region, resourceId, route.path(), List.of(route.httpMethod(), "OPTIONS")));
        }
        GATEWAY_RESPONSES.forEach((type, template) -> shape.add(ApiGatewayGatewayResponse.Builder.create(this,
                        "response_" + type.toLowerCase(java.util.Locale.ROOT))
                .provider(region.provider())
                .restApiId(apiId)
                .responseType(type)
                .responseParameters(responseHeaders(type, props.allowedOrigin()))
                .responseTemplates(Map.of("application/json", template))
                .build()));

        Map<String, String> triggers = new TreeMap<>();
        triggers.put("definition", definitionHash());
        // an in-place change of the alias (another function) needs a new deployment too
        triggers.put("integration", props.aliasArn());
        ApiGatewayDeployment deployment = ApiGatewayDeployment.Builder.create(this, "deployment")
                .provider(region.provider())
                .restApiId(apiId)
                .description("Deployment of the payments API definition " + triggers.get("definition").substring(0, 12))
                .triggers(triggers)
                .lifecycle(TerraformResourceLifecycle.builder().createBeforeDestroy(true).build())
                .dependsOn(shape)
                .build();

        CloudwatchLogGroup accessLogs = CloudwatchLogGroup.Builder.create(this, "access_log_group")
                .provider(region.provider())
                .name("/aws/apigateway/" + name + "/access")
                // the audit trail of every call: a year in production (PCI DSS 10.5.1)
                .retentionInDays(region.protection().auditRetentionDays(props.logRetentionDays()))
                .kmsKeyId(props.logsKey().arn())
                .skipDestroy(region.retainLogs())
                .build();
        // API Gateway writes execution logs to a group of this fixed name, creating it (unencrypted,
        // kept forever, outside the stack) unless it exists before the stage logs anything
        CloudwatchLogGroup executionLogs = CloudwatchLogGroup.Builder.create(this, "execution_log_group")
                .provider(region.provider())
                .name("API-Gateway-Execution-Logs_" + apiId + "/" + stageName)
                .retentionInDays(props.logRetentionDays())
                .kmsKeyId(props.logsKey().arn())
                .skipDestroy(region.retainLogs())
                .build();
        ApiGatewayStage stage = ApiGatewayStage.Builder.create(this, "stage")
                .provider(region.provider())
                .restApiId(apiId)
                .stageName(stageName)
                .deploymentId(deployment.getId())
                .description("The payments API")
                .xrayTracingEnabled(true)
                .accessLogSettings(ApiGatewayStageAccessLogSettings.builder()
                        .destinationArn(accessLogs.getArn())
                        .format(ACCESS_LOG_FORMAT)
                        .build())
                .dependsOn(concat(loggingReady, List.of(executionLogs)))
                .build();
        deployedStageName = stage.getStageName();
        stageArn = stage.getArn();
        // X-Ray samples the stage's requests by the account's sampling rules: this one keeps /health
        // (Route 53's checkers and the DR probe, every few seconds) out of the traces, where it
        // would cost more than all the payments at idle and show nothing a payment trace does not
        XraySamplingRule.Builder.create(this, "health_sampling")
                .provider(region.provider())
                .ruleName(region.naming().name(ResourceType.XRAY_SAMPLING_RULE))
                .priority(HEALTH_SAMPLING_PRIORITY)
                .version(1)
                .reservoirSize(0)
                .fixedRate(0)
                .serviceName(name + "/*")
                .serviceType("AWS::ApiGateway::Stage")
                .host("*")
                .httpMethod("GET")
                .urlPath("*/health")
                .resourceArn("*")
                .build();
        invokeUrl = Memo.of(stage::getInvokeUrl);
        // the stage's capacity: every caller of a method together (API Gateway applies it per method)
        ApiGatewayMethodSettings all = methodSettings(region, "all_settings", "*/*", true,
                props.settings().stageThrottleRate(), props.settings().stageThrottleBurst(), loggingReady);
        // settings of one stage are updated one at a time: concurrent updates conflict. No detailed
        // (per-method) metrics for /health: Route 53 calls it around the clock, so its 7 custom
        // metrics would be billed every month ($2.10 per region) for what the health checks show
        methodSettings(region, "health_settings", "health/GET", false, HEALTH_RATE, HEALTH_BURST, List.of(all));

        // One plan, one tier: every merchant key gets the throttle and the quota on its own (API
        // Gateway applies a plan's limits per key), each at most the stage's capacity (ApiSettings),
        // so one merchant at its full rate leaves the rest of the stage to the others.
        ApiGatewayUsagePlan plan = ApiGatewayUsagePlan.Builder.create(this, "usage_plan")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.USAGE_PLAN))
                .description("Per merchant key: throttle and daily quota for POST /payments")
                .apiStages(List.of(ApiGatewayUsagePlanApiStages.builder()
                        .apiId(apiId).stage(deployedStageName).build()))
                .throttleSettings(ApiGatewayUsagePlanThrottleSettings.builder()
                        .rateLimit(props.settings().merchantThrottleRate())
                        .burstLimit(props.settings().merchantThrottleBurst())
                        .build())
                .quotaSettings(ApiGatewayUsagePlanQuotaSettings.builder()
                        .limit(props.settings().quotaPerDay()).period("DAY").build())
                .build();
        String planId = plan.getId();
        props.apiKeyIds().forEach((qualifier, keyId) -> ApiGatewayUsagePlanKey.Builder.create(this,
                        "usage_plan_key_" + qualifier.replace('-', '_'))
                .provider(region.provider())
                .keyId(keyId)
                .keyType("API_KEY")
                .usagePlanId(planId)
                .build());
    }

    /** JSON access log lines; never the API key itself, only its id. */
    static final String ACCESS_LOG_FORMAT = accessLogFormat();

    private static String accessLogFormat() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestId", "$context.requestId");
        fields.put("requestTime", "$context.requestTime");
        fields.put("ip", "$context.identity.sourceIp");
        fields.put("httpMethod", "$context.httpMethod");
        fields.put("path", "$context.path");
        fields.put("resourcePath", "$context.resourcePath");
        fields.put("status", "$context.status");
        fields.put("responseLatency", "$context.responseLatency");
        fields.put("integrationLatency", "$context.integrationLatency");
        fields.put("integrationStatus", "$context.integration.status");
        fields.put("apiKeyId", "$context.identity.apiKeyId");
        fields.put("integrationError", "$context.integration.error");
        fields.put("errorMessage", "$context.error.message");
        fields.put("xrayTraceId", "$context.xrayTraceId");
        return new Gson().toJson(fields);
    }

    private ApiGatewayAccount cloudWatchRole(RegionContext region) {
        // The role serves every REST API of the account in this region (the setting is account-wide),
        // so it may write to any log group of the region, as AWS's managed policy for it does.
        // No aws:SourceAccount guard in its trust: AWS documents this role's trust without one, and
        // API Gateway is not documented to send the key when it assumes the role; a condition it
        // never satisfies would fail `aws_api_gateway_account` and, with it, every stage's logging.
        Iam.ServiceRole role = Iam.serviceRole(this, "cloudwatch_role", region, "apigw-cloudwatch",
                "apigateway.amazonaws.com", false, List.of(Iam.allow("PushApiLogs", List.of(
                        "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups",
                        "logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents", "logs:PutLogEvents"),
                        List.of(region.arn("logs", "log-group:*")))));
        ApiGatewayAccount account = ApiGatewayAccount.Builder.create(this, "account")
                .provider(region.provider())
                .cloudwatchRoleArn(role.arn())
                // API Gateway checks the role's permissions when the setting is made
                .dependsOn(List.of(role.policy()))
                .build();
        // destroy clears the setting (while the role still exists: the account depends on it)
        // instead of leaving it naming a deleted role; provider 5.x forgets it unless told so,
        // 6.x always clears it. The 5.23 bindings predate the argument.
        account.addOverride("reset_on_delete", true);
        return account;
    }

    private static List<ITerraformDependable> concat(List<ITerraformDependable> first,
                                                     List<ITerraformDependable> second) {
        List<ITerraformDependable> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private ApiGatewayMethodSettings methodSettings(RegionContext region, String id, String path,
                                                    boolean detailedMetrics, int rate, int burst,
                                                    List<ITerraformDependable> after) {
        return ApiGatewayMethodSettings.Builder.create(this, id)
                .provider(region.provider())
                .restApiId(apiId)
                .stageName(deployedStageName)
                .methodPath(path)
                .settings(ApiGatewayMethodSettingsSettings.builder()
                        .metricsEnabled(detailedMetrics)
                        .loggingLevel(props.settings().logLevel())
                        // the full data trace would log card payloads and API keys
                        .dataTraceEnabled(false)
                        .throttlingRateLimit(rate)
                        .throttlingBurstLimit(burst)
                        .build())
                .dependsOn(after)
                .build();
    }

    /** OPTIONS with a mock integration answering the browser's preflight for {@code methods}. */
    private List<ITerraformDependable> preflight(RegionContext region, String resourceId, String path,
                                                 List<String> methods) {
        ApiGatewayMethod options = ApiGatewayMethod.Builder.create(this, path + "_options")
                .provider(region.provider())
                .restApiId(apiId)
                .resourceId(resourceId)
                .httpMethod("OPTIONS")
                .authorization("NONE")
                .apiKeyRequired(false)
                .build();
        String optionsMethod = options.getHttpMethod();
        ApiGatewayIntegration mock = ApiGatewayIntegration.Builder.create(this, path + "_options_integration")
                .provider(region.provider())
                .restApiId(apiId)
                .resourceId(resourceId)
                .httpMethod(optionsMethod)
                .type("MOCK")
                .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}"))
                .build();
        Map<String, String> headers = corsHeaders(methods, props.allowedOrigin());
        Map<String, Boolean> declared = new TreeMap<>();
        headers.keySet().forEach(h -> declared.put(h, true));
        ApiGatewayMethodResponse response = ApiGatewayMethodResponse.Builder.create(this, path + "_options_response")
                .provider(region.provider())
                .restApiId(apiId)
                .resourceId(resourceId)
                .httpMethod(optionsMethod)
                .statusCode("200")
                .responseParameters(declared)
                .build();
        ApiGatewayIntegrationResponse integrationResponse = ApiGatewayIntegrationResponse.Builder.create(this,
                        path + "_options_integration_response")
                .provider(region.provider())
                .restApiId(apiId)
                .resourceId(resourceId)
                .httpMethod(optionsMethod)
                .statusCode(response.getStatusCode())
                .responseParameters(headers)
                // the integration must exist before its response can be put
                .dependsOn(List.of(mock))
                .build();
        return List.of(options, mock, response, integrationResponse);
    }

    static Map<String, String> corsHeaders(List<String> methods, String origin) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("method.response.header.Access-Control-Allow-Headers", quoted(String.join(",", CORS_REQUEST_HEADERS)));
        headers.put("method.response.header.Access-Control-Allow-Methods", quoted(String.join(",", methods)));
        headers.put("method.response.header.Access-Control-Allow-Origin", quoted(origin));
        headers.put("method.response.header.Access-Control-Max-Age", quoted(Integer.toString(CORS_MAX_AGE_SECONDS)));
        headers.put("method.response.header.Vary", quoted("Origin"));
        return headers;
    }

    /** The request model: JSON Schema draft 4, as API Gateway validates it. */
    static String paymentSchema(List<String> currencies) {
        JsonObject schema = new JsonObject();
        schema.addProperty("$schema", "http://json-schema.org/draft-04/schema#");
        schema.addProperty("title", MODEL_NAME);
        schema.addProperty("type", "object");
        JsonArray required = new JsonArray();
        // merchant_id is optional: the merchant is the API key's; a body may name it, and must name it right
        List.of("amount", "currency").forEach(required::add);
        schema.add("required", required);
        schema.addProperty("additionalProperties", false);
        JsonObject properties = new JsonObject();
        JsonObject amount = new JsonObject();
        // the function takes a JSON number too; the pattern (which applies to strings only) holds
        // the documented form, and the function checks numbers, zero and the maximum
        amount.add("type", types("string", "number"));
        amount.addProperty("pattern", AMOUNT_PATTERN);
        properties.add("amount", amount);
        JsonObject currency = new JsonObject();
        currency.addProperty("type", "string");
        JsonArray allowed = new JsonArray();
        currencies.forEach(allowed::add);
        currency.add("enum", allowed);
        properties.add("currency", currency);
        JsonObject merchant = new JsonObject();
        merchant.addProperty("type", "string");
        merchant.addProperty("pattern", MERCHANT_ID_PATTERN);
        properties.add("merchant_id", merchant);
        JsonObject description = new JsonObject();
        description.add("type", types("string", "null"));
        description.addProperty("maxLength", MAX_DESCRIPTION_LENGTH);
        description.addProperty("pattern", NO_CONTROL_CHARACTERS);
        properties.add("description", description);
        schema.add("properties", properties);
        return new Gson().toJson(schema);
    }

    private static JsonArray types(String... names) {
        JsonArray types = new JsonArray();
        for (String name : names) {
            types.add(name);
        }
        return types;
    }

    /** A throttled client is told when to come back: API Gateway's token bucket refills every second. */
    static final int THROTTLED_RETRY_AFTER_SECONDS = 1;

    private static Map<String, String> responseHeaders(String type, String allowedOrigin) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("gatewayresponse.header.Access-Control-Allow-Origin", quoted(allowedOrigin));
        headers.put("gatewayresponse.header.Vary", quoted("Origin"));
        if (type.equals("THROTTLED")) {
            headers.put("gatewayresponse.header.Retry-After", quoted(Integer.toString(THROTTLED_RETRY_AFTER_SECONDS)));
        }
        return headers;
    }

    private static Map<String, String> gatewayResponses() {
        Map<String, String> responses = new TreeMap<>();
        String message = "\"message\": $context.error.messageString";
        responses.put("DEFAULT_4XX", "{\"error\": \"request_rejected\", " + message + "}");
        responses.put("DEFAULT_5XX", "{\"error\": \"gateway_error\", " + message + "}");
        responses.put("MISSING_AUTHENTICATION_TOKEN", "{\"error\": \"not_found\", " + message + "}");
        responses.put("INVALID_API_KEY", "{\"error\": \"invalid_api_key\", " + message + "}");
        responses.put("THROTTLED", "{\"error\": \"throttled\", " + message + "}");
        responses.put("QUOTA_EXCEEDED", "{\"error\": \"quota_exceeded\", " + message + "}");
        responses.put("BAD_REQUEST_BODY",
                "{\"error\": \"invalid_request\", \"field\": \"body\", \"rule\": $context.error.messageString}");
        responses.put("BAD_REQUEST_PARAMETERS", "{\"error\": \"invalid_request\", \"field\": \"" + IDEMPOTENCY_HEADER
                + "\", \"rule\": $context.error.messageString}");
        responses.put("INTEGRATION_TIMEOUT", "{\"error\": \"timeout\", " + message + "}");
        return responses;
    }

    /** Everything that makes up the API's shape, as one JSON document. */
    String definition() {
        Gson gson = new Gson();
        JsonObject definition = new JsonObject();
        definition.add("routes", gson.toJsonTree(ROUTES));
        definition.addProperty("model", paymentSchema(props.currencies()));
        definition.add("gatewayResponses", gson.toJsonTree(GATEWAY_RESPONSES));
        definition.add("cors", gson.toJsonTree(corsHeaders(List.of(), props.allowedOrigin())));
        definition.addProperty("integrationTimeoutMs", INTEGRATION_TIMEOUT_MS);
        return gson.toJson(definition);
    }

    String definitionHash() {
        return digest("SHA-256", definition());
    }

    static String digest(String algorithm, String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no " + algorithm + " in this JVM", e);
        }
    }

    private static String quoted(String value) {
        return "'" + value + "'";
    }

    private static String capitalized(String path) {
        return Character.toUpperCase(path.charAt(0)) + path.substring(1);
    }

    /** The stage's ARN (what a web ACL is associated with). */
    public String stageArn() {
        return stageArn;
    }

    public String id() {
        return apiId;
    }

    /** The REST API's name (API Gateway's metrics name it, not its id). */
    public String name() {
        return api.getName();
    }

    public String stageName() {
        return stageName;
    }

    /** {@code https://<id>.execute-api.<region>.amazonaws.com/<stage>} */
    public String invokeUrl() {
        return invokeUrl.get();
    }

    public String healthUrl() {
        return invokeUrl.get() + "/health";
    }

    /** The stage's name read from the stage: whatever names it (a base-path mapping) waits for the stage. */
    public String deployedStageName() {
        return deployedStageName;
    }
}
