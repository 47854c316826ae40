"""The AWS emulator of `./main --rehearse`: moto's server (moto 5.2.x, as the machine image carries
it) with the few gaps the rehearsal hits closed at run time. Nothing of moto is copied here: each
gap is one small function that replaces or wraps exactly one moto method.

    python3 src/rehearsal/emulator.py PORT_FILE

binds 127.0.0.1 on a free port, writes the port to PORT_FILE once it accepts requests, and serves
until it is terminated. Only loopback: the server is never reachable from another machine.

Adding a gap: write a function below decorated with @gap("what moto does not do (service, API)").
It runs at start, before the server binds; let it fail loudly (an AttributeError at start) when a
moto upgrade removes what it patches, rather than rehearse against an unpatched emulator. A gap
here makes the emulator do what AWS does where the rehearsal cannot go on without it, or where a
value moto does not store would spread into other diffs (a new function version, a re-run waiter).
A value moto does not store whose diff stays on its own resource belongs in
src/rehearsal/emulator-gaps.txt instead, with its reason.
"""
import functools
import os
import sys

PATCHES = []


def gap(reason):
    """Registers a patch; `reason` is printed at start so the rehearsal's log says what was changed."""
    def register(function):
        PATCHES.append((function.__name__, reason, function))
        return function
    return register


@gap("CloudWatch: PutCompositeAlarm is not implemented (PutMetricAlarm stores AlarmRule already)")
def composite_alarms():
    from moto.cloudwatch.responses import CloudWatchResponse
    CloudWatchResponse.put_composite_alarm = CloudWatchResponse.put_metric_alarm


@gap("DynamoDB: UpdateTable ignores ReplicaUpdates, so a global table's replica never appears")
def dynamodb_replicas():
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler

    original_update = DynamoHandler.update_table
    original_describe = Table.describe

    @functools.wraps(original_update)
    def update_table(self):
        result = original_update(self)
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        replicas = table.__dict__.setdefault("rehearsal_replicas", {})
        for update in self.body.get("ReplicaUpdates") or []:
            if "Create" in update:
                region = update["Create"]["RegionName"]
                backend = dynamodb_backends[table.account_id][region]
                if table.name not in backend.tables:
                    backend.create_table(
                        name=table.name, schema=table.schema, throughput=None, attr=table.attr,
                        global_indexes=[i.describe() for i in table.global_indexes], indexes=None,
                        streams=table.stream_specification, billing_mode=table.billing_mode,
                        sse_specification={"Enabled": True, "SSEType": "KMS",
                                           **({"KMSMasterKeyId": update["Create"]["KMSMasterKeyId"]}
                                              if update["Create"].get("KMSMasterKeyId") else {})},
                        tags=[], deletion_protection_enabled=False, warm_throughput=None)
                replicas[region] = update["Create"].get("KMSMasterKeyId")
            elif "Delete" in update:
                region = update["Delete"]["RegionName"]
                replicas.pop(region, None)
                dynamodb_backends[table.account_id][region].tables.pop(table.name, None)
        return type(result)(table.describe()) if replicas or self.body.get("ReplicaUpdates") else result

    @functools.wraps(original_describe)
    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        replicas = self.__dict__.get("rehearsal_replicas")
        if replicas:
            result[base_key]["Replicas"] = [
                {"RegionName": region, "ReplicaStatus": "ACTIVE",
                 **({"KMSMasterKeyId": key} if key else {})}
                for region, key in replicas.items()]
        return result

    DynamoHandler.update_table = update_table
    Table.describe = describe


@gap("API Gateway: UpdateAccount replacing /cloudwatchRoleArn without a value (how the provider's"
     " reset_on_delete clears the setting) fails with a KeyError; AWS clears it")
def apigateway_account_reset():
    from moto.apigateway.models import Account

    original = Account.apply_patch_operations

    @functools.wraps(original)
    def apply(self, patch_operations):
        operations = [dict(op, value=op.get("value") or None) if "/cloudwatchRoleArn" in op["path"] else op
                      for op in patch_operations]
        return original(self, operations)

    Account.apply_patch_operations = apply


@gap("RDS: DescribeOrderableDBInstanceOptions lists aurora-postgresql up to 15.2 only, every entry with"
     " us-east-1's zones: a version newer than the newest listed is answered with the newest one's"
     " options (an older unlisted one stays unorderable), and the zones are the asking region's")
def orderable_versions():
    from moto.ec2.models import ec2_backends
    from moto.rds.models import RDSBackend

    original = RDSBackend.describe_orderable_db_instance_options

    def version_key(version):
        return [int(part) if part.isdigit() else 0 for part in version.split(".")]

    @functools.wraps(original)
    def describe(self, engine, engine_version):
        options = original(self, engine, None)
        if not options:
            return options
        newest = max({option["EngineVersion"] for option in options}, key=version_key)
        if engine_version and version_key(engine_version) > version_key(newest):
            options = [dict(option, EngineVersion=engine_version)
                       for option in options if option["EngineVersion"] == newest]
        elif engine_version:
            options = [option for option in options if option["EngineVersion"] == engine_version]
        zones = [{"Name": zone.name} for zone in
                 ec2_backends[self.account_id][self.region_name].describe_availability_zones()]
        return [dict(option, AvailabilityZones=zones) for option in options]

    RDSBackend.describe_orderable_db_instance_options = describe


@gap("RDS: a new DB instance's CA is rds-ca-default; AWS's default for new instances is"
     " rds-ca-rsa2048-g1, and a stack that names it would be modified and rebooted after every create")
def default_ca():
    from moto.rds.models import DBInstance

    original = DBInstance.__init__

    @functools.wraps(original)
    def init(self, *args, **kwargs):
        if not kwargs.get("ca_certificate_identifier"):
            kwargs["ca_certificate_identifier"] = "rds-ca-rsa2048-g1"
        original(self, *args, **kwargs)

    DBInstance.__init__ = init


def _global_cluster(account_id, identifier):
    """A global cluster lives in one regional backend of moto; AWS has it in every region."""
    from moto.rds.models import rds_backends
    identifier = identifier.split(":")[-1].lower()
    for backend in rds_backends[account_id].values():
        if identifier in backend.global_clusters:
            return backend, backend.global_clusters[identifier]
    return None, None


@gap("RDS: CreateGlobalCluster drops its Tags, and tagging calls reject a global cluster's ARN (it has"
     " no region)")
def global_cluster_tags():
    from moto.rds.models import RDSBackend
    from moto.rds.responses import RDSResponse

    original_find = RDSBackend._get_resource_for_tagging
    original_create = RDSResponse.create_global_cluster

    @functools.wraps(original_find)
    def find(self, arn):
        if ":global-cluster:" in arn:
            return _global_cluster(self.account_id, arn)[1]
        return original_find(self, arn)

    @functools.wraps(original_create)
    def create(self):
        result = original_create(self)
        tags = self.params.get("Tags")
        if tags:
            _global_cluster(self.current_account, self.params["GlobalClusterIdentifier"])[1].add_tags(tags)
        return result

    RDSBackend._get_resource_for_tagging = find
    RDSResponse.create_global_cluster = create


@gap("RDS: RemoveFromGlobalCluster (and deleting a member) only finds a global cluster created in"
     " the same region, so a secondary is never detached and the global cluster never deleted")
def global_cluster_members():
    from moto.rds.models import RDSBackend

    def remove(self, global_cluster_identifier, db_cluster_identifier):
        _, global_cluster = _global_cluster(self.account_id, global_cluster_identifier)
        if global_cluster is None:
            return None
        wanted = db_cluster_identifier.lower()
        for member in list(global_cluster.members):
            if wanted in (member.db_cluster_arn.lower(), member.db_cluster_identifier.lower()):
                global_cluster.members.remove(member)
                member.global_cluster_identifier = None
                member.is_writer = True
        return global_cluster

    original_delete = RDSBackend.delete_db_cluster

    @functools.wraps(original_delete)
    def delete(self, cluster_identifier, *args, **kwargs):
        cluster = self.clusters.get(cluster_identifier)
        if cluster is not None and cluster.global_cluster_identifier:
            remove(self, cluster.global_cluster_identifier, cluster.db_cluster_arn)
        return original_delete(self, cluster_identifier, *args, **kwargs)

    RDSBackend.remove_from_global_cluster = remove
    RDSBackend.delete_db_cluster = delete


@gap("Lambda: a function's KMSKeyArn and SnapStart are not stored (GetFunction answers none and Off):"
     " patched, not listed, because the diff would publish a new version in every plan and re-run the"
     " SnapStart waiter, hiding whether an unchanged stack leaves them alone")
def lambda_key_and_snapstart():
    from moto.awslambda.models import LambdaFunction

    original_init = LambdaFunction.__init__
    original_configuration = LambdaFunction.get_configuration
    original_update = LambdaFunction.update_configuration

    @functools.wraps(original_init)
    def init(self, account_id, spec, *args, **kwargs):
        original_init(self, account_id, spec, *args, **kwargs)
        self.rehearsal_kms_key_arn = spec.get("KMSKeyArn")
        self.rehearsal_snap_start = (spec.get("SnapStart") or {}).get("ApplyOn", "None")

    @functools.wraps(original_configuration)
    def configuration(self, *args, **kwargs):
        config = original_configuration(self, *args, **kwargs)
        if getattr(self, "rehearsal_kms_key_arn", None):
            config["KMSKeyArn"] = self.rehearsal_kms_key_arn
        apply_on = getattr(self, "rehearsal_snap_start", "None")
        config["SnapStart"] = {"ApplyOn": apply_on,
                               "OptimizationStatus": "On" if apply_on == "PublishedVersions" else "Off"}
        return config

    @functools.wraps(original_update)
    def update(self, config_updates):
        if "KMSKeyArn" in config_updates:
            self.rehearsal_kms_key_arn = config_updates["KMSKeyArn"]
        if "SnapStart" in config_updates:
            self.rehearsal_snap_start = (config_updates["SnapStart"] or {}).get("ApplyOn", "None")
        return original_update(self, config_updates)

    LambdaFunction.__init__ = init
    LambdaFunction.get_configuration = configuration
    LambdaFunction.update_configuration = update


@gap("Secrets Manager: a replica's KmsKeyId is not stored (always alias/aws/secretsmanager): patched, not"
     " listed, because the diff leaves the secret changing in every plan, and with it the master password"
     " the primary cluster reads from the secret")
def secret_replica_keys():
    from moto.secretsmanager.models import FakeSecret

    original = FakeSecret.create_replicas

    @functools.wraps(original)
    def create_replicas(self, replica_regions, force_overwrite):
        replicas = original(self, replica_regions, force_overwrite)
        for replica, config in zip(replicas, replica_regions or []):
            if config.get("KmsKeyId"):
                replica.config["KmsKeyId"] = config["KmsKeyId"]
        return replicas

    FakeSecret.create_replicas = create_replicas


@gap("RDS: every cluster answers a ScalingConfigurationInfo of nulls; AWS gives one only to Serverless v1"
     " (engine mode serverless) clusters, and the provider plans the nulls away on every run")
def scaling_configuration_only_for_serverless_v1():
    from moto.rds.models import DBCluster

    original = DBCluster.scaling_configuration_info

    def info(self):
        return original.fget(self) if self.engine_mode == "serverless" else None

    DBCluster.scaling_configuration_info = property(info)


@gap("Lambda: function code is never run (no Docker here); an invocation answers a fixed JSON"
     " result instead of moto's default, which is the payload echoed back (the migrator's payload"
     " holds the owner's credentials) or plain text, and which the deploy-time migrator check rejects;"
     " a payload that is not JSON is refused, as AWS refuses it (InvalidRequestContentException)")
def lambda_without_code():
    import json
    from moto.awslambda_simple.models import LambdaSimpleBackend
    from moto.core.config import default_user_config
    from moto.core.exceptions import JsonRESTError

    default_user_config["lambda"]["use_docker"] = False
    original = LambdaSimpleBackend.invoke

    @functools.wraps(original)
    def invoke(self, function_name, qualifier, body, headers, response_headers):
        if body:
            try:
                json.loads(body)
            except ValueError:
                raise JsonRESTError("InvalidRequestContentException",
                                    "Could not parse request body into json")
        if not self.lambda_simple_results_queue:
            self.lambda_simple_results_queue.append(
                '{"result":"not run: the emulator does not run function code"}')
        return original(self, function_name, qualifier, body, headers, response_headers)

    LambdaSimpleBackend.invoke = invoke

@gap("IAM: AWS managed policies are loaded only when asked, so AttachRolePolicy answers NoSuchEntity for"
     " arn:aws:iam::aws:policy/...; AWS has them in every account (moto carries them: loaded)")
def iam_managed_policies():
    from moto.core.config import default_user_config

    default_user_config["iam"]["load_aws_managed_policies"] = True


@gap("S3: PutBucketLogging accepts the target bucket's policy only when its Principal.Service, Action and"
     " Resource are single strings; IAM allows lists (the stack's log buckets use them) and AWS reads both")
def s3_logging_policy_lists():
    import json
    from moto.s3.models import FakeBucket
    from moto.s3.utils import LOGGING_SERVICE_PRINCIPAL

    def listed(value):
        return value if isinstance(value, list) else [value] if value else []

    def permitted(target_bucket, target_prefix):
        if not target_bucket.policy:
            return False
        base = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}"
        accepted = {f"{base}/{target_prefix or ''}*", f"{base}/*", base}
        for statement in json.loads(target_bucket.policy.decode())["Statement"]:
            principal = statement.get("Principal")
            services = listed(principal.get("Service")) if isinstance(principal, dict) else []
            if (statement.get("Effect") == "Allow" and LOGGING_SERVICE_PRINCIPAL in services
                    and "s3:PutObject" in listed(statement.get("Action"))
                    and accepted & set(listed(statement.get("Resource")))):
                return True
        return False

    FakeBucket._log_permissions_enabled_policy = staticmethod(permitted)


@gap("Route 53: CreateQueryLoggingConfig never finds the log group (it wants the ARN with ':*' and reads a"
     " page of groups wrongly); AWS takes the ARN as the provider gives it, without ':*'. Patched to find it"
     " in us-east-1 and, as AWS does, to refuse it unless a CloudWatch Logs resource policy there lets"
     " route53.amazonaws.com create streams and put events in it")
def route53_query_log_group():
    import fnmatch
    import json
    from moto.logs import logs_backends
    from moto.route53 import models
    from moto.route53.exceptions import (InvalidCloudWatchArn, NoSuchCloudWatchLogsLogGroup,
                                         QueryLoggingConfigAlreadyExists, Route53ClientError)

    def listed(value):
        return value if isinstance(value, list) else [value] if value else []

    def allows_route53(policy, arn):
        for statement in json.loads(policy.policy_document)["Statement"]:
            principal = statement.get("Principal")
            services = listed(principal.get("Service")) if isinstance(principal, dict) else []
            actions = listed(statement.get("Action"))
            if (statement.get("Effect") == "Allow" and "route53.amazonaws.com" in services
                    and all(a in actions or "logs:*" in actions for a in ("logs:CreateLogStream", "logs:PutLogEvents"))
                    and any(fnmatch.fnmatchcase(arn + ":log-stream:x", r) or fnmatch.fnmatchcase(arn + ":*", r)
                            for r in listed(statement.get("Resource")))):
                return True
        return False

    def create(self, hosted_zone_id, log_group_arn):
        self.get_hosted_zone(hosted_zone_id)
        if not log_group_arn or not models.LOGS_GROUP_ARN_REGEX.match(log_group_arn):
            raise InvalidCloudWatchArn()
        arn = log_group_arn.removesuffix(":*")
        logs = logs_backends[self.account_id][models.LOGS_GROUP_REGION]
        if arn.split(":log-group:", 1)[1] not in logs.groups:
            raise NoSuchCloudWatchLogsLogGroup()
        if not any(allows_route53(policy, arn) for policy in logs.resource_policies.values()):
            raise Route53ClientError("InsufficientCloudWatchLogsResourcePolicy",
                                     "The resource policy that you're using for Route 53 query logging doesn't"
                                     " grant Route 53 sufficient permission to create a log stream in the"
                                     " specified log group.")
        if any(c.hosted_zone_id == hosted_zone_id for c in self.query_logging_configs.values()):
            raise QueryLoggingConfigAlreadyExists()
        config = models.QueryLoggingConfig(str(models.random.uuid4()), hosted_zone_id, log_group_arn)
        self.query_logging_configs[config.id] = config
        return config

    models.Route53Backend.create_query_logging_config = create


@gap("Route 53: DNSSEC signing is not implemented (CreateKeySigningKey, EnableHostedZoneDNSSEC and the rest"
     " answer 404; GetDNSSEC always NOT_SIGNING). Patched: key-signing keys and the signing status kept per"
     " zone, the DS and DNSKEY records computed from the KMS key's public key, and what AWS refuses refused: a"
     " key that is not an ECC_NIST_P256 SIGN_VERIFY key in us-east-1 whose policy lets"
     " dnssec-route53.amazonaws.com sign, signing without an active key, deactivating the last active key of a"
     " signed zone, deleting an active key")
def route53_dnssec():
    import base64
    import hashlib
    import json
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.kms.models import kms_backends
    from moto.route53 import urls
    from moto.route53.exceptions import Route53ClientError
    from moto.route53.responses import Route53

    prefix = r"{0}/(?P<api_version>[\d_-]+)"
    urls.url_paths[prefix + r"/keysigningkey$"] = Route53.dispatch
    urls.url_paths[prefix + r"/keysigningkey/(?P<zone_id>[^/]+)/(?P<ksk_name>[^/]+)$"] = Route53.dispatch
    urls.url_paths[prefix + r"/keysigningkey/(?P<zone_id>[^/]+)/(?P<ksk_name>[^/]+)/(?P<ksk_action>activate|deactivate)$"] = Route53.dispatch
    urls.url_paths[prefix + r"/hostedzone/(?P<zone_id>[^/]+)/(?P<dnssec_action>enable|disable)-dnssec$"] = Route53.dispatch

    def state(response, zone_id):
        zone = response.backend.get_hosted_zone(zone_id)
        return zone, zone.__dict__.setdefault("rehearsal_dnssec", {"signing": "NOT_SIGNING", "keys": {}})

    def change():
        return {"Id": "/change/C" + hashlib.sha1(str(utcnow()).encode()).hexdigest()[:12].upper(),
                "Status": "INSYNC", "SubmittedAt": utcnow()}

    def signing_key(response, arn):
        parts = arn.split(":")
        key = None
        if len(parts) == 6 and parts[3] == "us-east-1":
            key = kms_backends[parts[4]]["us-east-1"].keys.get(parts[5].split("/")[-1])
        if key is None or key.key_spec != "ECC_NIST_P256" or key.key_usage != "SIGN_VERIFY":
            raise Route53ClientError("InvalidKMSArn", "The KeyManagementServiceArn must be an ECC_NIST_P256"
                                     " SIGN_VERIFY customer managed key in us-east-1: " + arn)
        for statement in json.loads(key.policy)["Statement"]:
            principal = statement.get("Principal")
            services = principal.get("Service") if isinstance(principal, dict) else None
            services = services if isinstance(services, list) else [services]
            actions = statement.get("Action")
            actions = actions if isinstance(actions, list) else [actions]
            if (statement.get("Effect") == "Allow" and "dnssec-route53.amazonaws.com" in services
                    and {"kms:Sign", "kms:GetPublicKey", "kms:DescribeKey"} <= set(actions)):
                return key
        raise Route53ClientError("InvalidKMSArn", "The key policy of " + arn + " does not let"
                                 " dnssec-route53.amazonaws.com use the key for signing")

    def records(zone, key):
        numbers = key.private_key.private_key.public_key().public_numbers()
        public = numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")
        rdata = (257).to_bytes(2, "big") + bytes([3, 13]) + public
        tag = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
        tag = (tag + (tag >> 16)) & 0xFFFF
        owner = b"".join(bytes([len(label)]) + label.lower().encode()
                         for label in zone.name.rstrip(".").split(".")) + b"\0"
        digest = hashlib.sha256(owner + rdata).hexdigest().upper()
        encoded = base64.b64encode(public).decode()
        return {"KeyTag": tag, "DigestValue": digest, "PublicKey": encoded,
                "DSRecord": f"{tag} 13 2 {digest}", "DNSKEYRecord": f"257 3 13 {encoded}"}

    def create_key_signing_key(self):
        zone_id, name = self._get_param("HostedZoneId"), self._get_param("Name")
        zone, dnssec = state(self, zone_id)
        if name in dnssec["keys"]:
            raise Route53ClientError("KeySigningKeyAlreadyExists", f"Key-signing key {name} already exists")
        arn = self._get_param("KeyManagementServiceArn")
        now = utcnow()
        ksk = {"Name": name, "KmsArn": arn, "Flag": 257, "SigningAlgorithmMnemonic": "ECDSAP256SHA256",
               "SigningAlgorithmType": 13, "DigestAlgorithmMnemonic": "SHA-256", "DigestAlgorithmType": 2,
               "Status": self._get_param("Status"), "CreatedDate": now, "LastModifiedDate": now,
               **records(zone, signing_key(self, arn))}
        dnssec["keys"][name] = ksk
        return ActionResult({"ChangeInfo": change(), "KeySigningKey": ksk,
                             "Location": f"https://route53.amazonaws.com/2013-04-01/keysigningkey/{zone_id}/{name}"})

    def found(self):
        _, dnssec = state(self, self._get_param("HostedZoneId"))
        ksk = dnssec["keys"].get(self._get_param("Name"))
        if ksk is None:
            raise Route53ClientError("NoSuchKeySigningKey", "No key-signing key " + self._get_param("Name"))
        return dnssec, ksk

    def set_status(ksk, status):
        ksk["Status"] = status
        ksk["LastModifiedDate"] = utcnow()
        return ActionResult({"ChangeInfo": change()})

    def activate_key_signing_key(self):
        return set_status(found(self)[1], "ACTIVE")

    def deactivate_key_signing_key(self):
        dnssec, ksk = found(self)
        others = [k for k in dnssec["keys"].values() if k is not ksk and k["Status"] == "ACTIVE"]
        if dnssec["signing"] == "SIGNING" and not others:
            raise Route53ClientError("KeySigningKeyInUse", "The zone is signed with this, its last active key:"
                                     " disable DNSSEC signing first")
        return set_status(ksk, "INACTIVE")

    def delete_key_signing_key(self):
        dnssec, ksk = found(self)
        if ksk["Status"] != "INACTIVE":
            raise Route53ClientError("InvalidKeySigningKeyStatus", "Deactivate the key-signing key first")
        del dnssec["keys"][ksk["Name"]]
        return ActionResult({"ChangeInfo": change()})

    def enable_hosted_zone_dnssec(self):
        _, dnssec = state(self, self._get_param("HostedZoneId"))
        if not any(k["Status"] == "ACTIVE" for k in dnssec["keys"].values()):
            raise Route53ClientError("KeySigningKeyWithActiveStatusNotFound", "No active key-signing key")
        dnssec["signing"] = "SIGNING"
        return ActionResult({"ChangeInfo": change()})

    def disable_hosted_zone_dnssec(self):
        _, dnssec = state(self, self._get_param("HostedZoneId"))
        dnssec["signing"] = "NOT_SIGNING"
        return ActionResult({"ChangeInfo": change()})

    def get_dnssec(self):
        _, dnssec = state(self, self._get_param("HostedZoneId"))
        return ActionResult({"Status": {"ServeSignature": dnssec["signing"]},
                             "KeySigningKeys": list(dnssec["keys"].values())})

    for method in (create_key_signing_key, activate_key_signing_key, deactivate_key_signing_key,
                   delete_key_signing_key, enable_hosted_zone_dnssec, disable_hosted_zone_dnssec, get_dnssec):
        setattr(Route53, method.__name__, method)


@gap("X-Ray: sampling rules are not implemented (CreateSamplingRule and the rest answer 404), nor X-Ray's"
     " tagging calls. Patched: rules and their tags kept per region, AWS's Default rule listed beside them")
def xray_sampling_rules():
    import json
    from moto.core.utils import unix_time
    from moto.xray import urls
    from moto.xray.responses import XRayResponse

    for operation in ("CreateSamplingRule", "GetSamplingRules", "UpdateSamplingRule", "DeleteSamplingRule",
                      "ListTagsForResource", "TagResource", "UntagResource"):
        urls.url_paths["{0}/" + operation + "$"] = XRayResponse.dispatch

    def _rules(self):
        backend = self.xray_backend
        if "rehearsal_rules" not in backend.__dict__:
            default = {"RuleName": "Default", "RuleARN": self._rule_arn("Default"), "ResourceARN": "*",
                       "Priority": 10000, "FixedRate": 0.05, "ReservoirSize": 1, "ServiceName": "*",
                       "ServiceType": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*", "Version": 1,
                       "Attributes": {}}
            backend.rehearsal_rules = {"Default": self._rule_record(default)}
            backend.rehearsal_tags = {}
        return backend.rehearsal_rules, backend.rehearsal_tags

    def _rule_arn(self, name):
        return f"arn:aws:xray:{self.region}:{self.current_account}:sampling-rule/{name}"

    def _rule_record(self, rule, created=None):
        now = unix_time()
        return {"SamplingRule": rule, "CreatedAt": created or now, "ModifiedAt": now}

    def _rule_named(self, rules, body):
        name = body.get("RuleName") or (body.get("RuleARN") or "").rpartition("/")[2]
        if name not in rules:
            return None, self._error("InvalidRequestException", f"Sampling rule {name} does not exist")
        return name, None

    def create_sampling_rule(self):
        rules, tags = self._rules()
        rule = dict(self._get_param("SamplingRule"))
        if rule["RuleName"] in rules:
            return self._error("RuleLimitExceededException", f"Sampling rule {rule['RuleName']} exists")
        rule.setdefault("Attributes", {})
        rule["RuleARN"] = self._rule_arn(rule["RuleName"])
        rules[rule["RuleName"]] = self._rule_record(rule)
        tags[rule["RuleARN"]] = {t["Key"]: t["Value"] for t in self._get_param("Tags") or []}
        return json.dumps({"SamplingRuleRecord": rules[rule["RuleName"]]})

    def get_sampling_rules(self):
        rules, _ = self._rules()
        return json.dumps({"SamplingRuleRecords": list(rules.values())})

    def update_sampling_rule(self):
        rules, _ = self._rules()
        update = self._get_param("SamplingRuleUpdate")
        name, error = self._rule_named(rules, update)
        if error:
            return error
        rule = dict(rules[name]["SamplingRule"])
        rule.update({k: v for k, v in update.items() if k not in ("RuleName", "RuleARN")})
        rules[name] = self._rule_record(rule, rules[name]["CreatedAt"])
        return json.dumps({"SamplingRuleRecord": rules[name]})

    def delete_sampling_rule(self):
        rules, tags = self._rules()
        name, error = self._rule_named(rules, self.request_params)
        if error:
            return error
        tags.pop(self._rule_arn(name), None)
        return json.dumps({"SamplingRuleRecord": rules.pop(name)})

    def list_tags_for_resource(self):
        _, tags = self._rules()
        found = tags.get(self._get_param("ResourceARN"), {})
        return json.dumps({"Tags": [{"Key": k, "Value": v} for k, v in found.items()]})

    def tag_resource(self):
        _, tags = self._rules()
        tags.setdefault(self._get_param("ResourceARN"), {}).update(
            {t["Key"]: t["Value"] for t in self._get_param("Tags") or []})
        return "{}"

    def untag_resource(self):
        _, tags = self._rules()
        for key in self._get_param("TagKeys") or []:
            tags.get(self._get_param("ResourceARN"), {}).pop(key, None)
        return "{}"

    for method in (_rules, _rule_arn, _rule_record, _rule_named, create_sampling_rule, get_sampling_rules,
                   update_sampling_rule, delete_sampling_rule, list_tags_for_resource, tag_resource, untag_resource):
        setattr(XRayResponse, method.__name__, method)


@gap("AWS Backup: backup selections are not implemented (CreateBackupSelection and the rest), nor listing a"
     " vault's recovery points, which the provider's force_destroy does before deleting the vault, and ListTags"
     " reads the ARN only from a path ending in '/' (the provider's SDK sends none: every plan and vault would"
     " show its tags missing). Patched: selections kept per plan (refused for a plan that does not exist); a"
     " vault lists no recovery points, since no backup job ever runs here; the ARN read either way")
def backup_selections():
    import json
    from urllib.parse import unquote
    from moto.backup import urls
    from moto.backup.exceptions import ResourceNotFoundException
    from moto.backup.responses import BackupResponse
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    urls.url_paths["{0}/backup/plans/(?P<plan_id>[^/]+)/selections/$"] = BackupResponse.dispatch
    urls.url_paths["{0}/backup/plans/(?P<plan_id>[^/]+)/selections/(?P<selection_id>[^/]+)$"] = BackupResponse.dispatch
    urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = BackupResponse.dispatch

    def _selections(self):
        """The plan's id and, if the path names one, the selection's; the plan's selections."""
        parts = self.path.split("?")[0].rstrip("/").split("/")
        plan_id = parts[parts.index("plans") + 1]
        plan = self.backup_backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise ResourceNotFoundException(msg=f"Backup plan {plan_id} not found")
        selection_id = parts[-1] if parts[-1] != "selections" else None
        return plan_id, selection_id, plan.__dict__.setdefault("rehearsal_selections", {})

    def create_backup_selection(self):
        plan_id, _, known = self._selections()
        body = json.loads(self.body)
        selection_id = str(mock_random.uuid4())
        known[selection_id] = {"SelectionId": selection_id, "BackupPlanId": plan_id, "CreationDate": unix_time(),
                               "CreatorRequestId": body.get("CreatorRequestId"),
                               "BackupSelection": body["BackupSelection"]}
        return json.dumps({k: known[selection_id][k] for k in ("SelectionId", "BackupPlanId", "CreationDate")})

    def get_backup_selection(self):
        _, selection_id, known = self._selections()
        if selection_id not in known:
            raise ResourceNotFoundException(msg=f"Backup selection {selection_id} not found")
        return json.dumps(known[selection_id])

    def delete_backup_selection(self):
        _, selection_id, known = self._selections()
        if known.pop(selection_id, None) is None:
            raise ResourceNotFoundException(msg=f"Backup selection {selection_id} not found")
        return ""

    def list_backup_selections(self):
        _, _, known = self._selections()
        return json.dumps({"BackupSelectionsList": [
            {"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"],
             "BackupPlanId": s["BackupPlanId"], "CreationDate": s["CreationDate"],
             "CreatorRequestId": s["CreatorRequestId"], "IamRoleArn": s["BackupSelection"]["IamRoleArn"]}
            for s in known.values()]})

    def list_tags(self):
        # the resource's ARN, whether or not the path ends in '/' (the provider's SDK sends none)
        arn = unquote(self.path.split("?")[0].split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    def list_recovery_points_by_backup_vault(self):
        name = self.path.split("/backup-vaults/")[1].split("/")[0]
        self.backup_backend.describe_backup_vault(name)
        return json.dumps({"RecoveryPoints": []})

    for method in (_selections, create_backup_selection, get_backup_selection, delete_backup_selection,
                   list_backup_selections, list_tags, list_recovery_points_by_backup_vault):
        setattr(BackupResponse, method.__name__, method)


def logged_calls(app):
    """One line per request in place of the server's access line: the signing region and service,
    the operation when a header names it (JSON-protocol services such as Secrets Manager) or else the
    path, and the status. The log then shows which calls of the deployment, its provisioners' AWS CLI
    among them, came here. One lock for all of the server's threads: lines never interleave."""
    import threading
    lock = threading.Lock()

    def log_call(environ, start_response):
        credential = environ.get("HTTP_AUTHORIZATION", "").partition("Credential=")[2].split(",")[0].split("/")
        region, service = (credential[2], credential[3]) if len(credential) > 3 else ("-", "-")
        operation = environ.get("HTTP_X_AMZ_TARGET", "").rpartition(".")[2] or environ.get("PATH_INFO", "")

        def start(status, headers, *args):
            with lock:
                print(f"emulator: call {region} {service} {environ['REQUEST_METHOD']} {operation}"
                      f" {status.split(' ')[0]}", flush=True)
            return start_response(status, headers, *args)
        return app(environ, start)
    return log_call


def main(port_file):
    from werkzeug.serving import WSGIRequestHandler, make_server
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    for name, reason, patch in PATCHES:
        patch()
        print(f"emulator: patched {name}: {reason}", flush=True)
    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass  # logged_calls writes the line, with the region and service

    server = make_server("127.0.0.1", 0, logged_calls(DomainDispatcherApplication(create_backend_app)),
                         threaded=True, request_handler=QuietHandler)
    port = server.server_address[1]
    # moto writes its own port into some URLs it returns (queue URLs, for one)
    os.environ["MOTO_PORT"] = str(port)
    with open(port_file + ".tmp", "w") as out:
        out.write(f"{port}\n")
    os.replace(port_file + ".tmp", port_file)
    print(f"emulator: moto listening on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: emulator.py PORT_FILE")
    main(sys.argv[1])
