#!/usr/bin/env bash
# Generates the P4Runtime Java bindings from p4lang's published Python package `p4runtime`: its wheel holds
# each .proto file compiled into a descriptor (FileDescriptorProto), which protoc takes as input as well as
# source. Run by Maven (generate-sources); does nothing when the bindings of this version are in place.
#   generate.sh VERSION SHA256 BUILD_DIR OUT_DIR PROTOC_CLASSIFIER
set -euo pipefail
version=$1 sha256=$2 build=$3 out=$4 classifier=$5
stamp="$out/.p4runtime-$version"
[ -f "$stamp" ] && exit 0

cache=${SFC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sfc}
wheel="$cache/p4runtime-$version-py3-none-any.whl"
if ! echo "$sha256  $wheel" | sha256sum -c --status 2>/dev/null; then
  command -v python3 >/dev/null || { echo "p4runtime-proto: python3 is needed to fetch P4Runtime $version (apt-get install python3-pip)" >&2; exit 1; }
  python3 -m pip --version >/dev/null 2>&1 || { echo "p4runtime-proto: pip is needed to fetch P4Runtime $version (apt-get install python3-pip)" >&2; exit 1; }
  mkdir -p "$cache"
  echo "p4runtime-proto: fetching the P4Runtime $version package"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$cache" "p4runtime==$version"
  echo "$sha256  $wheel" | sha256sum -c --status || { echo "p4runtime-proto: $wheel does not have the pinned SHA-256 $sha256" >&2; exit 1; }
fi

python3 "$(dirname "$0")/descriptors.py" "$wheel" "$build/p4runtime.desc"
protoc="$build/protoc/protoc-$classifier.exe"
grpc="$build/protoc/protoc-gen-grpc-java-$classifier.exe"
chmod +x "$protoc" "$grpc"
rm -rf "$out" && mkdir -p "$out"
"$protoc" --descriptor_set_in="$build/p4runtime.desc" --proto_path="$build/proto-imports" \
  --plugin=protoc-gen-grpc-java="$grpc" --java_out="$out" --grpc-java_out=@generated=omit:"$out" \
  p4/v1/p4runtime.proto p4/v1/p4data.proto p4/config/v1/p4info.proto p4/config/v1/p4types.proto
touch "$stamp"
echo "p4runtime-proto: P4Runtime $version bindings generated"
