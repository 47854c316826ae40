package com.payments.dr.function;

import java.util.Map;

/**
 * Maps method and path to the two endpoints; everything else is a JSON 404 or 405. A payment acts
 * for the merchant whose API key API Gateway authenticated it with, never for one the body names.
 */
public final class Router {

    /** The health check's path (Route 53's checkers and the DR region's probe call it). */
    static final String HEALTH_PATH = "/health";

    private final PaymentService payments;
    private final HealthService health;
    private final Map<String, String> merchantsByKeyId;

    /** @param merchantsByKeyId this region's API key ids and the merchant each one acts for */
    public Router(PaymentService payments, HealthService health, Map<String, String> merchantsByKeyId) {
        this.payments = payments;
        this.health = health;
        this.merchantsByKeyId = Map.copyOf(merchantsByKeyId);
    }

    public ApiResponse route(ApiRequest request, Deadline deadline) {
        String method = request.method();
        switch (request.path()) {
            case "/payments":
                return "POST".equals(method) ? pay(request, deadline) : other(method, "POST,OPTIONS");
            case HEALTH_PATH:
                return "GET".equals(method)
                        ? health.check(deadline, request.query(HealthService.PROBE).filter(HealthService.STANDBY::equals)
                                .isPresent())
                        : other(method, "GET,OPTIONS");
            default:
                return ApiResponse.error(404, "not_found", "No route for " + request.path());
        }
    }

    /**
     * API Gateway already refused a request without a valid key; a key it accepts that acts for no
     * merchant here (one made by hand, a stale deployment, a direct invocation) is refused too.
     */
    private ApiResponse pay(ApiRequest request, Deadline deadline) {
        String merchant = request.apiKeyId() == null ? null : merchantsByKeyId.get(request.apiKeyId());
        if (merchant == null) {
            return ApiResponse.error(403, "unknown_api_key", "This request's API key acts for no merchant.");
        }
        return payments.create(request, merchant, deadline);
    }

    private static ApiResponse other(String method, String allowed) {
        if ("OPTIONS".equals(method)) {
            return new ApiResponse(204, Map.of(), "");
        }
        return ApiResponse.error(405, "method_not_allowed", method + " is not allowed here")
                .withHeader("Allow", allowed);
    }
}
