package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.route.Route;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.vpc_endpoint.VpcEndpoint;
import com.hashicorp.cdktf.providers.aws.vpc_peering_connection.VpcPeeringConnection;
import com.hashicorp.cdktf.providers.aws.vpc_peering_connection_accepter.VpcPeeringConnectionAccepterA;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_egress_rule.VpcSecurityGroupEgressRule;
import com.hashicorp.cdktf.providers.aws.vpc_security_group_ingress_rule.VpcSecurityGroupIngressRule;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.naming.Tags;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The private path from the primary region's payment function to the DR region's replica of the
 * idempotency table, for the acknowledgement mirror ({@code ACK_MIRROR}): the function runs in
 * private subnets without NAT, and a gateway endpoint serves only its own region, so the DR region
 * gets a DynamoDB <em>interface</em> endpoint (reachable from another region over VPC peering,
 * DynamoDB Developer Guide "AWS PrivateLink for DynamoDB"), in one zone only, the cheapest that
 * works: if that zone fails the mirror degrades (alarmed) and payments go on.
 *
 * <p>What it creates: an inter-region VPC peering (requested from the primary, accepted in DR);
 * routes to the DR endpoint's subnet from every primary private route table and back from that
 * subnet's route table only; the endpoint (private DNS off, so the DR region's own DynamoDB
 * traffic keeps the free gateway endpoint) with a security group that admits HTTPS from the
 * primary's private subnets only; the function's egress to that one subnet; and, once the
 * function exists, an endpoint policy that lets the primary function's role put items in the DR
 * replica and nothing else ({@link #restrictTo}).
 */
public final class AckMirrorPath extends Construct {

    /** The DR private subnet (by index) that holds the endpoint's one network interface. */
    static final int ENDPOINT_SUBNET = 0;
    static final int HTTPS_PORT = 443;
    /** What the mirror does with the DR replica, and all the endpoint lets through. */
    public static final List<String> MIRROR_ACTIONS = List.of("dynamodb:PutItem");
    /** The only items the mirror may write there: acknowledgement records. */
    public static final String MIRROR_KEYS = "ACK#*";

    /**
     * @param drTableArn the global table's ARN in the DR region
     */
    public record Props(RegionContext primary, Network primaryNetwork, RegionContext dr, Network drNetwork,
                        String drTableArn) {
    }

    private final VpcEndpoint endpoint;
    private final String endpointUrl;
    private final String peeringId;
    private final Props props;

    public AckMirrorPath(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        RegionContext primary = props.primary();
        RegionContext dr = props.dr();
        Network drNetwork = props.drNetwork();
        String peeringName = primary.naming().name(ResourceType.VPC_PEERING, "ack-mirror");
        // same account: requested in the primary region, accepted in the DR region (an
        // inter-region peering cannot be auto-accepted by its requester)
        VpcPeeringConnection peering = VpcPeeringConnection.Builder.create(this, "peering")
                .provider(primary.provider())
                .vpcId(props.primaryNetwork().vpcId())
                .peerVpcId(drNetwork.vpcId())
                .peerRegion(dr.region())
                .peerOwnerId(dr.accountId())
                .tags(Tags.name(peeringName))
                .build();
        peeringId = peering.getId();
        VpcPeeringConnectionAccepterA accepter = VpcPeeringConnectionAccepterA.Builder.create(this, "peering_accepter")
                .provider(dr.provider())
                .vpcPeeringConnectionId(peeringId)
                .autoAccept(true)
                .tags(Tags.name(peeringName))
                .build();
        // routes only once the peering is active, and only as wide as needed: the primary's subnets
        // to the endpoint's one subnet, and that subnet's way back
        String endpointSubnetCidr = drNetwork.privateSubnetCidrs().get(ENDPOINT_SUBNET);
        List<String> primaryRouteTables = props.primaryNetwork().routeTableIds();
        for (int i = 0; i < primaryRouteTables.size(); i++) {
            Route.Builder.create(this, "primary_route_" + (i + 1))
                    .provider(primary.provider())
                    .routeTableId(primaryRouteTables.get(i))
                    .destinationCidrBlock(endpointSubnetCidr)
                    .vpcPeeringConnectionId(peeringId)
                    .dependsOn(List.of(accepter))
                    .build();
        }
        List<String> primaryCidrs = props.primaryNetwork().privateSubnetCidrs();
        for (int i = 0; i < primaryCidrs.size(); i++) {
            Route.Builder.create(this, "dr_route_" + (i + 1))
                    .provider(dr.provider())
                    .routeTableId(drNetwork.routeTableIds().get(ENDPOINT_SUBNET))
                    .destinationCidrBlock(primaryCidrs.get(i))
                    .vpcPeeringConnectionId(peeringId)
                    .dependsOn(List.of(accepter))
                    .build();
        }

        String groupName = dr.naming().name(ResourceType.SECURITY_GROUP, "ack-mirror");
        String groupId = SecurityGroup.Builder.create(this, "endpoint_security_group")
                .provider(dr.provider())
                .name(groupName)
                .description("Acknowledgement mirror endpoint: HTTPS from the primary region's private subnets only")
                .vpcId(drNetwork.vpcId())
                .tags(Tags.name(groupName))
                .build()
                .getId();
        // security groups cannot be referenced across an inter-region peering: address ranges it is
        for (int i = 0; i < primaryCidrs.size(); i++) {
            VpcSecurityGroupIngressRule.Builder.create(this, "endpoint_from_primary_" + (i + 1))
                    .provider(dr.provider())
                    .securityGroupId(groupId)
                    .cidrIpv4(primaryCidrs.get(i))
                    .ipProtocol("tcp").fromPort(HTTPS_PORT).toPort(HTTPS_PORT)
                    .description("HTTPS from the primary region's private subnet " + (i + 1) + " over the peering")
                    .build();
        }
        VpcSecurityGroupEgressRule.Builder.create(this, "function_to_mirror")
                .provider(primary.provider())
                .securityGroupId(props.primaryNetwork().functionSecurityGroupId())
                .cidrIpv4(endpointSubnetCidr)
                .ipProtocol("tcp").fromPort(HTTPS_PORT).toPort(HTTPS_PORT)
                .description("HTTPS to the DR region's DynamoDB interface endpoint over the peering")
                .build();

        endpoint = VpcEndpoint.Builder.create(this, "endpoint")
                .provider(dr.provider())
                .vpcId(drNetwork.vpcId())
                .serviceName("com.amazonaws." + dr.region() + ".dynamodb")
                .vpcEndpointType("Interface")
                // the DR region's own functions keep using the free gateway endpoint
                .privateDnsEnabled(false)
                .subnetIds(List.of(drNetwork.privateSubnetIds().get(ENDPOINT_SUBNET)))
                .securityGroupIds(List.of(groupId))
                .tags(Tags.name(dr.naming().name(ResourceType.VPC_ENDPOINT, "dynamodb-mirror")))
                .build();
        // the endpoint's address: its logical id is fixed once the construct exists
        endpointUrl = "https://${" + regionalDnsName(endpoint.getTerraformResourceType() + "."
                + endpoint.getFriendlyUniqueId()) + "}";
    }

    /**
     * The endpoint's Regional DNS name, picked by its form, not by its place in {@code dns_entry}.
     * AWS lists two kinds for a DynamoDB interface endpoint (DynamoDB Developer Guide, "AWS
     * PrivateLink for DynamoDB", "Accessing Amazon DynamoDB interface endpoints"): the Regional
     * {@code vpce-1a2b3c4d-5e6f.dynamodb.us-east-1.vpce.amazonaws.com}, whose first label is the
     * endpoint id and a suffix only, and the zonal {@code
     * vpce-1a2b3c4d-5e6f-us-east-1a.dynamodb.us-east-1.vpce.amazonaws.com}, with the zone appended; no
     * order of the entries is documented (EC2's DescribeVpcEndpoints). The Regional name resolves in
     * public DNS to the endpoint's private addresses, so the primary needs no private zone; it is
     * the one AWS's examples pass as the endpoint URL. Exactly one entry must match, or the apply
     * fails naming the expression, rather than the mirror pointing at a zone's name.
     */
    static String regionalDnsName(String endpointAddress) {
        return "one([for entry in " + endpointAddress + ".dns_entry : entry.dns_name if length(regexall("
                + "\"^vpce-[0-9a-z]+-[0-9a-z]+[.]\", entry.dns_name)) > 0])";
    }

    /**
     * The endpoint's policy: only {@code roleArn} (the primary payment function's role), only
     * {@link #MIRROR_ACTIONS}, only on the DR replica.
     */
    public void restrictTo(String roleArn) {
        endpoint.setPolicy(Iam.policy(List.of(Iam.statement("OnlyTheMirrorWrites", MIRROR_ACTIONS)
                .principals(List.of(Iam.aws("*")))
                .resources(List.of(props.drTableArn()))
                .condition(List.of(
                        Iam.condition("StringEquals", "aws:PrincipalAccount", props.dr().accountId()),
                        Iam.condition("ArnEquals", "aws:PrincipalArn", roleArn)))
                .build())));
    }

    /** The function's environment for the mirror (see {@code FunctionConfig}). */
    public Map<String, String> functionEnvironment() {
        return Map.of("ACK_MIRROR_REGION", props.dr().region(), "ACK_MIRROR_ENDPOINT", endpointUrl);
    }

    /** What the primary function's role may do through the path: acknowledgement records only. */
    public PolicyStatement functionStatement() {
        return Iam.statement("MirrorAcknowledgements", MIRROR_ACTIONS)
                .resources(List.of(props.drTableArn()))
                .condition(List.of(Iam.condition("ForAllValues:StringLike", "dynamodb:LeadingKeys", MIRROR_KEYS)))
                .build();
    }

    public String endpointUrl() {
        return endpointUrl;
    }

    public String peeringId() {
        return peeringId;
    }
}
