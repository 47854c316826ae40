package com.payments.dr.function;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * The application role's password in AWS: an RDS IAM authentication token, a SigV4-presigned
 * {@code rds-db:connect} request signed locally with the function's own credentials (no network
 * call, no secret). It is what the SDK's {@code RdsUtilities} produces, without shipping the RDS
 * client (about 2 MB) in the package. A token is good for 15 minutes and only needed to open a
 * connection, so a fresh one is made for each.
 */
final class IamAuthToken implements DbCredentials.Provider {

    static final Duration VALIDITY = Duration.ofMinutes(15);

    private final String host;
    private final int port;
    private final String user;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    IamAuthToken(String host, int port, String user, Region region, AwsCredentialsProvider credentials,
            Clock clock) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public DbCredentials current() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET).protocol("https").host(host).port(port).encodedPath("/")
                .putRawQueryParameter("DBUser", user)
                .putRawQueryParameter("Action", "connect")
                .build();
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .signingClockOverride(clock)
                .expirationTime(clock.instant().plus(VALIDITY))
                .awsCredentials(credentials.resolveCredentials())
                .signingName("rds-db")
                .signingRegion(region)
                .build();
        String url = Aws4Signer.create().presign(request, params).getUri().toString();
        return new DbCredentials(user, url.substring("https://".length()));
    }

    /** Nothing is cached: every connection gets a fresh token. */
    @Override
    public void invalidate() {
        // Tokens are never reused.
    }
}
