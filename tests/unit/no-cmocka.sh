#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check of a build configured --without-cmocka: the unit tests were not
# built, so the unit tier did not run, and make check must say so and fail
# rather than pass on the documentation checks alone.
echo "no-cmocka: configured --without-cmocka: the unit tests are not built and did not run" >&2
echo "no-cmocka: install libcmocka-dev (scripts/install-deps) and configure again" >&2
exit 99
