#!/usr/bin/env bash
# Puts Smart Turn v3.2 (Pipecat's end-of-turn model, BSD 2-Clause) and its licence into <outputDir>, so that
# both ship inside Parley's jar as classpath resources.
#
# The model is not kept in the repository: it comes from the PyPI wheel of pipecat-ai, which bundles it. The
# wheel and the two members Parley takes from it are pinned by their full sha256, so a changed upstream
# release fails the build instead of silently changing how Parley judges the end of a turn. Verified copies
# of the members are cached per user, so only the first build on a machine downloads the 12 MB wheel.
#
# A wheel is a zip file. It is opened with the JDK's jar tool, given as <jarExecutable> (the pom passes the
# one of the JDK running Maven): a Maven build always has a JDK, whereas python3 and unzip are often missing
# from build agents and slim containers. Without that argument, unzip is used if it is on the PATH.
#
# Usage: fetch-turn-model.sh <outputDir> [<jarExecutable>]
set -euo pipefail

readonly WHAT='the Smart Turn model'
readonly VERSION='1.14.0'
readonly WHEEL="pipecat_ai-${VERSION}-py3-none-any.whl"
readonly URL="https://files.pythonhosted.org/packages/38/31/29c72ca8d3a16b59fd12580fcb99a7cef641d9ee07fe7b0321c1b65ca3cf/${WHEEL}"
readonly WHEEL_SIZE='12,109,725'
readonly WHEEL_SHA256='0352f504b44e78bdf524e45af4bc759601c835b9b7dc195efe5e03384b974a44'
readonly MEMBER='pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx'
readonly MODEL='smart-turn-v3.2-cpu.onnx'
readonly SIZE='8,679,182'
readonly SHA256='2bb026316b14a660486a75b1733cd3fbab8c2fd0314dc9af7be49f8cca967e4f'
readonly LICENSE_MEMBER="pipecat_ai-${VERSION}.dist-info/licenses/LICENSE"
readonly LICENSE='smart-turn-v3.2-cpu.LICENSE'
readonly LICENSE_SHA256='e31a733ecb79cbffafd5474e964e5eca15e0a0876a42b1d7253b51b198eb61aa'

# shellcheck source=fetch-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fetch-lib.sh"
require_arguments '<outputDir> [<jarExecutable>]' 2 "$@"
readonly JAR_TOOL="${2:-}"

explain_by_hand() {
    cat <<EOF_HELP
and its licence, both from the PyPI wheel pipecat-ai==${VERSION}
(${WHEEL}, ${WHEEL_SIZE} bytes, sha256 ${WHEEL_SHA256}). On any machine that can reach PyPI:
  1. Get the wheel, either with
       pip download pipecat-ai==${VERSION} --no-deps
     or with
       curl -fLO ${URL}
     and check it: sha256sum ${WHEEL}   # must print ${WHEEL_SHA256}
  2. Extract two members (or use 'jar xf' instead of 'unzip'):
       unzip ${WHEEL} ${MEMBER} ${LICENSE_MEMBER}
  3. Copy them, renamed, into ${CACHE_DIR} on this machine:
       ${MEMBER} -> ${CACHE_DIR}/${MODEL}
       ${LICENSE_MEMBER} -> ${CACHE_DIR}/${LICENSE}
     and run the build again.
EOF_HELP
}

fetch_into() {
    local work="$1" actual
    command -v curl >/dev/null 2>&1 || fail "curl is not installed (or not on the PATH)."
    if [[ -n "${JAR_TOOL}" ]]; then
        [[ -x "${JAR_TOOL}" ]] || fail "${JAR_TOOL} is not an executable jar tool."
    elif ! command -v unzip >/dev/null 2>&1; then
        fail "there is nothing to open the wheel with: give the JDK's jar tool as the second argument, or install unzip."
    fi
    echo "[parley] Fetching ${MODEL} from the PyPI wheel pipecat-ai==${VERSION}"
    # curl honours https_proxy and the like by itself.
    curl -fsSL --retry 3 --connect-timeout 30 -o "${work}/${WHEEL}" "${URL}" 2>"${work}/curl.log" \
        || fail "downloading ${URL} failed: $(tr '\n' ' ' <"${work}/curl.log")"
    actual="$(sha256_of "${work}/${WHEEL}")"
    [[ "${actual}" == "${WHEEL_SHA256}" ]] || fail "the downloaded ${WHEEL} has sha256 ${actual}, not the pinned one."
    if [[ -n "${JAR_TOOL}" ]]; then
        (cd "${work}" && "${JAR_TOOL}" xf "${WHEEL}" "${MEMBER}" "${LICENSE_MEMBER}") \
            || fail "'${JAR_TOOL} xf ${WHEEL}' failed."
    else
        unzip -q -o "${work}/${WHEEL}" "${MEMBER}" "${LICENSE_MEMBER}" -d "${work}" \
            || fail "'unzip ${WHEEL}' failed."
    fi
}

provide_files "$1" "${LICENSE}" "${LICENSE_SHA256}" "${LICENSE_MEMBER}" "${MODEL}" "${SHA256}" "${MEMBER}"
