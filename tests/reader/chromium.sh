#!/bin/sh
# chromium.sh: Debian's chromium with the flags headless checks need here;
# Ace's puppeteer starts it through PUPPETEER_EXECUTABLE_PATH.
exec "${READER_CHROMIUM:-/usr/bin/chromium}" --no-sandbox --disable-gpu \
	--disable-dev-shm-usage --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --disable-quic "$@"
