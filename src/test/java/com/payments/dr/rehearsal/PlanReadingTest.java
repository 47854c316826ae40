package com.payments.dr.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counts and diffs read from Terraform's JSON, as `terraform show -json` writes it. */
class PlanReadingTest {

    /** A second plan: a no-op, an in-place update, a nested unknown, a replacement, a whole create and delete, a read. */
    static final String SECOND_PLAN = """
            {"format_version": "1.2", "resource_changes": [
              {"address": "aws_vpc.primary_vpc", "mode": "managed", "type": "aws_vpc",
               "change": {"actions": ["no-op"], "before": {"cidr_block": "10.0.0.0/16"}, "after": {"cidr_block": "10.0.0.0/16"}}},
              {"address": "aws_lambda_function.primary_fn", "mode": "managed", "type": "aws_lambda_function",
               "change": {"actions": ["update"],
                 "before": {"kms_key_arn": "", "memory_size": 1024, "snap_start": []},
                 "after": {"kms_key_arn": "arn:aws:kms:us-east-1:1:key/k", "memory_size": 1024,
                           "snap_start": [{"apply_on": "PublishedVersions"}]},
                 "after_unknown": {"snap_start": [{"optimization_status": true}], "memory_size": false}}},
              {"address": "aws_lambda_function.dr_fn", "mode": "managed", "type": "aws_lambda_function",
               "change": {"actions": ["update"], "before": {"kms_key_arn": "", "version": "1"},
                 "after": {"kms_key_arn": "arn:k"}, "after_unknown": {"version": true}}},
              {"address": "terraform_data.primary_wait", "mode": "managed", "type": "terraform_data",
               "change": {"actions": ["delete", "create"], "before": {"input": "1", "id": "a"},
                 "after": {"input": "2"}, "after_unknown": {"id": true}, "replace_paths": [["triggers_replace"]]}},
              {"address": "aws_sns_topic.extra", "mode": "managed", "type": "aws_sns_topic",
               "change": {"actions": ["create"], "before": null, "after": {"name": "t"}, "after_unknown": {"arn": true}}},
              {"address": "aws_sqs_queue.gone", "mode": "managed", "type": "aws_sqs_queue",
               "change": {"actions": ["delete"], "before": {"name": "q"}, "after": null}},
              {"address": "data.aws_region.here", "mode": "data", "type": "aws_region",
               "change": {"actions": ["read"], "before": null, "after": {}}}
            ]}
            """;

    static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void aPlanCreatesWhatItCreatesOrReplacesNeverWhatItReads() {
        assertEquals(2, PlanReading.creates(json(SECOND_PLAN)));
        assertEquals(0, PlanReading.creates(json("{\"format_version\": \"1.2\"}")));
    }

    @Test
    void aStateHoldsItsManagedResourcesInEveryModule() {
        assertEquals(3, PlanReading.managedResources(json("""
                {"values": {"root_module": {
                  "resources": [{"mode": "managed"}, {"mode": "data"}, {"mode": "managed"}],
                  "child_modules": [{"resources": [{"mode": "managed"}]}, {"child_modules": []}]}}}
                """)));
        // what terraform show -json prints for an empty state, and a state without resources
        assertEquals(0, PlanReading.managedResources(json("{\"format_version\": \"1.0\"}")));
        assertEquals(0, PlanReading.managedResources(json("{\"values\": {\"outputs\": {}}}")));
        assertEquals(0, PlanReading.managedResources(json("{\"values\": {\"root_module\": {}}}")));
    }

    @Test
    void eachChangedTopLevelAttributeIsOneDiffKeyedByTypeAndAttribute() {
        List<PlanReading.Diff> diffs = PlanReading.diffs(json(SECOND_PLAN));
        assertEquals(List.of(
                "aws_lambda_function.primary_fn kms_key_arn update false \"\" -> \"arn:aws:kms:us-east-1:1:key/k\"",
                "aws_lambda_function.primary_fn snap_start update false [] -> (known after apply)",
                "aws_lambda_function.dr_fn kms_key_arn update false \"\" -> \"arn:k\"",
                "aws_lambda_function.dr_fn version update false \"1\" -> (known after apply)",
                "terraform_data.primary_wait id delete,create true \"a\" -> (known after apply)",
                "terraform_data.primary_wait input delete,create true \"1\" -> \"2\"",
                "aws_sns_topic.extra * create false  -> ",
                "aws_sqs_queue.gone * delete false  -> "),
                diffs.stream().map(d -> d.address() + " " + d.attribute() + " " + d.actions() + " " + d.replace() + " "
                        + d.before() + " -> " + d.after()).toList());
        assertEquals(List.of("aws_lambda_function.kms_key_arn", "aws_lambda_function.snap_start",
                        "aws_lambda_function.kms_key_arn", "aws_lambda_function.version", "terraform_data.id",
                        "terraform_data.input", "aws_sns_topic.*", "aws_sqs_queue.*"),
                diffs.stream().map(PlanReading.Diff::key).toList());
        assertEquals("aws_lambda_function", diffs.get(0).type());
    }

    @Test
    void nestedUnknownsAreOnlyWhatIsMarkedTrueAndAMissingSideIsNull() {
        List<PlanReading.Diff> diffs = PlanReading.diffs(json("""
                {"resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
                  "change": {"actions": ["update"], "after": {"tags": {"a": "1"}, "grant": [{"id": "x"}]},
                    "after_unknown": {"grant": [{"id": false, "permissions": [false, null]}], "note": "x",
                                      "tags": {}}}}]}
                """));
        assertEquals(List.of("grant null -> [{\"id\":\"x\"}]", "tags null -> {\"a\":\"1\"}"),
                diffs.stream().map(d -> d.attribute() + " " + d.before() + " -> " + d.after()).toList());
    }

    @Test
    void aPlanWithoutChangesHasNoDiffs() {
        assertEquals(List.of(), PlanReading.diffs(json("{\"resource_changes\": []}")));
        assertEquals(List.of(), PlanReading.diffs(json("{}")));
    }
}
