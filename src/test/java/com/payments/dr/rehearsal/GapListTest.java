package com.payments.dr.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in emulator gaps: parsed strictly, compared exactly with a second plan's diffs. */
class GapListTest {

    static final Path CHECKED_IN = Path.of("src/rehearsal/emulator-gaps.txt");

    private static PlanReading.Diff diff(String type, String attribute) {
        return new PlanReading.Diff(type + ".x", type, attribute, "update", false, "a", "b");
    }

    @Test
    void linesAreKeyAndReasonCommentsAndBlankLinesAside() {
        GapList gaps = GapList.parse("# header\n\naws_lambda_function.kms_key_arn   moto does not store it\n"
                + "  aws_sns_topic.*\tthe whole resource\n");
        assertEquals(Map.of("aws_lambda_function.kms_key_arn", "moto does not store it",
                "aws_sns_topic.*", "the whole resource"), gaps.reasons());
    }

    @Test
    void aMalformedLineAMissingReasonOrADuplicateIsRefusedWithItsLine() {
        assertEquals("emulator gap list, line 2: 'aws_lambda_function' is not <resource type>.<attribute>",
                assertThrows(IllegalArgumentException.class, () -> GapList.parse("# x\naws_lambda_function reason"))
                        .getMessage());
        assertEquals("emulator gap list, line 1: aws_vpc.cidr_block has no reason",
                assertThrows(IllegalArgumentException.class, () -> GapList.parse("aws_vpc.cidr_block")).getMessage());
        assertEquals("emulator gap list, line 2: aws_vpc.tags is listed twice",
                assertThrows(IllegalArgumentException.class, () -> GapList.parse("aws_vpc.tags a\naws_vpc.tags b"))
                        .getMessage());
    }

    @Test
    void theComparisonNamesListedUnlistedAndVanishedKeysOnceEach() {
        GapList gaps = GapList.parse("aws_lambda_function.kms_key_arn a\naws_rds_cluster_instance.performance_insights_enabled b\n");
        GapList.Comparison exact = gaps.compare(List.of(diff("aws_lambda_function", "kms_key_arn"),
                diff("aws_lambda_function", "kms_key_arn"), diff("aws_rds_cluster_instance", "performance_insights_enabled")));
        assertTrue(exact.exact());
        assertEquals(List.of("aws_lambda_function.kms_key_arn", "aws_rds_cluster_instance.performance_insights_enabled"),
                exact.listed());
        GapList.Comparison changed = gaps.compare(List.of(diff("aws_lambda_function", "kms_key_arn"),
                diff("aws_subnet", "availability_zone")));
        assertFalse(changed.exact());
        assertEquals(List.of("aws_subnet.availability_zone"), changed.unlisted());
        assertEquals(List.of("aws_rds_cluster_instance.performance_insights_enabled"), changed.vanished());
        GapList.Comparison onlyVanished = gaps.compare(List.of(diff("aws_lambda_function", "kms_key_arn")));
        assertEquals(List.of(), onlyVanished.unlisted());
        assertFalse(onlyVanished.exact(), "a listed gap that no longer shows is not exact either");
        assertFalse(gaps.compare(List.of(diff("aws_lambda_function", "kms_key_arn"),
                diff("aws_rds_cluster_instance", "performance_insights_enabled"), diff("aws_vpc", "tags"))).exact());
    }

    @Test
    void theCheckedInListParsesAndEveryGapHasAReason() throws IOException {
        GapList gaps = GapList.parse(Files.readString(CHECKED_IN));
        assertFalse(gaps.reasons().isEmpty());
        gaps.reasons().forEach((key, reason) -> assertTrue(reason.length() > 20, key + ": " + reason));
    }
}
