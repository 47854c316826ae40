package com.payments.dr.blocks;

import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.Op;
import com.hashicorp.cdktf.Precondition;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.Token;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.data_aws_availability_zones.DataAwsAvailabilityZones;
import com.hashicorp.cdktf.providers.aws.data_aws_availability_zones.DataAwsAvailabilityZonesFilter;
import com.hashicorp.cdktf.providers.aws.data_aws_vpc_endpoint_service.DataAwsVpcEndpointService;
import com.hashicorp.cdktf.providers.aws.default_security_group.DefaultSecurityGroup;
import com.hashicorp.cdktf.providers.aws.flow_log.FlowLog;
import com.hashicorp.cdktf.providers.aws.route_table.RouteTable;
import com.hashicorp.cdktf.providers.aws.route_table_association.RouteTableAssociation;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupTimeouts;
import com.hashicorp.cdktf.providers.aws.subnet.Subnet;
import com.hashicorp.cdktf.providers.aws.subnet.SubnetTimeouts;
import com.hashicorp.cdktf.providers.aws.vpc.Vpc;
import com.hashicorp.cdktf.providers.aws.vpc_endpoint.VpcEndpoint;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_egress_rule.VpcSecurityGroupEgressRule;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule;
import com.payments.dr.config.Ipv4Cidr;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.naming.Tags;
import java.util.ArrayList;
import java.util.List;
import software.constructs.Construct;

/**
 * One region's network: a VPC with private subnets only (no internet or NAT gateway), free gateway
 * endpoints for S3 and DynamoDB, the default security group emptied, flow logs to an encrypted log
 * group, and the function and database security groups with the only paths between them.
 */
public final class Network extends Construct {

    /** Subnets are a sixteenth of the VPC each, leaving room for more tiers and AZs later. */
    static final int SUBNET_NEW_BITS = 4;
    static final int POSTGRES_PORT = 5432;
    static final int HTTPS_PORT = 443;
    /**
     * How long a destroy waits for Lambda to release the function's ENIs from the subnets and the
     * function's group: up to 45 minutes in practice (provider defaults: 20 and 15 minutes).
     */
    public static final String ENI_RELEASE_TIMEOUT = "45m";

    /** The free gateway endpoints every private route table gets. */
    static final List<String> GATEWAY_SERVICES = List.of("s3", "dynamodb");

    /**
     * @param logsKey                 the region's CloudWatch Logs key, for the flow-log group
     * @param interfaceEndpoints      AWS services the function reaches through interface endpoints
     *                                (e.g. {@code secretsmanager}); each costs about $7.30 per zone-month
     * @param functionGatewayServices the gateway-endpoint services the function calls: only these
     *                                get an egress rule from the function's group
     * @param zoneOfferings           lists of zone names (Terraform expressions) where something the
     *                                network hosts is offered, e.g. an instance class: subnets go only
     *                                to zones in all of them
     */
    public record Props(RegionContext region, Ipv4Cidr cidr, int azCount, int logRetentionDays,
                        EncryptionKey logsKey, List<String> interfaceEndpoints, List<String> functionGatewayServices,
                        List<List<String>> zoneOfferings) {

        /** A network whose function group reaches no gateway endpoint, with no further zone requirement. */
        public Props(RegionContext region, Ipv4Cidr cidr, int azCount, int logRetentionDays, EncryptionKey logsKey,
                     List<String> interfaceEndpoints) {
            this(region, cidr, azCount, logRetentionDays, logsKey, interfaceEndpoints, List.of(), List.of());
        }
    }

    /**
     * Zones (by id, the same physical zone in every account) where Lambda refuses VPC functions:
     * "The provided subnets contain availability zone Lambda doesn't support" in us-east-1. Lambda
     * has no API to ask, so this list is the one hand-kept input of the zone choice.
     */
    static final List<String> ZONE_IDS_WITHOUT_LAMBDA = List.of("use1-az3");

    /**
     * What an endpoint lets through: these actions on these resources, for principals of this
     * account, and only for the given IAM roles when {@code principalArns} is not empty. Every
     * endpoint of the network must get one ({@link #restrictEndpoints}).
     */
    public record EndpointAccess(List<String> actions, List<String> resources, List<String> principalArns) {
        public EndpointAccess(List<String> actions, List<String> resources) {
            this(actions, resources, List.of());
        }
    }

    private final Vpc vpc;
    private final String vpcId;
    private final List<Subnet> privateSubnets = new ArrayList<>();
    // ids are read from jsii once each, however often the stack wires them (docs/performance.md)
    private final List<String> privateSubnetIds = new ArrayList<>();
    private final List<String> privateSubnetCidrs = new ArrayList<>();
    private final List<String> routeTableIds = new ArrayList<>();
    private final String functionSecurityGroupId;
    private final String databaseSecurityGroupId;
    private final String migratorSecurityGroupId;
    private final String defaultSecurityGroupId;
    private final RegionContext region;
    private final java.util.Map<String, VpcEndpoint> endpoints = new java.util.LinkedHashMap<>();

    public Network(Construct scope, String id, Props props) {
        super(scope, id);
        this.region = props.region();
        RegionContext region = props.region();
        var naming = region.naming();

        vpc = Vpc.Builder.create(this, "vpc")
                .provider(region.provider())
                .cidrBlock(props.cidr().toString())
                .enableDnsSupport(true)
                // interface endpoints' private DNS names need both DNS settings on
                .enableDnsHostnames(true)
                .tags(Tags.name(naming.name(ResourceType.VPC)))
                .build();
        vpcId = vpc.getId();

        // Zone names map to different physical zones per account: choose by what is offered, not
        // by position. Candidates are the region's default zones without the ids Lambda refuses,
        // that every interface endpoint service and every given offering (e.g. db.serverless) lists.
        DataAwsAvailabilityZones zones = DataAwsAvailabilityZones.Builder.create(this, "zones")
                .provider(region.provider())
                .state("available")
                // Local Zones and Wavelength zones lack Aurora and Lambda
                .filter(List.of(DataAwsAvailabilityZonesFilter.builder()
                        .name("opt-in-status").values(List.of("opt-in-not-required")).build()))
                .excludeZoneIds(ZONE_IDS_WITHOUT_LAMBDA)
                .build();
        List<List<String>> offerings = new ArrayList<>(props.zoneOfferings());
        for (String service : props.interfaceEndpoints()) {
            offerings.add(DataAwsVpcEndpointService.Builder.create(this, service + "_endpoint_service")
                    .provider(region.provider())
                    .service(service)
                    .serviceType("Interface")
                    .build()
                    .getAvailabilityZones());
        }
        List<String> candidates = offerings.isEmpty() ? zones.getNames()
                : Fn.sort(Fn.setintersection(zones.getNames(), offerings));

        for (int i = 0; i < props.azCount(); i++) {
            String index = Integer.toString(i + 1);
            Subnet subnet = Subnet.Builder.create(this, "private_subnet_" + index)
                    .provider(region.provider())
                    .vpcId(vpcId)
                    .cidrBlock(props.cidr().subnet(SUBNET_NEW_BITS, i).toString())
                    .availabilityZone(Token.asString(Fn.element(candidates, i)))
                    .mapPublicIpOnLaunch(false)
                    .lifecycle(TerraformResourceLifecycle.builder()
                            // too few candidates would put two subnets in one zone: stop the plan instead
                            .precondition(List.of(Precondition.builder()
                                    .condition(Op.gte(Fn.lengthOf(candidates), props.azCount()))
                                    .errorMessage("Fewer than AZ_COUNT=" + props.azCount() + " zones in "
                                            + region.region() + " offer Lambda, the interface endpoints and the"
                                            + " database instance class: lower AZ_COUNT or choose another region")
                                    .build()))
                            // a zone once chosen stays: a later change in what AWS offers must not
                            // replace a running subnet (and everything in it)
                            .ignoreChanges(List.of("availability_zone"))
                            .build())
                    .tags(Tags.name(naming.name(ResourceType.SUBNET_PRIVATE, index)))
                    // the payment function's ENIs (SnapStart versions keep their own) hold the
                    // subnet for many minutes after the function is gone
                    .timeouts(SubnetTimeouts.builder().delete(ENI_RELEASE_TIMEOUT).build())
                    .build();
            privateSubnets.add(subnet);
            privateSubnetCidrs.add(props.cidr().subnet(SUBNET_NEW_BITS, i).toString());
            String subnetId = subnet.getId();
            privateSubnetIds.add(subnetId);
            // one route table per AZ costs nothing and keeps per-AZ egress possible later
            RouteTable table = RouteTable.Builder.create(this, "private_route_table_" + index)
                    .provider(region.provider())
                    .vpcId(vpcId)
                    .tags(Tags.name(naming.name(ResourceType.ROUTE_TABLE_PRIVATE, index)))
                    .build();
            String tableId = table.getId();
            RouteTableAssociation.Builder.create(this, "private_route_table_association_" + index)
                    .provider(region.provider())
                    .subnetId(subnetId)
                    .routeTableId(tableId)
                    .build();
            routeTableIds.add(tableId);
        }

        for (String service : GATEWAY_SERVICES) {
            endpoints.put(service, gatewayEndpoint(service, region, routeTableIds));
        }

        defaultSecurityGroupId = DefaultSecurityGroup.Builder.create(this, "default_security_group")
                .provider(region.provider())
                .vpcId(vpcId)
                // no ingress or egress blocks: Terraform removes every rule AWS put there
                .tags(Tags.name(naming.name(ResourceType.SECURITY_GROUP, "default")))
                .build()
                .getId();

        SecurityGroup functionSecurityGroup = securityGroup("function", "Payment function ENIs: egress to the database and AWS endpoints only", region);
        // an ENI of a published SnapStart version may still hold the group when the destroy reaches it
        functionSecurityGroup.putTimeouts(SecurityGroupTimeouts.builder().delete(ENI_RELEASE_TIMEOUT).build());
        functionSecurityGroupId = functionSecurityGroup.getId();
        databaseSecurityGroupId = securityGroup("database", "Aurora PostgreSQL: PostgreSQL from the payment function and the migrator only", region)
                .getId();
        // the schema migrator is apart: it alone reaches the interface endpoints (Secrets Manager)
        SecurityGroup migratorSecurityGroup = securityGroup("migrator", "Schema migrator ENIs: egress to the database and the interface endpoints only", region);
        // the migrator's ENIs too outlive its function for many minutes
        migratorSecurityGroup.putTimeouts(SecurityGroupTimeouts.builder().delete(ENI_RELEASE_TIMEOUT).build());
        migratorSecurityGroupId = migratorSecurityGroup.getId();

        ingress("database_from_function", region, databaseSecurityGroupId, functionSecurityGroupId, POSTGRES_PORT,
                "PostgreSQL from the payment function");
        egress("function_to_database", region, databaseSecurityGroupId, null, POSTGRES_PORT,
                "PostgreSQL to the Aurora cluster");
        ingress("database_from_migrator", region, databaseSecurityGroupId, migratorSecurityGroupId, POSTGRES_PORT,
                "PostgreSQL from the schema migrator");
        egress("migrator_to_database", region, migratorSecurityGroupId, databaseSecurityGroupId, null,
                POSTGRES_PORT, "PostgreSQL to the Aurora cluster");
        for (String service : props.functionGatewayServices()) {
            egress("function_to_" + service, region, null, endpoints.get(service).getPrefixListId(), HTTPS_PORT,
                    "HTTPS to " + service + " through its gateway endpoint");
        }

        if (!props.interfaceEndpoints().isEmpty()) {
            interfaceEndpoints(region, props.interfaceEndpoints());
        }
        flowLogs(region, props);
    }

    /** One endpoint per service with an ENI in every private subnet, reachable only from the migrator. */
    private void interfaceEndpoints(RegionContext region, List<String> services) {
        String endpointGroupId = securityGroup("endpoints",
                "Interface endpoints: HTTPS from the schema migrator only", region).getId();
        ingress("endpoints_from_migrator", region, endpointGroupId, migratorSecurityGroupId, HTTPS_PORT,
                "HTTPS from the schema migrator");
        egress("migrator_to_endpoints", region, migratorSecurityGroupId, endpointGroupId, null, HTTPS_PORT,
                "HTTPS to the interface endpoints (" + String.join(", ", services) + ")");
        for (String service : services) {
            endpoints.put(service, VpcEndpoint.Builder.create(this, service + "_endpoint")
                    .provider(region.provider())
                    .vpcId(vpcId)
                    .serviceName("com.amazonaws." + region.region() + "." + service)
                    .vpcEndpointType("Interface")
                    // the SDK's default endpoint name resolves to the endpoint's private addresses
                    .privateDnsEnabled(true)
                    .subnetIds(privateSubnetIds())
                    .securityGroupIds(List.of(endpointGroupId))
                    .tags(Tags.name(region.naming().name(ResourceType.VPC_ENDPOINT, service)))
                    .build());
        }
    }

    /**
     * Replaces every endpoint's default full-access policy with one that lets through only
     * {@code access.get(service)}: this stack's own table, buckets and secret. An endpoint without
     * an entry is a mistake (it would stay open to every resource of its service) and fails synth.
     */
    public void restrictEndpoints(java.util.Map<String, EndpointAccess> access) {
        endpoints.forEach((service, endpoint) -> {
            EndpointAccess allowed = access.get(service);
            if (allowed == null) {
                throw new IllegalStateException("no endpoint policy for the " + service + " endpoint of "
                        + region.region() + ": give restrictEndpoints what the stack uses it for");
            }
            List<PolicyStatement.Condition> conditions = new ArrayList<>(List.of(Iam.condition("StringEquals",
                    "aws:PrincipalAccount", region.accountId())));
            if (!allowed.principalArns().isEmpty()) {
                // a role session's aws:PrincipalArn is its role's ARN
                conditions.add(Iam.condition("ArnEquals", "aws:PrincipalArn", allowed.principalArns()));
            }
            endpoint.setPolicy(Iam.policy(List.of(
                    Iam.statement("OnlyThisStacksResources", allowed.actions())
                            .principals(List.of(Iam.aws("*")))
                            .resources(allowed.resources())
                            .condition(conditions)
                            .build())));
        });
    }

    private VpcEndpoint gatewayEndpoint(String service, RegionContext region, List<String> routeTableIds) {
        return VpcEndpoint.Builder.create(this, service + "_endpoint")
                .provider(region.provider())
                .vpcId(vpcId)
                .serviceName("com.amazonaws." + region.region() + "." + service)
                .vpcEndpointType("Gateway")
                .routeTableIds(routeTableIds)
                .tags(Tags.name(region.naming().name(ResourceType.VPC_ENDPOINT, service)))
                .build();
    }

    /** TCP on {@code port} into the group {@code groupId} from members of {@code sourceGroupId} only. */
    private void ingress(String id, RegionContext region, String groupId, String sourceGroupId, int port,
                         String description) {
        VpcSecurityGroupIngressRule.Builder.create(this, id)
                .provider(region.provider())
                .securityGroupId(groupId)
                .referencedSecurityGroupId(sourceGroupId)
                .ipProtocol("tcp").fromPort(port).toPort(port)
                .description(description)
                .build();
    }

    /** TCP on {@code port} out of the function's group, to another group or to a prefix list. */
    private void egress(String id, RegionContext region, String targetGroupId, String targetPrefixListId, int port,
                        String description) {
        egress(id, region, functionSecurityGroupId, targetGroupId, targetPrefixListId, port, description);
    }

    private void egress(String id, RegionContext region, String groupId, String targetGroupId,
                        String targetPrefixListId, int port, String description) {
        VpcSecurityGroupEgressRule.Builder.create(this, id)
                .provider(region.provider())
                .securityGroupId(groupId)
                .referencedSecurityGroupId(targetGroupId)
                .prefixListId(targetPrefixListId)
                .ipProtocol("tcp").fromPort(port).toPort(port)
                .description(description)
                .build();
    }

    private SecurityGroup securityGroup(String purpose, String description, RegionContext region) {
        String name = region.naming().name(ResourceType.SECURITY_GROUP, purpose);
        // Rules are separate resources: with no inline blocks Terraform also drops AWS's allow-all egress.
        return SecurityGroup.Builder.create(this, purpose + "_security_group")
                .provider(region.provider())
                .name(name)
                .description(description)
                .vpcId(vpcId)
                .tags(Tags.name(name))
                .build();
    }

    private void flowLogs(RegionContext region, Props props) {
        String logGroupName = region.naming().name(ResourceType.VPC_FLOW_LOG_GROUP);
        String logGroupArn = CloudwatchLogGroup.Builder.create(this, "flow_log_group")
                .provider(region.provider())
                .name(logGroupName)
                .retentionInDays(props.logRetentionDays())
                .kmsKeyId(props.logsKey().arn())
                .skipDestroy(props.region().retainLogs())
                .build()
                .getArn();
        Iam.ServiceRole role = Iam.serviceRole(this, "flow_log_role", region, "vpc-flow-logs",
                "vpc-flow-logs.amazonaws.com", List.of(
                        Iam.allow("WriteFlowLogs",
                                List.of("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"),
                                List.of(logGroupArn, logGroupArn + ":log-stream:*")),
                        Iam.allow("FindLogGroup", List.of("logs:DescribeLogGroups"),
                                List.of(region.arn("logs", "log-group:*")))));
        FlowLog.Builder.create(this, "flow_log")
                .provider(region.provider())
                .vpcId(vpcId)
                .trafficType("ALL")
                .logDestinationType("cloud-watch-logs")
                .logDestination(logGroupArn)
                .iamRoleArn(role.arn())
                .maxAggregationInterval(600)
                .tags(Tags.name(region.naming().name(ResourceType.FLOW_LOG)))
                .build();
    }

    /**
     * Lets the schema migrator reach a gateway endpoint's service (HTTPS to its prefix list): the
     * reconciliation after a failover reads the idempotency table.
     */
    public void allowMigratorTo(String gatewayService) {
        egress("migrator_to_" + gatewayService, region, migratorSecurityGroupId, null,
                endpoints.get(gatewayService).getPrefixListId(), HTTPS_PORT,
                "HTTPS to " + gatewayService + " through its gateway endpoint");
    }

    public String vpcId() {
        return vpcId;
    }

    /** The private subnets' address ranges, in subnet order (known at synth). */
    public List<String> privateSubnetCidrs() {
        return List.copyOf(privateSubnetCidrs);
    }

    /** The private subnets' route tables, one per subnet, in subnet order. */
    public List<String> routeTableIds() {
        return List.copyOf(routeTableIds);
    }

    public List<String> privateSubnetIds() {
        return List.copyOf(privateSubnetIds);
    }

    /** The zone of each private subnet, in subnet order. */
    public List<String> availabilityZones() {
        return privateSubnets.stream().map(Subnet::getAvailabilityZone).toList();
    }

    public String functionSecurityGroupId() {
        return functionSecurityGroupId;
    }

    /** The schema migrator's group: the database and the interface endpoints, nothing else. */
    public String migratorSecurityGroupId() {
        return migratorSecurityGroupId;
    }

    /** What the migrator needs in place before it is invoked: the endpoints with their policies. */
    public List<com.hashicorp.cdktf.ITerraformDependable> endpointResources() {
        return List.copyOf(endpoints.values());
    }

    public String databaseSecurityGroupId() {
        return databaseSecurityGroupId;
    }

    /** The VPC's emptied default group: where Lambda parks its ENIs while a function is destroyed. */
    public String defaultSecurityGroupId() {
        return defaultSecurityGroupId;
    }
}
