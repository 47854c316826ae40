package com.payments.dr.blocks;

import com.hashicorp.cdktf.Precondition;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.acm_certificate.AcmCertificate;
import com.hashicorp.cdktf.providers.aws.acm_certificate_validation.AcmCertificateValidation;
import com.hashicorp.cdktf.providers.aws.api_gateway_base_path_mapping.ApiGatewayBasePathMapping;
import com.hashicorp.cdktf.providers.aws.api_gateway_domain_name.ApiGatewayDomainName;
import com.hashicorp.cdktf.providers.aws.api_gateway_domain_name.ApiGatewayDomainNameEndpointConfiguration;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.route53_record.Route53Record;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Custom domain names for both regions' APIs (CUSTOM_DOMAINS=true), the only way clients keep one
 * name across a failover: a REST API's own host ({@code <id>.execute-api.<region>.amazonaws.com})
 * answers only for its own API id, so a record moving that name to the other region's API would
 * meet a certificate and a Host header the other region does not serve. Here each region serves
 * the failover name {@code api.<zone>} itself (and its own {@code <label>.api.<zone>}) with an
 * ACM certificate of its own, validated through the zone, on a regional API Gateway domain name
 * (TLS 1.2) mapped to its stage at the root path.
 *
 * <p>ACM gives every certificate for one name in one account the same validation CNAME, whichever
 * region asks: the record for the shared name is created once, from the primary region's
 * certificate, and the DR region's validation checks (precondition) that its certificate asks
 * for that very record rather than waiting the validation timeout for one nobody created.
 */
public final class ApiCustomDomains extends Construct {

    /** Minimum TLS version API Gateway offers for a REST API's custom domain. */
    public static final String SECURITY_POLICY = "TLS_1_2";
    /** Seconds resolvers may cache the validation records (ACM re-reads them at renewal only). */
    static final int VALIDATION_TTL_SECONDS = 300;

    /** One region's API as its custom domains see it. */
    public record RegionalApi(String label, AwsProvider provider, String apiId, String stageName) {
    }

    /** Where an alias record sends a name: the API Gateway domain's regional host and its zone. */
    public record AliasTarget(String name, String zoneId) {
    }

    /**
     * A certificate with its Terraform address, read from jsii once for the several expressions
     * that name it (docs/performance.md).
     */
    private record Certificate(AcmCertificate resource, String address) {
    }

    private final String sharedName;
    private final Map<String, AliasTarget> shared = new LinkedHashMap<>();
    private final Map<String, AliasTarget> regional = new LinkedHashMap<>();

    /**
     * @param zoneProvider the provider that owns the zone (records are global)
     * @param sharedName   the failover name both regions serve, {@code api.<zone>}
     */
    public ApiCustomDomains(Construct scope, String id, AwsProvider zoneProvider, String zoneId, String sharedName,
                            RegionalApi primary, RegionalApi dr) {
        super(scope, id);
        this.sharedName = sharedName;
        Certificate primaryCertificate = certificate(primary);
        Certificate drCertificate = certificate(dr);
        Route53Record sharedRecord = validationRecord("shared_validation", zoneProvider, zoneId, primaryCertificate,
                sharedName);
        String sharedFqdn = sharedRecord.getFqdn();
        String sharedRecordAddress = address(sharedRecord);
        domains(primary, primaryCertificate, sharedFqdn,
                validationRecord(primary.label() + "_validation", zoneProvider, zoneId, primaryCertificate,
                        regionalName(primary)), null);
        domains(dr, drCertificate, sharedFqdn,
                validationRecord(dr.label() + "_validation", zoneProvider, zoneId, drCertificate, regionalName(dr)),
                Precondition.builder()
                        .condition("${" + normalized(validationAttribute(drCertificate, sharedName, "resource_record_name"))
                                + " == " + normalized(sharedRecordAddress + ".name") + " && "
                                + normalized(validationAttribute(drCertificate, sharedName, "resource_record_value"))
                                + " == " + normalized("one(" + sharedRecordAddress + ".records)") + "}")
                        .errorMessage("ACM asks the " + dr.label() + " region's certificate for " + sharedName
                                + " to be validated through another CNAME than the primary's: create that record")
                        .build());
    }

    private String regionalName(RegionalApi api) {
        return api.label() + "." + sharedName;
    }

    private Certificate certificate(RegionalApi api) {
        AcmCertificate certificate = AcmCertificate.Builder.create(this, api.label() + "_certificate")
                .provider(api.provider())
                .domainName(sharedName)
                .subjectAlternativeNames(List.of(regionalName(api)))
                .validationMethod("DNS")
                // a changed name replaces the certificate: the new one must exist before the
                // domain names let go of the old one
                .lifecycle(TerraformResourceLifecycle.builder().createBeforeDestroy(true).build())
                .build();
        return new Certificate(certificate, address(certificate));
    }

    /** What ACM asks for one of the certificate's names (known once the certificate exists). */
    private static String validationAttribute(Certificate certificate, String domain, String attribute) {
        return "one([for option in " + certificate.address() + ".domain_validation_options : option." + attribute + " if option.domain_name == \"" + domain
                + "\"])";
    }

    /**
     * A resource's Terraform address, for expressions cdktf has no builder for (a for expression):
     * the logical id is fixed once the construct exists.
     */
    private static String address(TerraformResource resource) {
        return resource.getTerraformResourceType() + "." + resource.getFriendlyUniqueId();
    }

    /** Route 53 and ACM spell names with and without the final dot, in either case. */
    private static String normalized(String expression) {
        return "trimsuffix(lower(" + expression + "), \".\")";
    }

    private Route53Record validationRecord(String id, AwsProvider provider, String zoneId, Certificate certificate,
                                           String domain) {
        return Route53Record.Builder.create(this, id)
                .provider(provider)
                .zoneId(zoneId)
                .name("${" + validationAttribute(certificate, domain, "resource_record_name") + "}")
                .type("${" + validationAttribute(certificate, domain, "resource_record_type") + "}")
                .records(List.of("${" + validationAttribute(certificate, domain, "resource_record_value") + "}"))
                .ttl(VALIDATION_TTL_SECONDS)
                // a certificate for this name requested earlier in this account (by hand, or by a
                // destroyed deployment whose record lingers) left the very same record behind
                .allowOverwrite(true)
                .build();
    }

    private void domains(RegionalApi api, Certificate certificate, String sharedFqdn,
                         Route53Record regionalRecord, Precondition sameSharedRecord) {
        AcmCertificateValidation.Builder validation = AcmCertificateValidation.Builder.create(this,
                        api.label() + "_certificate_validation")
                .provider(api.provider())
                .certificateArn(certificate.resource().getArn())
                .validationRecordFqdns(List.of(sharedFqdn, regionalRecord.getFqdn()));
        if (sameSharedRecord != null) {
            validation.lifecycle(TerraformResourceLifecycle.builder().precondition(List.of(sameSharedRecord)).build());
        }
        // the issued certificate's ARN: the domain names wait for validation, not just the request
        String certificateArn = validation.build().getCertificateArn();
        shared.put(api.label(), domain(api, "shared", sharedName, certificateArn));
        regional.put(api.label(), domain(api, "regional", regionalName(api), certificateArn));
    }

    private AliasTarget domain(RegionalApi api, String kind, String name, String certificateArn) {
        String id = api.label() + "_" + kind;
        ApiGatewayDomainName domain = ApiGatewayDomainName.Builder.create(this, id + "_domain")
                .provider(api.provider())
                .domainName(name)
                .regionalCertificateArn(certificateArn)
                .endpointConfiguration(ApiGatewayDomainNameEndpointConfiguration.builder()
                        .types(List.of("REGIONAL")).build())
                .securityPolicy(SECURITY_POLICY)
                .build();
        // the root path: https://api.<zone>/payments is the stage's /payments
        ApiGatewayBasePathMapping.Builder.create(this, id + "_mapping")
                .provider(api.provider())
                .apiId(api.apiId())
                .stageName(api.stageName())
                .domainName(domain.getDomainName())
                .build();
        return new AliasTarget(domain.getRegionalDomainName(), domain.getRegionalZoneId());
    }

    /** The failover name's target in the region labelled {@code label}. */
    public AliasTarget shared(String label) {
        return shared.get(label);
    }

    /** The region's own name ({@code <label>.api.<zone>})'s target. */
    public AliasTarget regional(String label) {
        return regional.get(label);
    }

    /** The region's own custom name. */
    public String regionalName(String label) {
        return label + "." + sharedName;
    }
}
