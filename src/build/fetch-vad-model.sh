#!/usr/bin/env bash
# Puts the Silero VAD v5 model into <outputDir>, so that it ships inside Parley's jar as a classpath resource.
#
# The model is not kept in the repository: it comes from the npm package @ricky0123/vad-web, which carries the
# Silero authors' MIT-licensed ONNX file. The file is pinned by its full sha256, so a changed upstream package
# fails the build instead of silently changing how Parley hears callers. A verified copy is cached per user,
# so only the first build on a machine needs npm and the registry.
#
# Usage: fetch-vad-model.sh <outputDir>
set -euo pipefail

readonly WHAT='the Silero VAD model'
readonly PACKAGE='@ricky0123/vad-web@0.0.31'
readonly MEMBER='package/dist/silero_vad_v5.onnx'
readonly MODEL='silero_vad_v5.onnx'
readonly SIZE='2,327,524'
readonly SHA256='2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f'

# shellcheck source=fetch-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fetch-lib.sh"
require_arguments '<outputDir>' 1 "$@"
readonly CACHED="${CACHE_DIR}/${MODEL}"

explain_by_hand() {
    cat <<EOF_HELP
from the npm package ${PACKAGE}. Fix it in one of two ways:
  1. Install Node.js with npm, make sure 'npm pack ${PACKAGE}' can reach the npm registry
     (https://registry.npmjs.org or the mirror set in ~/.npmrc), and run the build again.
  2. On any machine with npm:
       npm pack ${PACKAGE}
       tar xzf ricky0123-vad-web-0.0.31.tgz ${MEMBER}
       sha256sum ${MEMBER}      # must print ${SHA256}
     then copy that file to ${CACHED} on this machine and run the build again.
EOF_HELP
}

fetch_into() {
    local work="$1" tarball problem
    command -v npm >/dev/null 2>&1 || fail "npm is not installed (or not on the PATH)."
    echo "[parley] Fetching ${MODEL} from ${PACKAGE} (npm pack)"
    if ! (cd "${work}" && npm pack "${PACKAGE}" >npm-pack.log 2>&1); then
        problem="'npm pack ${PACKAGE}' failed."
        if [[ -s "${work}/npm-pack.log" ]]; then
            problem+="
$(sed 's/^/[parley]     /' "${work}/npm-pack.log")"
        fi
        fail "${problem}"
    fi
    tarball="$(find "${work}" -maxdepth 1 -name '*.tgz' | head -n 1)"
    [[ -n "${tarball}" ]] || fail "'npm pack ${PACKAGE}' produced no package file."
    tar -xzf "${tarball}" -C "${work}" "${MEMBER}" 2>/dev/null \
        || fail "${PACKAGE} has no ${MEMBER}."
}

provide_files "$1" "${MODEL}" "${SHA256}" "${MEMBER}"
