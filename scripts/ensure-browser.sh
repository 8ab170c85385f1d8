#!/usr/bin/env bash
# Make sure a Chromium is available for rendering, in this order:
#   1. WEBAGENT_BROWSER, or a Chromium that Playwright manages, or a system Chromium already installed;
#   2. `playwright install chromium`;
#   3. as root on Debian/Ubuntu: `apt-get install chromium` plus fonts (Noto core + colour emoji);
#   4. otherwise stop with one sentence saying what to install.
set -euo pipefail
PY=${PY:-.venv/bin/python}
FONTS="fonts-noto-core fonts-noto-color-emoji fonts-liberation fonts-dejavu-core"

have_fonts() {  # read fc-list whole: `fc-list | grep -q` fails under pipefail when grep stops early
  local installed; installed=$(fc-list 2>/dev/null || true)
  grep -q "NotoSans-Regular" <<<"$installed" && grep -q "NotoColorEmoji" <<<"$installed"
}
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
ensure_fonts() {
  if have_fonts; then return; fi
  if can_apt; then echo "browser: installing fonts ($FONTS)"; apt_install $FONTS;
  else echo "browser: warning: Noto fonts are missing; pages render with fallback fonts (install: $FONTS)"; fi
}

if [ -n "${WEBAGENT_BROWSER:-}" ] && [ -x "$WEBAGENT_BROWSER" ]; then
  echo "browser: using WEBAGENT_BROWSER=$WEBAGENT_BROWSER"; ensure_fonts; exit 0
fi
managed=$("$PY" -c "from webagent.core.browser import playwright_chromium; print(playwright_chromium() or '')")
if [ -n "$managed" ]; then echo "browser: Playwright Chromium at $managed"; ensure_fonts; exit 0; fi
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then echo "browser: system Chromium at $(command -v "$name")"; ensure_fonts; exit 0; fi
done
echo "browser: trying 'playwright install chromium'"
if timeout 600 "$PY" -m playwright install chromium >/tmp/webagent-playwright-install.log 2>&1; then
  echo "browser: Playwright Chromium installed"; ensure_fonts; exit 0
fi
echo "browser: Playwright could not download its Chromium (see /tmp/webagent-playwright-install.log)"
if can_apt; then
  echo "browser: installing Debian's chromium and fonts with apt-get"
  apt_install chromium $FONTS
  command -v chromium >/dev/null 2>&1 && { echo "browser: system Chromium at $(command -v chromium)"; exit 0; }
fi
echo "error: no Chromium available: install one ('playwright install chromium' or 'apt-get install chromium') or set WEBAGENT_BROWSER to its path" >&2
exit 1
