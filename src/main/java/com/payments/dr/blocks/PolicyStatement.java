package com.payments.dr.blocks;

import java.util.List;

/**
 * One IAM policy statement, built in Java and written as policy JSON by {@link Iam#policy}. Not an
 * {@code aws_iam_policy_document} data source: each of those costs a jsii object, a round trip for
 * its {@code json} and a data source Terraform must read at every plan, while the JSON is the same
 * (references to other resources stay Terraform interpolations inside the string).
 */
public record PolicyStatement(String sid, String effect, List<String> actions, List<String> resources,
                              List<Principal> principals, List<Condition> conditions) {

    /** {@code type} is {@code AWS} or {@code Service}. */
    public record Principal(String type, List<String> identifiers) {
    }

    /** One condition key: {@code {"<test>": {"<variable>": [values]}}}. */
    public record Condition(String test, String variable, List<String> values) {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String sid;
        private String effect = "Allow";
        private List<String> actions = List.of();
        private List<String> resources = List.of();
        private List<Principal> principals = List.of();
        private List<Condition> conditions = List.of();

        private Builder() {
        }

        public Builder sid(String sid) {
            this.sid = sid;
            return this;
        }

        public Builder effect(String effect) {
            this.effect = effect;
            return this;
        }

        public Builder actions(List<String> actions) {
            this.actions = List.copyOf(actions);
            return this;
        }

        public Builder resources(List<String> resources) {
            this.resources = List.copyOf(resources);
            return this;
        }

        public Builder principals(List<Principal> principals) {
            this.principals = List.copyOf(principals);
            return this;
        }

        public Builder condition(List<Condition> conditions) {
            this.conditions = List.copyOf(conditions);
            return this;
        }

        public PolicyStatement build() {
            return new PolicyStatement(sid, effect, actions, resources, principals, List.copyOf(conditions));
        }
    }
}
