package com.payments.dr.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IAM policy the stack attaches somewhere: its statements, where it is defined (an
 * {@code aws_iam_policy_document} data source or the resource holding literal JSON) and who uses it.
 */
public record PolicyDocument(Resource definedBy, List<Statement> statements, List<Use> uses) {

    /** A resource attribute that holds this policy ({@code aws_kms_key.policy}, {@code aws_iam_role.assume_role_policy}, …). */
    public record Use(Resource resource, String attribute) {
    }

    /** Attributes that hold a policy document, on any resource type. */
    static final List<String> POLICY_ATTRIBUTES = List.of("policy", "assume_role_policy");

    /** Every policy of the configuration; policies that cannot be read are reported to {@code unreadable}. */
    static List<PolicyDocument> all(TerraformConfig config, List<PolicyDocument.Use> unreadable) {
        List<PolicyDocument> documents = new ArrayList<>();
        for (Resource data : config.data("aws_iam_policy_document")) {
            List<Statement> statements = new ArrayList<>();
            Json.blocks(data.body().get("statement")).forEach(s -> statements.add(Statement.fromDocumentBlock(s)));
            documents.add(new PolicyDocument(data, statements, new ArrayList<>()));
        }
        for (Resource resource : config.allResources()) {
            for (String attribute : POLICY_ATTRIBUTES) {
                String policy = resource.string(attribute);
                if (policy != null) {
                    attach(config, documents, new Use(resource, attribute), policy, unreadable);
                }
            }
            // aws_iam_role's inline_policy blocks
            for (JsonObject inline : resource.blocks("inline_policy")) {
                String policy = Json.string(inline, "policy");
                if (policy != null) {
                    attach(config, documents, new Use(resource, "inline_policy"), policy, unreadable);
                }
            }
        }
        return documents;
    }

    private static void attach(TerraformConfig config, List<PolicyDocument> documents, Use use, String value,
                               List<Use> unreadable) {
        Optional<Resource> data = config.dataReference(value, "aws_iam_policy_document");
        if (data.isPresent()) {
            documents.stream().filter(d -> d.definedBy() == data.get()).forEach(d -> d.uses().add(use));
            return;
        }
        Optional<List<Statement>> literal = parse(value);
        if (literal.isPresent()) {
            documents.add(new PolicyDocument(use.resource(), literal.get(), new ArrayList<>(List.of(use))));
        } else {
            unreadable.add(use);
        }
    }

    static Optional<List<Statement>> parse(String json) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                return Optional.empty();
            }
            JsonElement statement = root.getAsJsonObject().get("Statement");
            if (statement == null) {
                return Optional.empty();
            }
            List<Statement> statements = new ArrayList<>();
            Json.blocks(statement).forEach(s -> statements.add(Statement.fromJson(s)));
            return Optional.of(statements);
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    /** Only KMS key policies: there {@code *} means the key itself, it cannot be written otherwise. */
    public boolean isKeyPolicy() {
        return !uses.isEmpty() && uses.stream().allMatch(u -> u.resource().type().equals("aws_kms_key"));
    }

    /** Whether a Deny statement refuses every request to {@code service} made without TLS. */
    public boolean deniesInsecureTransport(String service) {
        return statements.stream().anyMatch(s -> s.deniesInsecureTransport(service));
    }
}
