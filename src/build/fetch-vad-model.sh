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

readonly PACKAGE='@ricky0123/vad-web@0.0.31'
readonly MEMBER='package/dist/silero_vad_v5.onnx'
readonly MODEL='silero_vad_v5.onnx'
readonly SIZE='2,327,524'
readonly SHA256='2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f'
readonly CACHE_DIR="${XDG_CACHE_HOME:-${HOME}/.cache}/parley/models"
readonly CACHED="${CACHE_DIR}/${MODEL}"

if [[ $# -ne 1 || -z "$1" ]]; then
    echo "usage: $0 <outputDir>" >&2
    exit 2
fi
readonly OUTPUT_DIR="$1"
readonly OUTPUT="${OUTPUT_DIR}/${MODEL}"

fail() {
    cat >&2 <<EOF
[parley] Could not get the Silero VAD model: $1
[parley] The build needs ${MODEL} (${SIZE} bytes, sha256 ${SHA256})
[parley] from the npm package ${PACKAGE}. Fix it in one of two ways:
[parley]   1. Install Node.js with npm, make sure 'npm pack ${PACKAGE}' can reach the npm registry
[parley]      (https://registry.npmjs.org or the mirror set in ~/.npmrc), and run the build again.
[parley]   2. On any machine with npm:
[parley]        npm pack ${PACKAGE}
[parley]        tar xzf ricky0123-vad-web-0.0.31.tgz ${MEMBER}
[parley]        sha256sum ${MEMBER}      # must print ${SHA256}
[parley]      then copy that file to ${CACHED} on this machine and run the build again.
EOF
    exit 1
}

# macOS has shasum rather than GNU coreutils' sha256sum.
sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

verified() {
    [[ -f "$1" ]] && [[ "$(sha256_of "$1")" == "${SHA256}" ]]
}

# Copies through a temporary file in the destination directory, so that an interrupted build or a second
# build running at the same time never sees a partial model.
install_file() {
    local from="$1" to="$2" partial
    mkdir -p "$(dirname "$to")" \
        && partial="$(mktemp "${to}.partial.XXXXXX")" \
        && cp "$from" "$partial" \
        && chmod 644 "$partial" \
        && mv -f "$partial" "$to"
}

if verified "${OUTPUT}"; then
    exit 0
fi

model_file="${CACHED}"
if ! verified "${CACHED}"; then
    if [[ -e "${CACHED}" ]]; then
        echo "[parley] ${CACHED} has sha256 $(sha256_of "${CACHED}"), not the pinned one: fetching it again" >&2
    fi
    command -v npm >/dev/null 2>&1 || fail "npm is not installed (or not on the PATH)."

    work="$(mktemp -d)"
    trap 'rm -rf "${work}"' EXIT
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
    actual="$(sha256_of "${work}/${MEMBER}")"
    [[ "${actual}" == "${SHA256}" ]] \
        || fail "${MEMBER} in the package from the registry has sha256 ${actual}, not the pinned one."
    model_file="${work}/${MEMBER}"
    # A cache that cannot be written (a read-only home on a build agent) costs a fetch per build, not the build.
    install_file "${model_file}" "${CACHED}" \
        || echo "[parley] Could not cache the model at ${CACHED}; the next build will fetch it again" >&2
fi

install_file "${model_file}" "${OUTPUT}"
