package com.payments.dr.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * A wire-level stand-in for an AWS query-protocol service (SNS, RDS) on a loopback port. Every
 * request must carry a valid Signature Version 4 for this service, region and the test's
 * credentials: the fake signs the received request again with the SDK's signer at the request's own
 * timestamp and compares. A request that fails the check gets 403, as AWS answers it.
 */
final class FakeQueryService implements AutoCloseable {

    static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret-key");

    /** A received, verified request: its form parameters. */
    record Call(Map<String, String> parameters) {
        String get(String name) {
            return parameters.get(name);
        }
    }

    private final HttpServer server;
    private final String service;
    private final Region region;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Call, Response> responder;
    private volatile int rejected;

    record Response(int status, String xml) {
    }

    FakeQueryService(String service, Region region, Function<Call, Response> responder) throws IOException {
        this.service = service;
        this.region = region;
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void respondWith(Function<Call, Response> next) {
        responder = next;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    int rejected() {
        return rejected;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Response response;
        if (!signatureMatches(exchange, body)) {
            rejected++;
            response = new Response(403, "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
                    + "<Message>bad signature</Message></Error><RequestId>r</RequestId></ErrorResponse>");
        } else {
            Call call = new Call(form(new String(body, StandardCharsets.UTF_8)));
            calls.add(call);
            response = responder.apply(call);
        }
        byte[] bytes = response.xml().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private boolean signatureMatches(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || amzDate == null
                || !authorization.contains("/" + region.id() + "/" + service + "/aws4_request")) {
            return false;
        }
        String signed = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI()))
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body));
        for (String name : signed.split(";")) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                return false;
            }
            if (!name.equals("host")) {
                request.putHeader(name, values);
            }
        }
        ZonedDateTime at = ZonedDateTime.parse(amzDate, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX"));
        SdkHttpFullRequest resigned = Aws4Signer.create().sign(request.build(), Aws4SignerParams.builder()
                .awsCredentials(CREDENTIALS)
                .signingName(service)
                .signingRegion(region)
                .signingClockOverride(Clock.fixed(at.toInstant(), ZoneOffset.UTC))
                .build());
        return authorization.equals(resigned.firstMatchingHeader("Authorization").orElse(""));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
