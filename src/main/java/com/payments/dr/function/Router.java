package com.payments.dr.function;

import java.util.Map;

/** Maps method and path to the two endpoints; everything else is a JSON 404 or 405. */
public final class Router {

    private final PaymentService payments;
    private final HealthService health;

    public Router(PaymentService payments, HealthService health) {
        this.payments = payments;
        this.health = health;
    }

    public ApiResponse route(ApiRequest request, Deadline deadline) {
        String method = request.method();
        switch (request.path()) {
            case "/payments":
                return "POST".equals(method) ? payments.create(request, deadline) : other(method, "POST,OPTIONS");
            case "/health":
                return "GET".equals(method)
                        ? health.check(deadline, request.query(HealthService.PROBE).filter(HealthService.STANDBY::equals)
                                .isPresent())
                        : other(method, "GET,OPTIONS");
            default:
                return ApiResponse.error(404, "not_found", "No route for " + request.path());
        }
    }

    private static ApiResponse other(String method, String allowed) {
        if ("OPTIONS".equals(method)) {
            return new ApiResponse(204, Map.of(), "");
        }
        return ApiResponse.error(405, "method_not_allowed", method + " is not allowed here")
                .withHeader("Allow", allowed);
    }
}
