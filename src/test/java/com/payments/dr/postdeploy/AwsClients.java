package com.payments.dr.postdeploy;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The AWS SDK clients of the post-deploy suite, per region. Against AWS they use the default
 * credentials chain and AWS's endpoints; only tests of the suite itself ({@link #local}) point a
 * service at a local server (DynamoDB Local, S3Proxy, a loopback API Gateway), so the checks run
 * through the same SDK calls either way.
 */
public final class AwsClients {

    /** A local server standing in for a service, and the credentials it expects. */
    public record Endpoint(URI uri, AwsCredentialsProvider credentials) {
    }

    private final Map<String, Endpoint> endpoints;

    private AwsClients(Map<String, Endpoint> endpoints) {
        this.endpoints = Map.copyOf(endpoints);
    }

    /** AWS itself, with the default credentials chain (environment, profile, SSO, container, instance). */
    public static AwsClients aws() {
        return new AwsClients(Map.of());
    }

    /** For the suite's own tests: these services (by name, e.g. {@code dynamodb}) at local servers. */
    public static AwsClients local(Map<String, Endpoint> endpoints) {
        return new AwsClients(endpoints);
    }

    public DynamoDbClient dynamo(String region) {
        return build(DynamoDbClient.builder(), "dynamodb", region);
    }

    public S3Client s3(String region) {
        software.amazon.awssdk.services.s3.S3ClientBuilder builder = S3Client.builder();
        if (endpoints.containsKey("s3")) {
            // S3Proxy serves path-style only, and over plain HTTP the SDK asks for an MD5 trailer on
            // reads (x-amz-te) that it refuses; over HTTPS, as in AWS, it does not
            builder.forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().checksumValidationEnabled(false).build());
        }
        return build(builder, "s3", region);
    }

    public ApiGatewayClient apiGateway(String region) {
        return build(ApiGatewayClient.builder(), "apigateway", region);
    }

    /** Route 53 is global: its API lives in us-east-1 (the SDK's aws-global region). */
    public Route53Client route53() {
        return build(Route53Client.builder(), "route53", Region.AWS_GLOBAL.id());
    }

    public CloudWatchClient cloudWatch(String region) {
        return build(CloudWatchClient.builder(), "cloudwatch", region);
    }

    public SnsClient sns(String region) {
        return build(SnsClient.builder(), "sns", region);
    }

    private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder, String service,
                                                                                       String region) {
        builder.region(Region.of(region)).httpClientBuilder(UrlConnectionHttpClient.builder());
        Endpoint endpoint = endpoints.get(service);
        if (endpoint == null) {
            builder.credentialsProvider(DefaultCredentialsProvider.create());
        } else {
            builder.endpointOverride(endpoint.uri()).credentialsProvider(endpoint.credentials());
        }
        return builder.build();
    }
}
