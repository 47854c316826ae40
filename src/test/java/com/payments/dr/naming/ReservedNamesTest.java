package com.payments.dr.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.config.ConfigException;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import org.junit.jupiter.api.Test;

/** Names AWS refuses are refused here first: at synth, not in the middle of an apply. */
class ReservedNamesTest {

    @Test
    void noTypeStartsWithAPrefixAwsReserves() {
        for (ResourceType type : ResourceType.values()) {
            for (RegionRole role : RegionRole.values()) {
                String name = Naming.global("dev").forRegion(role)
                        .name(type, type.maxQualifierLength() == 0 ? null : "x");
                assertNull(type.reservedProblem(name), name);
            }
        }
        assertEquals("secgroup-function-dev", Naming.global("dev").name(ResourceType.SECURITY_GROUP, "function"));
    }

    @Test
    void reservedBeginningsAndEndingsAreRefused() {
        assertTrue(ResourceType.SECURITY_GROUP.reservedProblem("sg-database-dev").contains("sg-"));
        assertTrue(ResourceType.KMS_ALIAS.reservedProblem("alias/aws/lambda").contains("alias/aws/"));
        assertTrue(ResourceType.S3_BUCKET.reservedProblem("xn--payments").contains("xn--"));
        assertTrue(ResourceType.S3_BUCKET.reservedProblem("payments-s3alias").contains("-s3alias"));
        assertNull(ResourceType.VPC.reservedProblem("sg-anything"));
    }

    @Test
    void aNameThatWouldBeRefusedIsNeverMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Naming.global("s3alias").forRegion(RegionRole.DR).name(ResourceType.S3_BUCKET, "123456789012"));
        assertTrue(e.getMessage().contains("-s3alias"), e.getMessage());
    }

    @Test
    void aSuffixThatMakesAReservedNameIsABadSetting() {
        assertNull(Naming.suffixProblem("dev"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> DrConfig.builder().environmentSuffix("team-s3alias").build());
        assertEquals(Setting.ENVIRONMENT_SUFFIX, e.setting());
        assertEquals("invalid ENVIRONMENT_SUFFIX=\"team-s3alias\": allowed: a suffix that makes no S3_BUCKET name"
                + " AWS refuses (AWS reserves names ending with -s3alias)", e.getMessage());
    }
}
