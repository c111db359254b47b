#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The notify script of doc/examples/demo-ha.conf: appends
# "HH:MM:SS.mmm NODE STATE" to notify.log next to itself.
# Usage: demo-notify.sh NODE STATE
printf '%s %s %s\n' "$(date +%H:%M:%S.%3N)" "$1" "$2" >>"$(dirname "$0")/notify.log"
