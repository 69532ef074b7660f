# Sourced by the scripts that run a pinned Python tool (gigs-connect/conformance/run.sh,
# gigs-connect/webhooks/vectors.sh): one way to make and reuse their venvs.
#
# ensure_venv VENV REQUIREMENTS LABEL: makes VENV with ${PYTHON:-python3} and installs
# REQUIREMENTS into it, unless VENV already holds exactly those requirements (a copy
# is kept in the venv after a successful install, so a changed pin reinstalls).
ensure_venv() {
  local venv="$1" requirements="$2" label="$3"
  if [[ ! -x "$venv/bin/python" ]] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    echo "== $label: installing $(grep -v '^#' "$requirements") into $venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
}
