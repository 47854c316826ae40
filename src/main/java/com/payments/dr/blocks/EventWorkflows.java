package com.payments.dr.blocks;

import com.google.gson.Gson;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_bus.CloudwatchEventBus;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRule;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTarget;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetDeadLetterConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetRetryPolicy;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfigDestinationConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfigDestinationConfigOnFailure;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipe;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeSourceParameters;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeSourceParametersDynamodbStreamParameters;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeSourceParametersDynamodbStreamParametersDeadLetterConfig;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeSourceParametersFilterCriteria;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeSourceParametersFilterCriteriaFilter;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeTargetParameters;
import com.hashicorp.cdktf.providers.aws.pipes_pipe.PipesPipeTargetParametersEventbridgeEventBusParameters;
import com.hashicorp.cdktf.providers.aws.sqs_queue.SqsQueue;
import com.hashicorp.cdktf.providers.aws.sqs_queue_policy.SqsQueuePolicy;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * The region's two event-driven workflows.
 *
 * <p><b>Payments.</b> A pipe reads the state table's stream in this region (the replica's stream in
 * the DR region) and puts one {@code payment.completed} event per committed payment on the custom
 * bus {@code bus-payments-<suffix>}; a rule sends it to the receipt function, which writes the
 * receipt to the region's bucket. The pipe's filter relies on the idempotency item the payment
 * function writes: {@code pk} starting {@code IDEMPOTENCY#}, {@code status} going from
 * {@code IN_PROGRESS} to {@code COMPLETED} with {@code response_status} 201 (a MODIFY record), and
 * {@code region} naming the region that served the request: the other region's stream carries the
 * replicated copy of the same change, whose {@code region} is not its own, so exactly one region
 * emits each payment.
 *
 * <p><b>Operations.</b> Rules on the default bus for this region's Aurora cluster and global
 * database (failover, global failover/switchover, failure), its instances (availability, failure)
 * and AWS Health issues of the services the stack uses send the events to the ops notifier, which
 * publishes a readable message to the region's alert topic.
 *
 * <p>Every rule target retries and has an SQS dead-letter queue (delivery failures); both functions
 * retry failed invocations twice and then send the event to the same queue (on-failure
 * destination), so nothing is dropped silently. The functions run outside the VPC: S3, SNS and RDS
 * are then reached without NAT or interface endpoints ($7.30 per zone-month each).
 */
public final class EventWorkflows extends Construct {

    public static final String RECEIPT_HANDLER = "com.payments.dr.events.ReceiptHandler::handleRequest";
    public static final String OPS_HANDLER = "com.payments.dr.events.OpsNotifier::handleRequest";
    public static final String PAYMENT_EVENT_SOURCE = "payments.dr";
    public static final String PAYMENT_COMPLETED = "payment.completed";
    static final int MEMORY_MB = 512;
    public static final int TIMEOUT_SECONDS = 30;
    /** Asynchronous invocations: two retries, then the on-failure destination. */
    static final int FUNCTION_RETRIES = 2;
    static final int MAX_EVENT_AGE_SECONDS = 3600;
    /** EventBridge delivery to a target: retries with back-off within the event age. */
    static final int TARGET_RETRIES = 8;
    static final int PIPE_RETRIES = 10;
    /** SQS's longest retention: an operator has two weeks to look at a dead letter. */
    static final int DLQ_RETENTION_SECONDS = 1_209_600;
    /** The AWS Health services whose issues can affect the payment path. */
    static final List<String> HEALTH_SERVICES = List.of("APIGATEWAY", "DYNAMODB", "EVENTS", "LAMBDA", "RDS", "S3", "SNS");

    /**
     * @param streamArn       the state table's stream in this region (the replica's in the DR region)
     * @param globalClusterId the Aurora global cluster's identifier
     * @param clusterId       this region's Aurora cluster identifier
     */
    public record Props(RegionContext region, FunctionPackage code, EncryptionKey logsKey, EncryptionKey dataKey,
                        int logRetentionDays,
                        String streamArn, String bucketName, String bucketArn, AlertTopic alerts,
                        String globalClusterId, String clusterId) {
    }

    /**
     * A dead-letter queue with the ARN and URL its policy, the rules and the functions use, each
     * read from jsii once (docs/performance.md).
     */
    private record DeadLetterQueue(SqsQueue queue, String arn, String url) {
    }

    /** A workflow's function by the name and ARN its rules and the stack use, each read once. */
    private record WorkflowFunction(String name, String arn) {
    }

    private final Props props;
    private final String busName;
    private final String busArn;
    private final WorkflowFunction receipt;
    private final WorkflowFunction notifier;
    private final DeadLetterQueue paymentDlq;
    private final DeadLetterQueue opsDlq;
    private final PipesPipe pipe;

    /**
     * Receipts at once: a throttled asynchronous event waits in Lambda's queue and is retried, so the
     * cap only paces receipts (100 ms each: 100 a second) and keeps a burst from taking the account's
     * concurrency from the payment function.
     */
    public static final int RECEIPT_CONCURRENCY = 10;
    /** Operations events come one failover at a time. */
    public static final int OPS_NOTIFIER_CONCURRENCY = 2;

    public EventWorkflows(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        RegionContext region = props.region();
        CloudwatchEventBus bus = CloudwatchEventBus.Builder.create(this, "bus")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.EVENT_BUS))
                .build();
        busName = bus.getName();
        busArn = bus.getArn();
        paymentDlq = deadLetterQueue("payment_dlq", "payment-events-dlq");
        opsDlq = deadLetterQueue("ops_dlq", "ops-events-dlq");

        receipt = function("receipt", "receipt", RECEIPT_HANDLER, "Writes payment receipts to the region's bucket",
                Map.of("RECEIPT_BUCKET", props.bucketName()), paymentDlq, List.of(
                        Iam.allow("WriteReceipts", List.of("s3:PutObject"), List.of(props.bucketArn() + "/receipts/*"))),
                RECEIPT_CONCURRENCY);
        List<PolicyStatement> notifierPermissions = new ArrayList<>(props.alerts().publishStatements(""));
        notifierPermissions.add(Iam.allow("FindTheWriter", List.of("rds:DescribeGlobalClusters"),
                List.of("arn:" + region.partition() + ":rds::" + region.accountId() + ":global-cluster:"
                        + props.globalClusterId())));
        Map<String, String> notifierEnvironment = new LinkedHashMap<>();
        notifierEnvironment.put("ALERTS_TOPIC_ARN", props.alerts().arn());
        notifierEnvironment.put("GLOBAL_CLUSTER_ID", props.globalClusterId());
        notifier = function("ops_notifier", "ops-notifier", OPS_HANDLER, "Turns operations events into alert messages",
                notifierEnvironment, opsDlq, notifierPermissions, OPS_NOTIFIER_CONCURRENCY);

        pipe = paymentPipe(region);

        List<String> paymentRules = new ArrayList<>();
        paymentRules.add(rule("payment_completed", "payment-completed", busName,
                "A committed payment: write its receipt", paymentCompletedPattern(), receipt, paymentDlq));
        List<String> opsRules = new ArrayList<>();
        opsRules.add(rule("aurora_cluster", "aurora-cluster", null,
                "Failover, global failover/switchover and failures of this region's Aurora cluster",
                auroraClusterPattern(props.clusterId(), props.globalClusterId()), notifier, opsDlq));
        opsRules.add(rule("aurora_instance", "aurora-instance", null,
                "This region's Aurora instances becoming unavailable or failing",
                auroraInstancePattern(region.naming().name(ResourceType.RDS_INSTANCE, "*")), notifier, opsDlq));
        opsRules.add(rule("aws_health", "aws-health", null,
                "AWS Health issues of the services the payment path uses", healthPattern(), notifier, opsDlq));
        queuePolicy("payment_dlq_policy", paymentDlq, paymentRules);
        queuePolicy("ops_dlq_policy", opsDlq, opsRules);
    }

    private DeadLetterQueue deadLetterQueue(String id, String qualifier) {
        SqsQueue queue = SqsQueue.Builder.create(this, id)
                .provider(props.region().provider())
                .name(props.region().naming().name(ResourceType.SQS_QUEUE, qualifier))
                .sqsManagedSseEnabled(true)
                .messageRetentionSeconds(DLQ_RETENTION_SECONDS)
                .build();
        return new DeadLetterQueue(queue, queue.getArn(), queue.getUrl());
    }

    /** Only this region's rules may deliver dead letters; nothing without TLS. */
    private void queuePolicy(String id, DeadLetterQueue queue, List<String> ruleArns) {
        RegionContext region = props.region();
        SqsQueuePolicy.Builder.create(this, id)
                .provider(region.provider())
                .queueUrl(queue.url())
                .policy(Iam.policy(List.of(
                        Iam.statement("DeadLettersFromTheseRules", List.of("sqs:SendMessage"))
                                .principals(List.of(Iam.service("events.amazonaws.com")))
                                .resources(List.of(queue.arn()))
                                .condition(List.of(Iam.condition("ArnEquals", "aws:SourceArn", ruleArns)))
                                .build(),
                        Iam.denyInsecureTransport("sqs", List.of(queue.arn())))))
                .build();
    }

    private WorkflowFunction function(String id, String qualifier, String handler, String description,
                                      Map<String, String> environment, DeadLetterQueue dlq,
                                      List<PolicyStatement> permissions, int reservedConcurrency) {
        RegionContext region = props.region();
        List<PolicyStatement> statements = new ArrayList<>();
        // Lambda sends events that failed every retry to the on-failure destination as the function
        statements.add(Iam.allow("DeadLetters", List.of("sqs:SendMessage"), List.of(dlq.arn())));
        statements.add(JavaFunction.decryptEnvironment(region, props.dataKey()));
        statements.addAll(permissions);
        LambdaFunction function = new JavaFunction(this, new JavaFunction.Props(region, JavaFunction.Ids.prefixed(id),
                region.naming().name(ResourceType.EVENT_FUNCTION, qualifier), qualifier + "-fn",
                description + " (" + region.role().label() + " region)", handler, MEMORY_MB, TIMEOUT_SECONDS,
                props.code(), props.logsKey(), props.dataKey(), props.logRetentionDays(), environment, statements,
                // outside the VPC (see the class comment): S3, SNS and RDS need no NAT or endpoints
                Optional.empty(), false, reservedConcurrency)).function();
        WorkflowFunction workflowFunction = new WorkflowFunction(function.getFunctionName(), function.getArn());
        LambdaFunctionEventInvokeConfig.Builder.create(this, id + "_async")
                .provider(region.provider())
                .functionName(workflowFunction.name())
                .maximumRetryAttempts(FUNCTION_RETRIES)
                .maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS)
                .destinationConfig(LambdaFunctionEventInvokeConfigDestinationConfig.builder()
                        .onFailure(LambdaFunctionEventInvokeConfigDestinationConfigOnFailure.builder()
                                .destination(dlq.arn()).build())
                        .build())
                .build();
        return workflowFunction;
    }

    private PipesPipe paymentPipe(RegionContext region) {
        Iam.ServiceRole role = Iam.serviceRole(this, "pipe_role", region, "payments-pipe", "pipes.amazonaws.com", List.of(
                Iam.allow("ReadTheStream", List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator"), List.of(props.streamArn())),
                // ListStreams takes no resource: AWS cannot scope it
                Iam.allow("FindTheStream", List.of("dynamodb:ListStreams"), List.of("*")),
                Iam.allow("PutPaymentEvents", List.of("events:PutEvents"), List.of(busArn)),
                Iam.allow("DeadLetters", List.of("sqs:SendMessage"), List.of(paymentDlq.arn()))));
        return PipesPipe.Builder.create(this, "pipe")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.PIPE))
                .description("One payment.completed event per payment served in this region")
                .roleArn(role.arn())
                .source(props.streamArn())
                .target(busArn)
                .desiredState("RUNNING")
                .sourceParameters(PipesPipeSourceParameters.builder()
                        .dynamodbStreamParameters(PipesPipeSourceParametersDynamodbStreamParameters.builder()
                                .startingPosition("LATEST")
                                .batchSize(1)
                                .maximumRetryAttempts(PIPE_RETRIES)
                                .maximumRecordAgeInSeconds(MAX_EVENT_AGE_SECONDS)
                                .deadLetterConfig(PipesPipeSourceParametersDynamodbStreamParametersDeadLetterConfig.builder()
                                        .arn(paymentDlq.arn()).build())
                                .build())
                        .filterCriteria(PipesPipeSourceParametersFilterCriteria.builder()
                                .filter(List.of(PipesPipeSourceParametersFilterCriteriaFilter.builder()
                                        .pattern(streamFilter(region.region())).build()))
                                .build())
                        .build())
                .targetParameters(PipesPipeTargetParameters.builder()
                        .eventbridgeEventBusParameters(PipesPipeTargetParametersEventbridgeEventBusParameters.builder()
                                .source(PAYMENT_EVENT_SOURCE)
                                .detailType(PAYMENT_COMPLETED)
                                .build())
                        .build())
                .dependsOn(List.of(role.policy()))
                .build();
    }

    /**
     * Stream records of a payment this region served, at the moment it completed. A contract with
     * the payment function's idempotency records (PaymentEventContractTest runs it against them).
     */
    public static String streamFilter(String regionName) {
        return json(Map.of(
                "eventName", List.of("MODIFY"),
                "dynamodb", Map.of(
                        "Keys", Map.of("pk", Map.of("S", List.of(Map.of("prefix", "IDEMPOTENCY#")))),
                        "NewImage", Map.of(
                                "status", Map.of("S", List.of("COMPLETED")),
                                "response_status", Map.of("N", List.of("201")),
                                "region", Map.of("S", List.of(regionName))),
                        "OldImage", Map.of("status", Map.of("S", List.of("IN_PROGRESS"))))));
    }

    public static String paymentCompletedPattern() {
        return json(Map.of(
                "source", List.of(PAYMENT_EVENT_SOURCE),
                "detail-type", List.of(PAYMENT_COMPLETED),
                "detail", Map.of("eventName", List.of("MODIFY"),
                        "dynamodb", Map.of("NewImage", Map.of("status", Map.of("S", List.of("COMPLETED")))))));
    }

    static String auroraClusterPattern(String clusterId, String globalClusterId) {
        return json(Map.of(
                "source", List.of("aws.rds"),
                "detail-type", List.of("RDS DB Cluster Event"),
                "detail", Map.of("EventCategories", List.of("failover", "failure", "global-failover"),
                        "SourceIdentifier", List.of(clusterId, globalClusterId))));
    }

    static String auroraInstancePattern(String instanceWildcard) {
        return json(Map.of(
                "source", List.of("aws.rds"),
                "detail-type", List.of("RDS DB Instance Event"),
                "detail", Map.of("EventCategories", List.of("availability", "failure"),
                        "SourceIdentifier", List.of(Map.of("wildcard", instanceWildcard)))));
    }

    static String healthPattern() {
        return json(Map.of(
                "source", List.of("aws.health"),
                "detail-type", List.of("AWS Health Event"),
                "detail", Map.of("service", HEALTH_SERVICES, "eventTypeCategory", List.of("issue"))));
    }

    /** Keys sorted at every level, so the synthesized pattern is the same on every run. */
    private static String json(Map<String, Object> pattern) {
        return new Gson().toJson(sorted(pattern));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.TreeMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), sorted(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(EventWorkflows::sorted).toList();
        }
        return value;
    }

    /** A rule on {@code busName} (null: the default bus) with one Lambda target, retries and the DLQ. */
    private String rule(String id, String qualifier, String busName, String description, String pattern,
                        WorkflowFunction target, DeadLetterQueue dlq) {
        RegionContext region = props.region();
        CloudwatchEventRule.Builder builder = CloudwatchEventRule.Builder.create(this, id + "_rule")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.EVENT_RULE, qualifier))
                .description(description)
                .eventPattern(pattern);
        if (busName != null) {
            builder.eventBusName(busName);
        }
        CloudwatchEventRule rule = builder.build();
        String ruleArn = rule.getArn();
        CloudwatchEventTarget.Builder targetBuilder = CloudwatchEventTarget.Builder.create(this, id + "_target")
                .provider(region.provider())
                .rule(rule.getName())
                .arn(target.arn())
                .retryPolicy(CloudwatchEventTargetRetryPolicy.builder()
                        .maximumRetryAttempts(TARGET_RETRIES)
                        .maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS)
                        .build())
                .deadLetterConfig(CloudwatchEventTargetDeadLetterConfig.builder().arn(dlq.arn()).build());
        if (busName != null) {
            targetBuilder.eventBusName(busName);
        }
        targetBuilder.build();
        LambdaPermission.Builder.create(this, id + "_permission")
                .provider(region.provider())
                .statementId("AllowEventBridgeRule-" + qualifier)
                .action("lambda:InvokeFunction")
                .functionName(target.name())
                .principal("events.amazonaws.com")
                .sourceArn(ruleArn)
                .build();
        return ruleArn;
    }

    public String busName() {
        return busName;
    }

    public String pipeName() {
        return pipe.getName();
    }

    public String receiptFunctionName() {
        return receipt.name();
    }

    public String opsNotifierFunctionName() {
        return notifier.name();
    }

    public String receiptFunctionArn() {
        return receipt.arn();
    }

    public String opsNotifierFunctionArn() {
        return notifier.arn();
    }

    public String paymentDlqUrl() {
        return paymentDlq.url();
    }

    public String opsDlqUrl() {
        return opsDlq.url();
    }

    public String paymentDlqName() {
        return paymentDlq.queue().getName();
    }

    public String opsDlqName() {
        return opsDlq.queue().getName();
    }
}
