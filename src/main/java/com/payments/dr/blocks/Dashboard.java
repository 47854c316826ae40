package com.payments.dr.blocks;

import com.google.gson.GsonBuilder;
import com.hashicorp.cdktf.providers.aws.cloudwatch_dashboard.CloudwatchDashboard;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.payments.dr.events.FailoverProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.constructs.Construct;

/**
 * One dashboard for both regions, side by side (a column per region), generated from the same
 * watchlists as the alarms: at the top the failover's alarm states across the full width, one row
 * per place the decision is made ("fail over now" and its three terms: Route 53's view in
 * us-east-1, and the DR region's own view from its probe), then each region's alarm states, the
 * health checks and the DR probe's answers, then per watched metric one graph in each region that
 * watches it, with the alarm's threshold drawn on it. Every widget names its region, so a graph
 * never silently shows the console's current region and an operator sees where each signal lives.
 */
public final class Dashboard extends Construct {

    /** The dashboard grid is 24 units wide: two columns of 12. */
    static final int GRID_WIDTH = 24;
    static final int HEIGHT = 6;
    /** The failover decision's four alarms fit in a short row. */
    static final int FAILOVER_HEIGHT = 3;

    private final Memo<String> dashboardName;
    private final String consoleRegion;

    /**
     * @param provider the provider that creates it (dashboards are global; the console link opens
     *                 in that provider's region)
     */
    /**
     * A region's Route 53 health checks to graph: its /health and, if not {@code null}, its
     * readiness probe in the same graph; their status is published in {@code metricsRegion} only.
     */
    public record HealthCheck(String label, String healthCheckId, String metricsRegion, String readinessCheckId) {

        public HealthCheck(String label, String healthCheckId, String metricsRegion) {
            this(label, healthCheckId, metricsRegion, null);
        }
    }

    /**
     * The failover decision's alarms as seen from one place, all in one region: the composite
     * first, then its terms; {@code where} names the view and its region.
     */
    public record FailoverAlarms(String where, List<String> arns) {
    }

    /** The DR region's failover probe: its three answers (1 passing, 0 failing), published in {@code region}. */
    public record Probe(String region, String functionName) {
    }

    public Dashboard(Construct scope, String id, AwsProvider provider, String consoleRegion, String name,
                     List<Alarms> regions, List<HealthCheck> healthChecks, List<FailoverAlarms> failover,
                     Probe probe) {
        super(scope, id);
        this.consoleRegion = consoleRegion;
        CloudwatchDashboard dashboard = CloudwatchDashboard.Builder.create(this, "dashboard")
                .provider(provider)
                .dashboardName(name)
                .dashboardBody(body(regions, healthChecks, failover, probe))
                .build();
        dashboardName = Memo.of(dashboard::getDashboardName);
    }

    /** The dashboard body as CloudWatch documents it: {@code {"widgets": [...]}}. */
    static String body(List<Alarms> regions, List<HealthCheck> healthChecks, List<FailoverAlarms> failover,
                       Probe probe) {
        int width = GRID_WIDTH / regions.size();
        List<Map<String, Object>> widgets = new ArrayList<>();
        int top = 0;
        for (FailoverAlarms view : failover) {
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("title", view.where() + ": fail over now = primary unhealthy AND DR ready AND NOT DR serving");
            decision.put("alarms", view.arns());
            widgets.add(widget("alarm", 0, top, GRID_WIDTH, FAILOVER_HEIGHT, decision));
            top += FAILOVER_HEIGHT;
        }
        for (int column = 0; column < regions.size(); column++) {
            Alarms alarms = regions.get(column);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("title", "Alarms: " + label(alarms.region()));
            properties.put("alarms", alarms.arns());
            properties.put("sortBy", "stateUpdatedTimestamp");
            widgets.add(widget("alarm", column * width, top, width, properties));
        }
        // each region's /health as Route 53 sees it (1 healthy, 0 not), in the same columns
        for (int column = 0; column < healthChecks.size(); column++) {
            HealthCheck check = healthChecks.get(column);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("region", check.metricsRegion());
            List<List<Object>> metrics = new ArrayList<>();
            metrics.add(List.of("AWS/Route53", "HealthCheckStatus", "HealthCheckId", check.healthCheckId()));
            if (check.readinessCheckId() == null) {
                properties.put("title", "Route 53 health check of the " + check.label() + " region's /health ("
                        + check.metricsRegion() + ")");
            } else {
                properties.put("title", "Route 53 health checks of the " + check.label() + " region: /health and "
                        + "readiness (?probe=standby) (" + check.metricsRegion() + ")");
                Map<String, Object> label = new LinkedHashMap<>();
                label.put("label", "readiness (?probe=standby)");
                metrics.add(List.of("AWS/Route53", "HealthCheckStatus", "HealthCheckId", check.readinessCheckId(),
                        label));
            }
            properties.put("metrics", metrics);
            properties.put("stat", "Minimum");
            properties.put("period", 60);
            properties.put("view", "timeSeries");
            widgets.add(widget("metric", column * width, top + HEIGHT, width, properties));
        }
        int y = top + (healthChecks.isEmpty() ? HEIGHT : 2 * HEIGHT);
        widgets.add(widget("metric", 0, y, GRID_WIDTH, probeProperties(probe)));
        y += HEIGHT;
        Set<String> keys = new LinkedHashSet<>();
        regions.forEach(r -> r.metrics().forEach(m -> keys.add(m.key())));
        for (String key : keys) {
            for (int column = 0; column < regions.size(); column++) {
                Alarms alarms = regions.get(column);
                for (WatchedMetric m : alarms.metrics()) {
                    if (m.key().equals(key)) {
                        widgets.add(widget("metric", column * width, y, width, metricProperties(alarms.region(), m)));
                    }
                }
            }
            y += HEIGHT;
        }
        return new GsonBuilder().disableHtmlEscaping().create().toJson(Map.of("widgets", widgets));
    }

    private static Map<String, Object> probeProperties(Probe probe) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("title", "DR region's failover probe (" + probe.region() + "): primary /health, DR /health"
                + " (serving), DR readiness; 1 passing, 0 failing; primary /health throttled (429), 1 when it was");
        properties.put("region", probe.region());
        List<List<Object>> metrics = new ArrayList<>();
        for (String metric : List.of(FailoverProbe.PRIMARY_HEALTHY, FailoverProbe.DR_SERVING, FailoverProbe.DR_READY,
                FailoverProbe.PRIMARY_THROTTLED)) {
            metrics.add(List.of(FailoverProbe.NAMESPACE, metric, FailoverProbe.DIMENSION, probe.functionName()));
        }
        properties.put("metrics", metrics);
        properties.put("stat", "Minimum");
        properties.put("period", 60);
        properties.put("view", "timeSeries");
        return properties;
    }

    private static Map<String, Object> metricProperties(RegionContext region, WatchedMetric m) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("title", m.title() + " (" + label(region) + ")");
        properties.put("region", region.region());
        properties.put("metrics", List.of(m.widgetMetric()));
        properties.put("stat", m.statistic());
        properties.put("period", m.periodSeconds());
        properties.put("view", "timeSeries");
        // ordered maps only: Map.of iterates in a per-JVM random order, and the body must be
        // byte-identical from one synth to the next
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("label", "alarm");
        line.put("value", m.threshold());
        properties.put("annotations", Map.of("horizontal", List.of(line)));
        return properties;
    }

    private static Map<String, Object> widget(String type, int x, int y, int width, Map<String, Object> properties) {
        return widget(type, x, y, width, HEIGHT, properties);
    }

    private static Map<String, Object> widget(String type, int x, int y, int width, int height,
                                              Map<String, Object> properties) {
        Map<String, Object> widget = new LinkedHashMap<>();
        widget.put("type", type);
        widget.put("x", x);
        widget.put("y", y);
        widget.put("width", width);
        widget.put("height", height);
        widget.put("properties", properties);
        return widget;
    }

    private static String label(RegionContext region) {
        return region.role().label() + " " + region.region();
    }

    public String name() {
        return dashboardName.get();
    }

    /** The console link (dashboards are global; this opens it in the primary region's console). */
    public String url() {
        return "https://" + consoleRegion + ".console.aws.amazon.com/cloudwatch/home?region=" + consoleRegion
                + "#dashboards:name=" + dashboardName.get();
    }
}
