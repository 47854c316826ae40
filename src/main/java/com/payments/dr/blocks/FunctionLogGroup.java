package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import java.util.List;
import software.constructs.Construct;

/**
 * The log group a Lambda function writes to, owned by the stack ({@code /aws/lambda/<name>},
 * encrypted, with a retention) instead of the one Lambda would create unencrypted and forever,
 * and the statement that lets the function's role write its streams there.
 */
public record FunctionLogGroup(CloudwatchLogGroup logGroup, PolicyStatement writeLogs) {

    /** The log group of the function {@code functionName}, created in {@code scope} under {@code id}. */
    public static FunctionLogGroup create(Construct scope, String id, RegionContext region, String functionName,
                                          int retentionDays, EncryptionKey logsKey) {
        CloudwatchLogGroup logGroup = CloudwatchLogGroup.Builder.create(scope, id)
                .provider(region.provider())
                .name("/aws/lambda/" + functionName)
                .retentionInDays(retentionDays)
                .kmsKeyId(logsKey.arn())
                .build();
        return new FunctionLogGroup(logGroup, Iam.allow("WriteLogs",
                List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logGroup.getArn() + ":log-stream:*")));
    }
}
