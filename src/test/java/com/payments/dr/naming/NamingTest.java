package com.payments.dr.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NamingTest {

    private final Naming global = Naming.global("dev");

    @Test
    void namesAreTypeThenSuffix() {
        assertEquals("vpc-dev", global.name(ResourceType.VPC));
        assertEquals("secgroup-database-dev", global.name(ResourceType.SECURITY_GROUP, "database"));
        assertEquals("dev", global.suffix());
    }

    @Test
    void regionRoleIsAddedOnlyWhereAwsNeedsNamesUniqueAcrossRegions() {
        Naming dr = global.forRegion(RegionRole.DR);
        assertEquals("vpc-dev", dr.name(ResourceType.VPC));
        assertEquals("aurora-dr-dev", dr.name(ResourceType.RDS_CLUSTER));
        assertEquals("role-vpc-flow-logs-dr-dev", dr.name(ResourceType.IAM_ROLE, "vpc-flow-logs"));
        assertEquals("aurora-global-dev", dr.name(ResourceType.RDS_GLOBAL_CLUSTER));
        assertEquals("aurora-dev", global.name(ResourceType.RDS_CLUSTER));
    }

    @Test
    void typesWithoutQualifierRejectOne() {
        assertThrows(IllegalArgumentException.class, () -> global.name(ResourceType.VPC, "x"));
    }

    @Test
    void boundIsComputedFromTheTightestLimit() {
        // s3-payments-<12-digit account>-primary-<suffix> must fit S3's 63 characters
        int expected = 63 - "s3-payments-".length() - "123456789012-".length() - "primary-".length();
        assertEquals(expected, Naming.maxSuffixLength());
        assertEquals(ResourceType.S3_BUCKET, Naming.tightestType());
        for (ResourceType type : ResourceType.values()) {
            String qualifier = type.maxQualifierLength() == 0 ? null : "q".repeat(type.maxQualifierLength());
            int length = Naming.global("s".repeat(Naming.maxSuffixLength())).forRegion(RegionRole.PRIMARY)
                    .name(type, qualifier).length();
            assertTrue(length <= type.maxLength(), type + " is " + length + " > " + type.maxLength());
        }
    }

    @Test
    void defaultTagsAreTheMandatoryOnesPlusTheSuffixInStableOrder() {
        Map<String, String> tags = Tags.defaults("dev");
        assertEquals("{CostCenter=Operations, Criticality=High, Environment=DR, EnvironmentSuffix=dev}",
                tags.toString());
        assertEquals(Map.of("Name", "x"), Tags.name("x"));
    }
}
