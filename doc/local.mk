# SPDX-License-Identifier: GPL-2.0-or-later
# doc/: the man pages, the example configurations, and the test that keeps
# vigil.conf(5) in step with the keyword tables.
dist_man_MANS += doc/vigild.8 doc/vigilctl.8 doc/vigil.conf.5
EXTRA_DIST += doc/examples

TESTS += tests/unit/check-man-keywords.sh
EXTRA_DIST += tests/unit/check-man-keywords.sh

TESTS += tests/unit/check-docs.sh
EXTRA_DIST += tests/unit/check-docs.sh

TESTS += tests/unit/check-layers.sh

TESTS += tests/unit/check-model-fields.sh
EXTRA_DIST += tests/unit/check-model-fields.sh

TESTS += tests/unit/check-differences.sh
EXTRA_DIST += tests/unit/check-differences.sh
EXTRA_DIST += tests/unit/check-layers.sh doc/HACKING.md
