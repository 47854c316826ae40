package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy JSON the stack writes: IAM's grammar, in the order given, references untouched. */
class IamPolicyTest {

    @Test
    void principalsOfOneTypeAndConditionsOfOneOperatorAreMerged() {
        String policy = Iam.policy(List.of(Iam.statement("Publish", List.of("sns:Publish"))
                .principals(List.of(Iam.service("cloudwatch.amazonaws.com"), Iam.aws("arn:aws:iam::1:root"),
                        Iam.service("events.amazonaws.com")))
                .resources(List.of("${aws_sns_topic.t.arn}"))
                .condition(List.of(Iam.condition("StringEquals", "aws:SourceAccount", "${data.a.b}"),
                        Iam.condition("ArnLike", "aws:SourceArn", List.of("arn:aws:cloudwatch:*", "arn:aws:events:*")),
                        Iam.condition("StringEquals", "kms:CallerAccount", "1")))
                .build()));
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Publish\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":[\"cloudwatch.amazonaws.com\",\"events.amazonaws.com\"],"
                + "\"AWS\":[\"arn:aws:iam::1:root\"]},\"Action\":[\"sns:Publish\"],"
                + "\"Resource\":[\"${aws_sns_topic.t.arn}\"],\"Condition\":{\"StringEquals\":{"
                + "\"aws:SourceAccount\":[\"${data.a.b}\"],\"kms:CallerAccount\":[\"1\"]},"
                + "\"ArnLike\":{\"aws:SourceArn\":[\"arn:aws:cloudwatch:*\",\"arn:aws:events:*\"]}}}]}", policy);
    }

    @Test
    void aStatementWithoutSidOrResourcesHasNeither() {
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"s3:*\"]}]}",
                Iam.policy(List.of(PolicyStatement.builder().effect("Deny").actions(List.of("s3:*")).build())));
    }

    @Test
    void charactersAreNotHtmlEscaped() {
        // gson's default would write "=" as \u003d: valid JSON, but unreadable in a plan
        String policy = Iam.policy(List.of(Iam.allow("A", List.of("s3:GetObject"), List.of("arn:aws:s3:::b/k=v&<x>"))));
        assertEquals(true, policy.contains("arn:aws:s3:::b/k=v&<x>"), policy);
    }

    @Test
    void oneConditionKeyTwiceAndEmptyPoliciesAreRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Iam.policy(List.of(
                Iam.statement("Twice", List.of("kms:Decrypt")).condition(List.of(
                        Iam.condition("StringEquals", "kms:ViaService", "a"),
                        Iam.condition("StringEquals", "kms:ViaService", "b"))).build())));
        assertEquals("statement Twice names StringEquals kms:ViaService twice", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Iam.policy(List.of()));
    }
}
