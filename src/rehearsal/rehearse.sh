#!/usr/bin/env bash
# The deploy rehearsal (./main --rehearse, docs/rehearsal.md): the real terraform and AWS provider
# run init, apply, a second plan and destroy on a copy of a synthesized stack, against moto on
# loopback with src/rehearsal/emulator.py's patches. Called by ./main, which builds the classes and
# passes their classpath in REHEARSAL_CLASSPATH (JVM options in REHEARSAL_JAVA_OPTS) and Terraform's
# CLI configuration (the provider mirror) in TF_CLI_CONFIG_FILE; the project directory is the
# working directory.
#
#   src/rehearsal/rehearse.sh STACK_DIR
#
# Everything goes to target/rehearsal/: the stack copy with its two override files, the state,
# each phase's log and Terraform's JSON, the emulator's log, report.md. Prints one summary line;
# exit 0 when the rehearsal passed, 1 when it failed, 2 when it could not start.
#
# REHEARSAL_PARALLELISM  terraform -parallelism (default 30; docs/rehearsal.md has the measurements)
set -uo pipefail

stack_src="$(realpath -- "$1")"
work="$PWD/target/rehearsal"
classpath="${REHEARSAL_CLASSPATH:?set by ./main}"
parallelism="${REHEARSAL_PARALLELISM:-30}"

# shellcheck disable=SC2086 # the JVM options are words
cli() { java ${REHEARSAL_JAVA_OPTS:-} -cp "$classpath" com.payments.dr.rehearsal.RehearsalMain "$@"; }

# Refuse before anything starts if real credentials could be picked up.
cli guard || exit 2
if [ ! -f "$stack_src/cdk.tf.json" ]; then
  echo "error: $stack_src has no cdk.tf.json: synthesize first (./main)" >&2
  exit 2
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH (terraform >= 1.5 is needed to rehearse)" >&2
  exit 2
fi
python="${REHEARSAL_PYTHON:-python3}"
if ! "$python" -c 'import moto, werkzeug; assert moto.__version__.startswith("5.")' 2>/dev/null; then
  echo "error: the rehearsal's emulator is moto 5.x's server, not found for $python:" \
    "pip install 'moto[server]==5.2.1' (or set REHEARSAL_PYTHON to a python that has it)" >&2
  exit 2
fi

rm -rf "$work"
mkdir -p "$work"
: > "$work/empty"
: > "$work/phases.tsv"

# The emulator, on a free loopback port it reports in a file once it accepts requests.
"$python" src/rehearsal/emulator.py "$work/emulator.port" > "$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null' EXIT
for _ in $(seq 1 600); do
  [ -s "$work/emulator.port" ] || ! kill -0 "$emulator" 2>/dev/null && break
  sleep 0.1
done
if [ ! -s "$work/emulator.port" ]; then
  cat "$work/emulator.log" >&2
  echo "error: the emulator did not start (log: $work/emulator.log)" >&2
  exit 2
fi
url="http://127.0.0.1:$(cat "$work/emulator.port")"

# The children see dummy keys, the emulator, no AWS configuration of this machine and nothing else
# of AWS: the AWS CLI in the stack's local-exec provisioners too.
for variable in $(compgen -e | grep '^AWS_'); do unset "$variable"; done
export AWS_ACCESS_KEY_ID=rehearsal-not-a-real-key AWS_SECRET_ACCESS_KEY=rehearsal-not-a-real-key \
  AWS_ENDPOINT_URL="$url" AWS_CONFIG_FILE="$work/empty" AWS_SHARED_CREDENTIALS_FILE="$work/empty" \
  AWS_EC2_METADATA_DISABLED=true
# TF_CLI_CONFIG_FILE comes from ./main (the provider mirror); nothing terraform writes leaves target/
export TF_DATA_DIR="$work/terraform-data" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# A copy of the stack: its own files stay as synthesized; the overrides only sit beside them.
mkdir -p "$work/stack"
cp -R "$stack_src/." "$work/stack/"
rm -rf "$work/stack/.terraform" "$work/stack/"*_override.tf.json
stack="$work/stack"
cli backend "$work/terraform.tfstate" > "$stack/rehearsal_backend_override.tf.json" || exit 2

tf() { terraform -chdir="$stack" "$@"; }

# phase NAME COMMAND...: runs it with its output in NAME.log, records exit code and seconds
phase() {
  local name="$1" start rc=0
  shift
  start=$(date +%s)
  "$@" > "$work/${name// /-}.log" 2>&1 || rc=$?
  printf '%s\t%d\t%d\n' "$name" "$rc" "$(( $(date +%s) - start ))" >> "$work/phases.tsv"
  return $rc
}

init() {
  tf init -input=false -no-color &&
    tf providers schema -json > "$work/schema.json" &&
    cli providers "$stack/cdk.tf.json" "$work/schema.json" src/rehearsal/endpoint-aliases.txt "$url" \
      "$work/empty" > "$stack/rehearsal_providers_override.tf.json"
}

first_plan() {
  tf plan -input=false -no-color -parallelism="$parallelism" -out="$work/first.plan" || return $?
  # two names of one service both set: the provider's alias list grew (endpoint-aliases.txt)
  if grep -q 'endpoints\[0\]' "$work/first-plan.log"; then
    echo "error: the provider warns about endpoint names: add the second name of each pair above to" \
      "src/rehearsal/endpoint-aliases.txt"
    return 1
  fi
  tf show -json "$work/first.plan" > "$work/first-plan.json"
}

apply() {
  local rc=0
  tf apply -input=false -no-color -auto-approve -parallelism="$parallelism" "$work/first.plan" || rc=$?
  tf show -json > "$work/applied.json"
  return $rc
}

second_plan() {
  local rc=0
  tf plan -input=false -no-color -parallelism="$parallelism" -detailed-exitcode -out="$work/second.plan" || rc=$?
  [ $rc -ne 0 ] && [ $rc -ne 2 ] && return $rc
  tf show -json "$work/second.plan" > "$work/second-plan.json" || return 1
  return $rc
}

destroy() {
  local rc=0 region
  tf destroy -input=false -no-color -auto-approve -parallelism="$parallelism" || rc=$?
  tf show -json > "$work/destroyed.json"
  # what the state cannot show: API Gateway's account-wide CloudWatch role, which must not name the
  # role this destroy deleted
  mkdir -p "$work/after-destroy"
  for region in $(cli regions "$stack/cdk.tf.json"); do
    aws apigateway get-account --region "$region" --output json \
      > "$work/after-destroy/apigateway-account-$region.json" || rc=1
  done
  return $rc
}

echo "rehearsal: terraform against the emulator at $url (logs in $work)"
if phase init init && phase "first plan" first_plan; then
  applied=0
  phase apply apply || applied=$?
  # a second plan only means something on a complete apply; destroy runs whatever happened
  [ $applied -ne 0 ] || phase "second plan" second_plan
  phase destroy destroy
fi
cli report "$work" src/rehearsal/emulator-gaps.txt
