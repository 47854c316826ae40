package com.payments.dr.blocks;

import com.hashicorp.cdktf.Postcondition;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_random_password.DataAwsSecretsmanagerRandomPassword;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_secret_version.DataAwsSecretsmanagerSecretVersion;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecret;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecretReplica;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret_version.SecretsmanagerSecretVersion;
import com.payments.dr.config.MerchantKey;
import com.payments.dr.naming.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The value of every merchant's API key, generated once and kept in a Secrets Manager secret of its
 * own (replicated to the DR region, like the master secret), from which Terraform gives both
 * regions' API keys the same value: a client's key is then accepted in whichever region serves it.
 *
 * <p>The value exists only in Terraform state and in the secret (and in API Gateway, which holds
 * every key's value): never in code, the repository or the synthesized JSON, where the keys'
 * {@code value} is an expression reading the secret. As for the master password, the generator
 * yields a new value on every plan: the secret's first version is the one that counts
 * ({@code ignore_changes}), and the keys read the secret's current version, so a value changed in
 * the secret by hand reaches both regions on the next apply. The secret holds the key itself
 * (no JSON), so a merchant's server reads it with {@code --query SecretString --output text}.
 */
public final class MerchantKeySecrets extends Construct {

    /** API Gateway accepts imported key values of at least 20 characters; 40 alphanumerics is about 238 bits. */
    static final int KEY_LENGTH = 40;

    /** One key's secret: its ARN, the replica's ARN and the Terraform expression of its current value. */
    public record KeySecret(String arn, String replicaArn, String value) {
    }

    private final Map<MerchantKey, KeySecret> secrets = new LinkedHashMap<>();

    /**
     * @param home    where the secrets live (the primary region)
     * @param replica the DR region, where each secret has a replica under {@code replicaKeyArn}
     */
    public MerchantKeySecrets(Construct scope, String id, RegionContext home, String homeKeyArn,
                              RegionContext replica, String replicaKeyArn, List<MerchantKey> keys) {
        super(scope, id);
        for (MerchantKey key : keys) {
            String logical = key.qualifier().replace('-', '_');
            DataAwsSecretsmanagerRandomPassword generated = DataAwsSecretsmanagerRandomPassword.Builder.create(this,
                            logical + "_generated")
                    .provider(home.provider())
                    .passwordLength(KEY_LENGTH)
                    // letters and digits only: safe in a header, a shell and a URL alike
                    .excludePunctuation(true)
                    .includeSpace(false)
                    .build();
            SecretsmanagerSecret secret = SecretsmanagerSecret.Builder.create(this, logical + "_secret")
                    .provider(home.provider())
                    .name(home.naming().name(ResourceType.SECRET, "merchant-key-" + key.qualifier()))
                    .description("API key of merchant " + key.merchant() + " (generation " + key.generation()
                            + "), the same value in both regions' APIs")
                    .kmsKeyId(homeKeyArn)
                    .recoveryWindowInDays(home.production() ? 30 : 0)
                    .replica(List.of(SecretsmanagerSecretReplica.builder()
                            .region(replica.region())
                            .kmsKeyId(replicaKeyArn)
                            .build()))
                    .forceOverwriteReplicaSecret(true)
                    .lifecycle(TerraformResourceLifecycle.builder().postcondition(List.of(Postcondition.builder()
                            .condition("${alltrue([for replica in self.replica : replica.status != \"Failed\"])}")
                            .errorMessage("The replica of merchant key " + key + " failed to sync: see status_message"
                                    + " in `aws secretsmanager describe-secret`")
                            .build())).build())
                    .build();
            String arn = secret.getArn();
            SecretsmanagerSecretVersion first = SecretsmanagerSecretVersion.Builder.create(this, logical + "_first_value")
                    .provider(home.provider())
                    .secretId(secret.getId())
                    .secretString(generated.getRandomPassword())
                    .lifecycle(TerraformResourceLifecycle.builder().ignoreChanges(List.of("secret_string")).build())
                    .build();
            DataAwsSecretsmanagerSecretVersion current = DataAwsSecretsmanagerSecretVersion.Builder.create(this,
                            logical + "_current")
                    .provider(home.provider())
                    .secretId(arn)
                    .dependsOn(List.of(first))
                    .build();
            String replicaArn = com.hashicorp.cdktf.Fn.replace(arn, ":" + home.region() + ":", ":" + replica.region() + ":");
            secrets.put(key, new KeySecret(arn, replicaArn, current.getSecretString()));
        }
    }

    /** The secret of {@code key}, one of the keys it was built with. */
    public KeySecret secret(MerchantKey key) {
        return secrets.get(key);
    }

    /** Every key's secret, in MERCHANTS order. */
    public Map<MerchantKey, KeySecret> all() {
        return java.util.Collections.unmodifiableMap(secrets);
    }
}
