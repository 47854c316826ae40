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
